// Package archtest holds tests of the module's layering rules (the "Layers"
// section of the architecture doc in internal/doc.go): a client package
// never imports another client package, testify/httpmock never reach a
// client's non-test build, and the docs cite the providers' documentation
// rather than files outside the repository.
package archtest
