// Package crosstest holds tests that drive every client at once: the
// hostile answers (endless and 1 GB bodies, HTML and wrong content types
// with 200, invalid or misshapen JSON, a 401 without a body) with memory
// and goroutine-leak checks; the secrets test that registers the
// credentials of all the clients that have any, drives every error path
// with debug logging on, and finds none of them in any error or log line;
// and the echo matrix (matrix_test.go) that drives the same error paths
// with secrets full of characters that escape differently while the server
// prints every value of the request back in each encoding an echoing
// server may use (raw, URL-, JSON-, PHP- and HTML-escaped, base64) in its
// body, error message, request id and Location; and the options every
// client shares (options_test.go: base URL, HTTP client, User-Agent,
// retries and their waits, Retry-After cap, logger, response cap) and
// the per-call ones (call_test.go), driven through each client's own
// names. It has no code of its own.
package crosstest
