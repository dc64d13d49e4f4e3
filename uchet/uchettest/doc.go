// Package uchettest runs an in-process fake of the pk.uchet.kz
// "Проверка контрагента" (counterparty check) API v2, in the manner of
// net/http/httptest, for tests and offline examples.
//
//	srv := uchettest.NewServer()
//	defer srv.Close()
//	// point the client at srv.BaseURL() with ?token=uchettest.DefaultToken
//	srv.StartUpdate(uchettest.SeedBIN)
//	srv.FailTasks(uchettest.SeedBIN, "samruk")
//	srv.Faults.Add(uchettest.Fault{Path: uchettest.APIPath + "update_status/", Status: 502})
//
// # Routes
//
// Every route lives under [APIPath] and answers GET only. A trailing slash
// after the route is optional (the official example writes it; the fake
// does not redirect as FastAPI would without it).
//
//	update_status/?token=…&iin_bin=…   progress of the background update
//	get_bin_info/?token=…&bin=…        company card of a legal entity (paid)
//	get_iin_info/?token=…&iin=…        card of an individual entrepreneur (paid)
//	classifiers/krp/?token=…           enterprise-size classifier
//
// Routing comes first, as in FastAPI: an unknown path is answered 404
// {"detail":"Not Found"} and another method on a known path 405
// {"detail":"Method Not Allowed"} with Allow: GET, both without looking at
// the token.
//
// # Errors
//
// Errors of the API itself have the shape
//
//	{"detail":{"code":"…","message":"…"}}
//
// with the codes of the official documentation:
//
//   - token_error, "token is not found": the token query parameter is
//     missing or not one of [Config.Tokens] (compared in constant time).
//     The documentation does not give the HTTP status; the fake answers 401.
//   - iin_bin_validation_error, 400: the number parameter (iin_bin, bin or
//     iin, named in the message, e.g. "bin is not valid") is missing, is not
//     12 ASCII digits, or fails the mod-11 check digit.
//   - not_found, 404: the company is not in the fake's data ("company not
//     found"), the company has no update and [Config.AutoStart] is off
//     ("update not found"), or the classifier is unknown ("classifier not
//     found"). get_bin_info answers not_found for an individual
//     entrepreneur's IIN and get_iin_info for a legal entity's BIN.
//
// # Background updates
//
// An update of a company starts at a moment (see [Server.StartUpdate], or
// the first update_status request when [Config.AutoStart] is set) and runs
// every task of [TaskNames] in parallel from that moment. A task takes
// [Config.TaskDuration]; until then its status is "processing" with a null
// finish_time, afterwards "done", or "failed" for the tasks named with
// [Server.FailTasks]. The official page shows only "done" and
// "processing"; "failed" is inferred from the failed counter. The counters
// follow: processed = done + failed, success = done, processing =
// tasks_count − processed. The update's finish_time is the latest task
// finish once every task is processed, null before.
//
// Everything is computed from time.Now() when a request is answered, so a
// test that serves [Server.Handler] in-process inside a testing/synctest
// bubble sees the update advance with the bubble's clock. (Create the
// server outside the bubble: its listener goroutine would otherwise keep
// the bubble's clock from advancing.)
//
// Times are written in [Config.Location] (Asia/Almaty unless set) with
// [TimeLayout], truncated to the second. The tasks object lists the tasks
// in the order of [TaskNames], as in the official example.
//
// # Company cards
//
// The official pages do not document get_bin_info and get_iin_info; the
// fake follows the field names that public third-party callers read:
// name_ru, name_kz, full_name_ru, status, registration_date
// ("YYYY-MM-DD"), head_fullname, address_ru, oked_code, oked_name_ru and
// the nested tax_debt, goszakup, goszakup_unreliable and stat_gov objects.
// The number itself is returned under "bin" for legal entities and "iin"
// for individual entrepreneurs (an invention of the fake).
//
// # Data
//
// The server starts with [DefaultDataset]: the company of the official
// example ([SeedBIN]), two more legal entities and an individual
// entrepreneur ([IndividualIIN]). [UnknownBIN] is check-digit valid but
// not in the data. [Server.AddCompany] adds or replaces companies.
//
// # Faults and records
//
// Faults and Recorder come from [fakekit.Server]: faults are applied before
// the fake sees a request, and every request, faulted or not, is recorded.
//
// [fakekit.Server]: https://pkg.go.dev/github.com/steppe-sdk/steppe/internal/fakekit#Server
package uchettest
