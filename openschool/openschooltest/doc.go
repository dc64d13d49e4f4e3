// Package openschooltest runs an in-process fake of the openschool.in.ua API
// v1, in the manner of net/http/httptest, for tests and offline examples.
//
// The fake answers GET /api/v1?action=… for all six documented actions,
// honours every documented filter, and reproduces the Perl back end's wire
// habits: ids and money as JSON strings, computed sums as numbers, undef as
// null, and the capitalised keys ("Id_task", "Spend") that the
// documentation shows for tasks. Faults can be injected to test error paths:
//
//	srv := openschooltest.NewServer()
//	defer srv.Close()
//	srv.Faults.Add(openschooltest.Fault{Status: 503, RetryAfter: time.Second})
//	c, _ := openschool.New(openschool.WithBaseURL(srv.URL))
//
// The documentation describes no error bodies. The fake answers a request it
// cannot serve with HTTP 400 (bad parameter) or 404 (unknown action) and a
// body {"error":"…"}; that shape is the fake's own choice.
package openschooltest
