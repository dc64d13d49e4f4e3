package trueapi

import "github.com/steppe-sdk/steppe/internal/transport"

// CallOption changes one call of any method: the options, and where to
// record the facts of the successful answer, travel in the context made
// by [WithCall], so that no method signature carries them:
//
//	var info trueapi.ResponseInfo
//	ctx := trueapi.WithCall(ctx,
//		trueapi.CallHeader("X-Correlation-Id", id), // on every request of the call
//		trueapi.CallTimeout(10*time.Second),        // each request, retries included
//		trueapi.CallRetries(0),                     // instead of WithMaxRetries
//		trueapi.CallResponse(&info))                // status, headers, request id
//
// A call that sends several requests (a page walk, batches) applies the
// options to each and records the last successful answer. A failed
// request's facts are in its [*Error].
type CallOption = transport.CallOption

// ResponseInfo describes a call's last successful HTTP answer: StatusCode,
// Header (a copy: Retry-After, rate-limit headers), RequestID (masked) and
// Attempts. See [CallResponse].
type ResponseInfo = transport.ResponseInfo

var (
	// WithCall returns a context that carries the options to every
	// request made with it (nested calls add to the outer options).
	WithCall = transport.WithCall
	// CallHeader adds a header to every request of the call; it cannot
	// replace the headers the client manages (credentials, User-Agent,
	// Content-Type).
	CallHeader = transport.CallHeader
	// CallTimeout bounds each request of the call, retries and their
	// waits included.
	CallTimeout = transport.CallTimeout
	// CallRetries sets the retries of each request of the call (0: none)
	// instead of the client's; a request that may have created something
	// is still never sent twice.
	CallRetries = transport.CallRetries
	// CallResponse records the call's last successful answer in info.
	CallResponse = transport.CallResponse
)
