// Package testkit holds the helpers that the tests of several packages
// share: capturing a program's standard output, setting its arguments,
// checking what it printed, a settable clock, running an oracle over its
// seed inputs as a test and as a fuzz target, and the ways a server may
// echo a value back.
//
// Only _test.go files import it. It uses the standard library alone, so it
// can serve every package of the module, internal/transport included.
package testkit
