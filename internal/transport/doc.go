// Package transport is the one HTTP engine behind every steppe client.
//
// It wraps github.com/hashicorp/go-retryablehttp as the retry loop, but every
// policy decision is made here:
//
//   - which requests are retried: only idempotent ones (GET, HEAD, and requests
//     a client marks safe), on connection errors and on 408, 429, 502, 503 and
//     504 (500 only when a client opts in); other requests only when the
//     connection could not be made, and a failure after they may have
//     reached the server is marked [Error.MaybeDelivered];
//   - how long to wait: full-jitter exponential backoff with a cap, or the
//     server's Retry-After when it is within [Config.MaxRetryAfter]; a longer
//     Retry-After, or one past the context deadline, ends the call with an
//     [*Error] that carries the server's delay instead of sleeping;
//   - what a failure looks like: one [*Error] type for all clients, with
//     sentinels for [errors.Is] and the context errors still reachable;
//   - what may be printed: secrets registered in [Secrets] never appear in an
//     error string or a log line, and query parameters named in
//     [Config.SecretParams] are always masked.
//
// Each attempt goes through a RoundTripper stack owned by this package:
// client-side rate limiting (shared by host, see [SharedLimiter]), the
// client's auth RoundTripper (only for requests to the configured API host;
// a call's credentials in one header go into [Config.AuthHeader] instead),
// attempt counting and opt-in slog logging; with the package's own
// http.Client, each attempt, its answer's body included, also ends after
// [DefaultTimeout], kept by one watchdog per client rather than a timer
// per attempt. The stack does not expose
// CloseIdleConnections, so a failed call does not flush the connection pool.
package transport
