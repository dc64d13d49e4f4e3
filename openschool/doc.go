// Package openschool is a client for the openschool.in.ua API v1, the open
// data of Ukrainian schools' finances: regions, reporting periods, schools
// with the money they received and spent, tasks with their reports, task
// categories, and budget payments.
//
// The contract is the provider's document «Доступ до даних Системи по API
// (v.1.0)»: one endpoint, GET http://openschool.in.ua/api/v1?action=…,
// six actions in six numbered items, no credentials. This package cites
// item n as §n, and each method names the item it implements.
//
// # Requests
//
// Every request of the document, the method that sends it, and its item:
//
//	Request                                   SDK method                    Documentation
//	GET /api/v1?action=regions                [Client.Regions]              §1 Отримання списку регіонів
//	GET /api/v1?action=periods                [Client.Periods]              §2 Отримуємо список звітних
//	                                                                        періодів
//	GET /api/v1?action=schools                [Client.Schools]              §3 Отримуємо список шкіл і суми
//	                                                                        (Отримано, Вітрачено)
//	GET /api/v1?action=tasks&id_task=…        [Client.Task]                 §4 Перелік завдань, response 1
//	GET /api/v1?action=tasks&node=…&item=…    [Client.Tasks]                §4 Перелік завдань, response 2
//	GET /api/v1?action=labels                 [Client.Labels]               §5 Список всіх категорій
//	GET /api/v1?action=governmentpayments     [Client.GovernmentPayments]   §6 Список всіх бюджетних
//	                                                                        платежів
//
// The other parameters of an action go in the same query string, named as
// the document names them (id_region, id_period, date_start, …).
// [WithBaseURL] points every request at another server (the default,
// [DefaultBaseURL], is the document's BASE_URL http://openschool.in.ua).
//
// # Types
//
// Identifiers stay strings, as the API sends them. Money is an exact
// [decimal.Decimal] (github.com/shopspring/decimal), never a float. Dates and
// timestamps are time.Time in [Location] (Europe/Kyiv). The Perl back end's
// habits — numbers as strings or numbers, undef as null, keys spelt
// "Id_task" or "id_task" — are absorbed while decoding; the types you see
// are plain Go.
//
// # Errors
//
// Parameters the API would reject or silently ignore are refused before any
// request with a [*ValidationError] naming the field (for example, a period
// combined with dates in [Client.Schools], which the API would ignore).
// Every failed call returns an [*Error]; match kinds with errors.Is and
// [ErrNotFound], [ErrRateLimited], [ErrServer], [ErrTransport], [ErrDecode],
// [ErrRedirect].
// A 200 answer that lacks the member the documentation always shows for the
// action ("regions", "schools", "task", "block", …), such as a maintenance
// object {"error":"…"}, is an [*Error] matching [ErrDecode] with the body
// kept, not an empty result; the member itself may be null or empty.
//
// A redirect is followed only to the same scheme, host and port. Any other,
// such as one from the documented http:// address to https://, is an
// [*Error] matching [ErrRedirect] whose Location names the target; pass
// that address to [WithBaseURL].
//
// # Retries and logging
//
// Requests are retried on connection errors and 408, 429, 502, 503, 504 with
// full-jitter backoff; a Retry-After longer than [WithMaxRetryAfter] is
// returned as an error carrying the delay. Logging is off unless
// [WithLogger] is given.
//
// # Testing
//
// Package openschooltest runs a faithful fake of the API in-process, with
// fault injection, for your own tests.
package openschool
