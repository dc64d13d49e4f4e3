// Package paruskaz is a client for the sb.paruskaz.kz API that receives
// visits from the access-control systems (СКУД, turnstiles) of
// institutions.
//
// The contract is the provider's document «API для передача данных о
// посещении учреждения из СКУД на портал sb.paruskaz.kz» (the title as
// the provider wrote it). The document has no version number and no
// numbered sections; it is cited here by its labels, such as «Технические
// ограничения:».
// The API is one method: POST https://sb.paruskaz.kz/back/apikey/v1/data_set
// with the header X-API-KEY and a body
//
//	{"source":"Query","code":"InsertACS","param":{"data":[
//	  {"bin":"…","org_name":"…","person":[{"datetime":"2024-01-13T10:01:23+00:00","iin":"…","fio":"…","note":"…"}]}]}}
//
// # Requests
//
// The request of the document, the methods that send it, and the parts of
// the document that describe it:
//
//	Request                          SDK method(s)                             Documentation
//	POST /back/apikey/v1/data_set    [Client.Push]: one body, as given;        «Метод HTTP: POST», «URL:»,
//	                                 [Client.Upload], [Client.UploadSlice],    «Headers:», «Пример запроса:»,
//	                                 [Uploader.Add], [Uploader.Flush]:         «Пример ответа:»,
//	                                 events batched into bodies of ≤ 50 MB     «Технические ограничения:»
//	POST /apikey/v1/data set         the same methods, with [WithBaseURL]      «Пример запроса:»,
//	  (the examples' spelling)       and [WithPath]                            «Пример запроса в curl:»
//
// The documentation's own example has traps this package avoids: its
// header name is typed with Cyrillic look-alike letters (the client sends
// ASCII X-API-KEY), its keys are spelt "org name" and "bin " (the client
// sends org_name and bin), its JSON is not valid, and it gives the path
// three ways (the client uses data_set under /back/apikey/v1/, and
// [WithBaseURL] and [WithPath] reach the others).
//
// # Sending
//
// [Client.Push] sends institutions with their passes in one request.
// For the real job, an [Uploader] (or [Client.Upload] over an iter.Seq,
// [Client.UploadSlice] over a slice) takes flat [Event] values, groups them
// by institution, and splits them into requests of at most 50,000,000 bytes
// ([WithMaxBodyBytes] lowers it) without ever splitting an event. The size
// of each request is computed exactly as events are added, so memory use is
// one batch, whatever the size of the upload.
//
// The documented limit of 2 requests per second per IP address is kept by
// a rate limiter that all clients of the process share for the same host;
// it spaces requests 501 ms apart, so that no window of one second ever
// holds more than two.
// The server de-duplicates visits ("данные не будут дублироваться"), so
// requests are retried after connection errors, 429 and 5xx; 400 and 401
// are not retried.
//
// # Nothing is lost
//
// A request counts as delivered only when the server gives the documented
// answer, 200 {"message":"OK"}, exactly: a JSON object whose member
// "message" is the string "OK". Spacing between the JSON tokens and other
// members do not matter; another spelling of the word ("ok", " OK ") or
// of the key ("Message") does. Any other 2xx answer (an HTML page from a
// proxy, an image, a JSON error object, {"message":"ok"}) is an [*Error]
// matching [ErrDecode] whose Message holds the answer's message, and its
// events are not counted as delivered. The rule is exact because the
// documentation shows only this answer and because the two mistakes do
// not cost the same: a refused answer is a loud error whose events are
// sent again harmlessly (the server de-duplicates), while a tolerant rule
// that took a different answer for success would lose passes silently.
//
// When an upload stops (a failed request, a cancelled context, an invalid
// event), its [Result] says exactly which events were delivered (the first
// Result.Delivered, in the order given) and which were taken in but not
// confirmed (Result.Pending). Sending those again is harmless.
//
// # Validation
//
// Before anything is sent, every field is checked and a [*ValidationError]
// names the bad one ("events[41].iin", "data[0].person[3].datetime"): BIN
// and IIN are 12 digits with a valid check digit (the documentation's
// sample 123456789012 fails it; [WithChecksum] turns the check off), names
// are not blank, text is valid UTF-8, and datetime is set, with a year of
// 1–9999 and an offset of whole minutes within ±23:59 (what RFC 3339 can
// write). The time is sent
// with its location's offset, to the second ([DateTimeLayout]); fractions
// of a second are not part of the documented format and are not sent.
//
// # Errors
//
// The server's 400, 401 and 500 answers ({"message": "…"}) come back as an
// [*Error] matching [ErrValidation], [ErrUnauthorized] or [ErrServer], and
// a 2xx answer that is not {"message":"OK"} as one matching [ErrDecode]
// (Message holds the answer's message, if it has one). A redirect (3xx) is
// not followed, since the push is a POST whose body must not go elsewhere:
// it is an [*Error] matching [ErrRedirect] whose Location names the target,
// and its events stay pending. The API key never appears in errors or
// logs; a key that could not be sent as a header value unchanged (white
// space at either end, a control character such as a trailing newline,
// non-ASCII) is refused by [New] with a [*ValidationError] for "api key".
//
// # Testing
//
// Package paruskaztest runs a fake of the service in-process that checks
// every field, enforces the size and rate limits, de-duplicates and
// exposes what it stored.
package paruskaz
