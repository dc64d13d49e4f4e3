// Package archtest holds tests of the module's layering rules (DESIGN.md,
// "Layers"): a client package never imports another client package, and
// testify/httpmock never reach a client's non-test build.
package archtest
