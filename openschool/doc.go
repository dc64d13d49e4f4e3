// Package openschool is a client for the openschool.in.ua API v1, the open
// data of Ukrainian schools' finances: regions, reporting periods, schools
// with the money they received and spent, tasks with their reports, task
// categories, and budget payments.
//
// The contract is the provider's document "Доступ до даних Системи по API
// (v.1.0)": one endpoint,
// GET http://openschool.in.ua/api/v1?action=…, six actions, no credentials.
// Each method names the section it implements (§1 regions … §6
// governmentpayments).
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
