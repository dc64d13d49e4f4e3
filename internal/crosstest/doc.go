// Package crosstest holds tests that drive every client at once: the
// hostile answers (endless and 1 GB bodies, HTML and wrong content types
// with 200, invalid or misshapen JSON, a 401 without a body) with memory
// and goroutine-leak checks, and the one secrets test that registers the
// credentials of all five clients, drives every error path with debug
// logging on, and finds none of them in any error or log line. It has no
// code of its own.
package crosstest
