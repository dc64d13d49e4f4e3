// Package uztgstest runs an in-process fake of the uztgs.uz metering data
// Web API ("Универсальный сервер сбора и обработки данных"), in the manner
// of net/http/httptest, for tests and offline examples.
//
//	srv := uztgstest.NewServer()
//	defer srv.Close()
//	// point the client at srv.BaseURL(), sign in with
//	// uztgstest.DefaultEmail and uztgstest.DefaultPassword
//	srv.Faults.Add(uztgstest.Fault{Path: uztgstest.APIPath + "/stations", Status: 503})
//
// The faults that hurt a token-rotating session most are answers lost
// after the server rotated the token, and answers held back while the
// caller gives up:
//
//	// every 7th data request: handled (the token rotates), answer lost
//	srv.Faults.Add(uztgstest.Fault{Method: "GET", DropResponse: true, Every: 7, Times: -1})
//	// the next data request: handled, answer held back for 2 s
//	srv.Faults.Add(uztgstest.Fault{Method: "GET", Hold: 2 * time.Second})
//
// Every route lives under [APIPath]:
//
//	POST   /auth/sign_in          JSON (or form) body {"email","password"}
//	DELETE /auth/sign_out         with the session's headers
//	GET    /auth/validate_token   protected
//	GET    /customers             protected list
//	GET    /stations              protected list
//	GET    /equipment_types       protected list
//	GET    /channel_archive_types protected list; equipment_type_id required
//	GET    /channel_data          protected list; archive_type, station_id,
//	                              equipment_id, and fp_start and fp_end
//	                              (yyyy-mm-dd) unless archive_type=settings
//
// # Authentication
//
// The real server authenticates with the Ruby gem devise_token_auth, and
// the fake follows that gem's rules. A sign-in creates a session (a new
// client id) and answers with the headers access-token, token-type
// (Bearer), client, expiry (Unix seconds) and uid, written in lower case as
// the documentation shows them. Tokens and client ids are 22 characters of
// URL-safe base64. A request to a protected route must send uid,
// access-token and client (a missing client means the client "default";
// like the gem, the fake also takes these values from the parameters when
// a header is absent). The token is accepted if it is the session's current
// token and the session has not expired, or if it is the token that the
// last rotation replaced and [Config.Grace] allows it. Otherwise the answer
// is 401 {"errors":["You need to sign in or sign up before continuing."]}
// without auth headers (validate_token answers
// {"success":false,"errors":["Invalid login credentials"]}).
//
// After an accepted request has been processed, whatever the status of its
// answer (a 400 or 404 to an authenticated request included), the session
// is refreshed under a per-user lock, as the gem's after_action does: if
// the request started within [Config.BatchWindow] of the session's last
// update, it is a batch request, the window is extended to now and the
// answer carries access-token " " and expiry " " with the real client, uid
// and token-type; otherwise the token rotates, the expiry slides to now
// plus [Config.TokenLifespan], and the new token is sent. A parameter
// unbatch with any non-empty value forces a rotation (in Ruby even the
// string "false" is true). If the session was deleted meanwhile (sign-out),
// the answer has no auth headers. Note that Go's HTTP server trims header
// values, so on the wire the blank headers arrive as empty values; clients
// must treat an empty or blank access-token as "keep the current token".
//
// Sign-out with a valid token deletes the session and answers 200
// {"success":true} without auth headers; otherwise 404
// {"success":false,"errors":["User was not found or was not logged in."]}.
// Bad credentials at sign-in get 401
// {"success":false,"errors":["Invalid login credentials. Please try again."]};
// GET /auth/sign_in gets 405
// {"success":false,"errors":["Use POST /sign_in to sign in. GET is not supported."]}.
// A sign-in beyond [Config.MaxSessions] evicts the sessions that expire
// soonest (the oldest ones).
//
// # Parameters and errors
//
// Parameters come from the query string and also from a JSON object sent
// as the body of the GET (with Content-Type application/json, or none), as
// the documentation's curl examples do; Rails merges both, and the query
// string wins on conflict. Sign-in also accepts a form-encoded body. Values may be JSON
// strings or numbers. Lists are paged with page (default 1) and per_page
// (default [Config.DefaultPerPage], at most [MaxPerPage]; larger values are
// reduced) and answer
//
//	{"data":[…],"total_pages":N,"current_page":P,"next_page":P+1 or null}
//
// where total_pages is 0 for an empty list and a page past the end has no
// data. The documentation describes no error answers for the data routes;
// the fake's own choices are 400 {"errors":["<what is wrong>"]} for a
// malformed body or a missing or malformed parameter (a page or per_page
// that is not a positive integer, an unknown archive_type, a date that is
// not yyyy-mm-dd, fp_start after fp_end), 404 {"errors":["Not found"]} for
// an unknown station or an equipment_id that is not the station's, and 404
// {"errors":["Not found"]} for unknown routes. Parameters are checked
// before the station is looked up. A malformed body is refused before
// authentication (Rails fails while parsing it), so that answer does not
// rotate the token, unlike the other 400 and 404 answers.
//
// # Archives
//
// channel_data rows are computed on demand, so that paging through a long
// range costs only the page. This is the fake's reading of the
// documentation:
//
//   - fp_start and fp_end are calendar days in Asia/Tashkent (UTC+5, no
//     daylight saving; see [Tashkent]), both included: the rows cover
//     [fp_start 00:00, fp_end+1 day 00:00) local time.
//   - hourly has a row at the start of every hour of the range, daily one
//     at every local midnight, monthly one at the start of every month that
//     begins within the range, yearly one at every 1 January within the
//     range (with the monthly channels, since the channel table has no
//     yearly ones).
//   - nesht, the archive of abnormal situations, whose content the
//     documentation does not show, holds sparse events, one in every block
//     of 37 hours at a hash-chosen hour, each as
//     [{"event_code":12},{"event_name":"Нет связи с датчиком давления"}];
//     the codes and names are invented.
//   - Rows are sent newest first, as in the documentation's sample.
//   - A row holds one reading per channel of the station's equipment type
//     and archive type in [Dataset.Channels], as a list of one-key objects
//     whose order varies from row to row (the sample shows T, VNakpriv,
//     VNakwork, P and then P, VNakpriv, VNakwork, T).
//   - The БК hourly rows spell two codes "VNakpriv" and "VNakwork", as the
//     documentation's sample does, while the channel table (and so
//     /channel_archive_types) says "Vnakpriv" and "Vnakwork". This
//     inconsistency is the provider's; clients must cope with it.
//   - Values are deterministic in the station, the time and the channel:
//     pressures around 0.99 кгс/см² (БК) or 300 кПа (Флоугаз), temperatures
//     from 5 to 30 °С, accumulated volumes that never decrease, and
//     positive volumes over the row's period.
//
// archive_type=settings lists the meter's configuration items
// ([Dataset.Settings]), values as strings and units null where there are
// none.
//
// # Time
//
// The fake reads the clock with time.Now, so a test running inside a
// testing/synctest bubble that calls the server's handler directly (for
// example through srv.Config.Handler) controls the fake's time as well. A
// real loopback connection cannot be used inside a bubble. Note that the
// auth headers are stored under their lower-case names, so with an
// [net/http/httptest.ResponseRecorder] read them as
// rec.Header()["access-token"]; Header.Get looks for the canonical name.
// An [http.Client] canonicalises the names it receives, so Get works there.
package uztgstest
