// Package paruskaztest runs an in-process fake of the sb.paruskaz.kz
// turnstile-attendance push API (СКУД → портал), in the manner of
// net/http/httptest, for tests and offline examples.
//
//	srv := paruskaztest.NewServer()
//	defer srv.Close()
//	// point the client at srv.BaseURL() and send
//	// X-API-KEY: paruskaztest.DefaultAPIKey
//	srv.Faults.Add(paruskaztest.InternalErrorFault())
//	…
//	if !srv.Has(paruskaztest.Event{BIN: "…", IIN: "…", …}) { t.Error("pass lost") }
//
// # The route
//
// The API has a single route, POST {base}data_set, with [BasePath]
// ("/back/apikey/v1/") as the default base. The provider's document spells
// the URL three ways: /back/apikey/v1/data_set in its prose, and
// /apikey/v1/data set (no /back, and a space instead of the underscore) in
// both of its examples. Which one a given deployment answers is not known
// (the /back prefix looks like a reverse-proxy mount), so the fake answers
// all four combinations:
//
//	/back/apikey/v1/data_set   (the default, see DataSetPath)
//	/apikey/v1/data_set
//	/back/apikey/v1/data%20set
//	/apikey/v1/data%20set
//
// Any other path is answered 404 and any method other than POST on these
// paths 405 (with Allow: POST). A trailing slash is not accepted.
//
// # Requests
//
// The request must carry the key in the ASCII header X-API-KEY and declare
// Content-Type: application/json (parameters such as charset are allowed).
// Keys are compared in constant time against [Config.APIKeys]. Note that
// the provider's document writes the header name with Cyrillic look-alike
// letters (Х-АРІ-КЕҮ); such a header does not count. Go canonicalises only
// ASCII header names, so a handler called in-process sees the look-alike
// name as it is and answers 401. Over a socket, Go's HTTP client refuses to
// send a non-ASCII header name at all, and Go's server (unlike nginx, which
// by default drops such a header) answers a raw request carrying one with a
// plain-text 400 of its own before the fake sees it.
//
// The body is one JSON object:
//
//	{"source":"Query","code":"InsertACS","param":{"data":[
//	  {"bin":"…","org_name":"…","person":[
//	    {"datetime":"2024-01-13T10:01:23+00:00","iin":"…","fio":"…","note":"…"}]}]}}
//
// The document's own samples are not valid JSON (objects are written
// without braces) and spell two keys differently ("org name", "bin " with a
// trailing space); the fake accepts only the shape above. Its rules:
//
//   - The body is exactly one JSON object; trailing data (other than white
//     space) is refused. Whatever Go's encoding/json would refuse is
//     refused; invalid UTF-8 inside strings is replaced by U+FFFD, as
//     encoding/json does.
//   - Keys are matched exactly (case included), must all be present, must
//     not repeat, and no other keys are allowed, at every level. The
//     document says every parameter is required, so a missing note is
//     refused; an empty note is fine.
//   - source must be "Query" and code "InsertACS".
//   - param.data and every person list are non-empty arrays of objects.
//   - bin and iin are exactly 12 ASCII digits. Their check digit is
//     verified only when [Config.Checksum] is set: the document's own
//     sample number 123456789012 fails the check, so the real server cannot
//     be verifying it.
//   - org_name and fio are not blank.
//   - datetime is RFC 3339 with a time-zone offset, as Go's time.RFC3339
//     layout parses it ("2024-01-13T10:01:23+00:00" or "…Z", fractional
//     seconds allowed). The document asks for ISO 8601; the fake refuses a
//     time without an offset, whose instant would be ambiguous, and also
//     the ISO 8601 forms that RFC 3339 lacks, such as the offset "+0000"
//     or a space in place of the T.
//
// A request is all or nothing: if any event is invalid, the answer is 400
// and nothing from the request is stored. The precise reason (in English,
// naming the JSON location, e.g. "param.data[0].person[2].iin: must be 12
// ASCII digits, got \"123\"") is sent in the response header
// X-Fake-Reason ([ReasonHeader]), which the real server does not have.
// The fake's other refusals carry that header too.
//
// # Answers
//
// Every answer is JSON {"message":"…"} with Content-Type
// application/json; charset=utf-8. The provider's statuses and texts:
//
//	200 {"message":"OK"}
//	400 {"message":"Ошибка передачи параметров"}
//	401 {"message":"Ошибка авторизации (ключ не верный или заблокирован)"}
//	500 {"message":"Втнутренняя ошибка сервера"}
//
// The 500 text keeps the document's typo ("Втнутренняя"), since that is
// what the document says the server sends; clients should key their logic
// on the status code. The document also spells the 401 reason phrase
// "Unautorized"; the fake sends Go's standard phrase. The fake never fails
// by itself: use [InternalErrorFault] (or any [Fault]) to make it answer
// 500.
//
// The following answers are the fake's own choices; the document does not
// describe them:
//
//   - 413 {"message":"Превышен допустимый размер запроса"} when the body is
//     larger than [Config.MaxBodyBytes]. The document allows "до 50 МБ в
//     запросе"; the fake reads that as 50·10⁶ bytes ([MaxBodyBytes]), the
//     stricter of the two readings. A body of exactly the limit is
//     accepted. A declared Content-Length over the limit is refused
//     without reading the body, and a body without one is refused as soon
//     as the limit is crossed, without reading the rest.
//   - 429 {"message":"Слишком много запросов"} with Retry-After: 1 when a
//     client IP exceeds [Config.RateLimit] requests per second (the
//     document: "2 запроса в секунду на IP адрес").
//   - 405 {"message":"Метод не поддерживается"} and 404
//     {"message":"Не найдено"}.
//
// After [Config.Latency], the checks run in this order: path and method,
// rate limit, API key, declared size, Content-Type, and then the body as
// it streams in.
//
// # Rate limit
//
// The client IP is the host part of the request's RemoteAddr (the whole
// string if it has none). A request is refused with 429 when RateLimit
// requests from the same IP were already admitted within the last second: a
// sliding window over the arrival times of the admitted requests, counting
// those later than now−1s. Every request that passes the limiter is
// admitted, whatever its final answer (a 400 or 401 counts too); refused
// requests do not count, and neither do 404 and 405 answers. Requests
// answered by an injected fault never reach the limiter.
//
// # Storage and de-duplication
//
// The document promises that data "will not be duplicated", whether it is
// sent monthly or every minute. The fake stores each pass once, keyed by
// (bin, iin, instant of datetime): the datetime is parsed, so
// "2024-01-13T10:01:23+00:00" and "2024-01-13T10:01:23Z" are the same pass.
// The first stored version of a pass wins (a resend with another fio or
// note does not replace it), and every repeat, within one request or
// across requests, is counted in [Stats].Duplicates. [Server.Events]
// returns the passes in the order they first arrived, with every field
// exactly as sent. Storage is one slice of events plus an index, and each
// body is decoded as it streams in, so uploads of a million events are
// cheap.
//
// # Time
//
// The fake reads the clock with time.Now, and [Config.Latency] is waited
// with a timer. A test running inside a testing/synctest bubble that calls
// [Server.Handler] in-process (for example from an http.RoundTripper that
// serves each request into an httptest.ResponseRecorder) therefore controls
// the rate limiter's clock, and can let a second pass without really
// waiting. A real loopback connection cannot be used inside a bubble; start
// the server outside it.
package paruskaztest
