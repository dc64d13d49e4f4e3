// Package uchet is a client for the pk.uchet.kz "Проверка контрагента"
// (counterparty check) API v2: the status of a company's background data
// update, with a poller for progress bars, and, from public usage, company
// data and classifiers.
//
// The contract is the page «Статус обновления данных» of the provider's
// documentation of the API v2
// (https://pk.uchet.kz/docs/reference/company_update_status.html). That
// page has no numbered sections and gives no version beyond the API's v2;
// it is cited here by its title and headings. The documentation's general
// page «Общее описание» gives the base URL https://pk.uchet.kz/api/v2/,
// the token, and the shape of the errors, {"detail":{"code","message"}}.
//
// # Requests
//
// Every request the client sends, the methods that send it, and the part
// of the documentation that describes it. Each request also carries the
// token, ?token=… (see below).
//
//	Request                                SDK method(s)                                Documentation
//	GET /api/v2/update_status/?iin_bin=…   [Client.UpdateStatus], [Client.PollUpdate],  «Статус обновления данных»:
//	                                       [Client.WaitUpdate]                          «Адрес подключения»,
//	                                                                                    «Параметры запроса»,
//	                                                                                    «Возможные ошибки», «Ответ»
//	GET /api/v2/get_bin_info/?bin=…        [Client.CompanyByBIN]                        not documented: public usage
//	GET /api/v2/get_iin_info/?iin=…        [Client.CompanyByIIN]                        not documented: public usage
//	GET /api/v2/classifiers/{name}/        [Client.Classifier], such as name krp        not documented: public usage
//	GET /api/v2/{path}                     [Client.Get]: any other GET method           —
//
// Only update_status is described by the documentation. The company and
// classifier calls follow what public third-party code that calls the API
// sends (see Beyond the official page); «Общее описание» shows the URL
// classifiers/krp/ only as an example of a request.
// [WithBaseURL] points every request at another server (the default is
// [DefaultBaseURL]).
//
// # The token
//
// The API takes its token in the query string, so every URL holds a
// secret. The client adds ?token= itself, only for the API's host (a
// redirect elsewhere does not carry it), and masks it in every error,
// URL, message and log line it produces, including the errors of net/http
// (*url.Error) and the server's own error bodies.
//
// # Update status
//
// [Client.UpdateStatus] decodes the answer into [UpdateStatus]: counters,
// start and finish times ("17:24:52 25.04.2023", read in [Almaty] unless
// [WithLocation] says otherwise; null while running is the zero time), and
// the tasks as a map from [TaskName] to [Task]. The 20 task names and the
// statuses of the documentation's example are constants; other names and
// statuses are kept as they come.
//
// [Client.PollUpdate] yields a snapshot at growing intervals (1 s growing
// by half up to 15 s, [WithPollInterval]) until the update is complete;
// [Client.WaitUpdate] does the same with a progress callback and reports
// failed tasks as [ErrTasksFailed] together with the final status.
//
// A status request is a safe read, so the poller rides out transient
// failures: a request that still fails after the client's own retries
// with no answer, a 5xx or a 429 is not reported but asked again after a
// back-off that doubles from the poll interval (at most 1 min, or a longer
// Retry-After up to that cap; [WithPollBackoff]). Up to 5 such failures in
// a row are ridden out ([WithMaxPollFailures]); the next one ends the
// poll with its error (matching [ErrServer], [ErrRateLimited] or
// [ErrTransport]), and a successful poll starts the count again. Other
// errors (the API's codes, other 4xx answers, an unreadable answer) end
// the poll at once, and so does the end of the context, also in the middle
// of a wait. PollUpdate yields only snapshots and at most one error, the
// last value; WaitUpdate returns the last snapshot received together with
// any error.
//
// # Errors
//
// The API's errors, {"detail":{"code","message"}}, are read whatever the
// HTTP status is (the documentation gives none) into an [*APIError]. Its
// code matches [ErrIINBINValidation], [ErrCompanyNotFound] or [ErrToken]
// with errors.Is, and unknown codes are kept. An IIN/BIN is checked (12
// digits, check digit) before any request.
//
// An answer that arrives but cannot be read — not JSON, JSON of another
// shape, an update_status answer without one of its documented members
// (such as a maintenance object {"error":"…"} answered with 200), or a
// time not in [TimeLayout] — is an [*Error] matching [ErrDecode] that
// keeps the URL (token masked), status, attempts and the start of the
// body; it is never read as an empty status.
//
// A redirect to another scheme, host or port is not followed (the token
// would go with the URL): it is an [*Error] matching [ErrRedirect] whose
// Location names the target, token masked.
//
// # Beyond the official page
//
// [Client.CompanyByBIN], [Client.CompanyByIIN] and [Client.Classifier]
// are not in the documentation: their paths (get_bin_info, get_iin_info,
// classifiers/krp) and the fields they read come from public third-party
// code that calls the API, and they are decoded leniently with the raw
// JSON kept.
// Company calls may use up paid checks of the tariff plan, so they are sent
// once and never retried, and a 2xx answer that holds no company data (not
// a JSON object, {}, or only an error member such as {"error":"…"}) is an
// [*Error] matching [ErrDecode], never an empty company. [Client.Get]
// reaches any other GET method.
//
// # Testing
//
// Package uchettest runs a fake of the API in-process whose background
// updates advance with the clock (so testing/synctest controls them),
// with the documented errors, tasks that fail on demand, and fault
// injection.
package uchet
