// Package uztgs is a client for the uztgs.uz metering data server:
// customers, metering stations, meter types, channels, archives of
// readings and meter configuration.
//
// The contract is the provider's document «Универсальный сервер сбора и
// обработки данных. Описание Web API». It carries no version number; its
// URLs are under https://uztgs.uz/api/v1/. Section numbers in this package
// (§2, §3.1 …) are that document's own: §2 Аутентификация, §3 Описание
// представлений (§3.1 «Потребители», §3.2 «Узлы учета», §3.3 «Архивы
// показаний», §3.4 Справочники, §3.5 «Типы приборов учета», §3.6 «Каналы»,
// §3.7 «Конфигурация») and §4 Порядок выгрузки данных (§4.1–§4.7, one
// request each).
//
// # Requests
//
// Every request of the document, the methods that send it, and the
// sections that describe it:
//
//	Request                                   SDK method(s)                               Section
//	POST /api/v1/auth/sign_in                 [Client.SignIn]; also sent by the client    §2, §4.1
//	                                          itself (see Sessions) and by [Client.Export]
//	DELETE /api/v1/auth/sign_out              [Client.SignOut], [Client.Close];           §2
//	                                          [Client.Export] for its extra sessions
//	GET /api/v1/customers                     [Client.CustomersPage], [Client.Customers]  §3.1, §4.2
//	GET /api/v1/stations                      [Client.StationsPage], [Client.Stations];   §3.2, §4.3
//	                                          [Client.Export] when given no stations
//	GET /api/v1/channel_data?archive_type=…   [Client.ArchivePage], [Client.Archive],     §3.3, §4.6
//	    (hourly, daily, monthly, yearly,      [Client.Export]
//	    nesht)
//	GET /api/v1/equipment_types               [Client.EquipmentTypesPage],                §3.5, §4.4
//	                                          [Client.EquipmentTypes]
//	GET /api/v1/channel_archive_types         [Client.ChannelsPage], [Client.Channels]    §3.6, §4.5
//	GET /api/v1/channel_data?archive_type=settings                                        §3.7, §4.7
//	                                          [Client.SettingsPage], [Client.Settings]
//
// The reference tables of §3.4 (§3.4.1–§3.4.3) need no request: they are
// [ArchiveTypes], [Channels] with [LookupChannel], and [MeterTypes].
//
// The text of §4 calls the view requests «POST запрос», and its curl
// examples send GET with the parameters in a JSON body. The client sends
// GET with the parameters (the view's own, and page and per_page of §1.4)
// in the query string, as the resource identifiers of §3 write them, with
// the header Content-Type: application/json that §4 asks for.
// [WithBaseURL] points every request at another server (the default,
// [DefaultBaseURL], is https://uztgs.uz/api/v1/).
//
// # Sessions
//
// The server authenticates like the Ruby gem devise_token_auth (§2): a
// sign-in with e-mail and password returns five headers (access-token,
// token-type, client, expiry, uid); every later request must carry them,
// and most responses carry a new access-token that makes the old one
// invalid. The client does this for you:
//
//   - It signs in before the first request ([WithPassword]), or resumes a
//     session from saved headers ([WithHeaders], [WithTokenStore] with a
//     [FileStore]) without the password.
//   - It takes a new token from a response only when it is not blank and
//     its expiry is not older than the one it holds: the server answers
//     requests made within 5 seconds of the last rotation with a blank
//     token (" "), and a 401 with no headers.
//   - It sends one request at a time per client, each with the token of
//     the previous answer, so any number of goroutines can share a Client.
//   - It takes tokens only for its own session: an answer whose client
//     header names another session is ignored (and counted in
//     [Stats].ForeignClient).
//   - It recovers once per token generation, not once per call. When an
//     answer is lost after the request may have reached the server (the
//     server may have rotated the token) or the server answers 401, no
//     queued request goes out with that token: the session signs in again
//     once, shared by every call that needs it, and those calls are sent
//     again with the new token (a read is retried by the transport, a 401
//     replayed). A call whose replay meets a 401 from the newer token
//     renews again, at most 3 times. Without a password the 401 is
//     returned as an [*Error] matching [ErrUnauthorized].
//   - An answer that may carry a new token is never abandoned: when a
//     call's context ends (or a prefetching loop is left early) while its
//     request is out, the call returns at once with the context's error,
//     and the answer is still read, for up to 30 seconds, for its token.
//   - [Client.Close] signs out (DELETE auth/sign_out) and returns an error
//     when the server did not confirm it ([ErrSignOutUnconfirmed] for a 404
//     or 401, [ErrDecode] for {"success":false}).
//
// # Device slots
//
// devise_token_auth keeps at most 10 sessions (client ids) per user by
// default and evicts the ones that expire soonest when an 11th signs in.
// Every sign-in opens a new session; a session whose token was lost keeps
// its slot until it expires (two weeks) or is evicted, because it cannot be
// signed out without its token. So every re-sign-in, after a lost answer or
// a 401, costs a slot, and more than 10 clients (or Export sessions) of one
// user evict each other and sign in again and again. [Client.Stats] counts
// sign-ins, re-sign-ins, rotations, blank batch answers, lost answers and
// 401s, and the client logs a warning (with [WithLogger]) when re-sign-ins
// pass 5, 10, 20 …. Give each program its own user, or keep the number of
// clients and Export sessions of one user within 10.
//
// # Views
//
// Each view of §3 has a page call that keeps total_pages, current_page and
// next_page ([Client.StationsPage]) and an iterator over all items that
// asks for the largest page, 1000 ([Client.Stations]). Parameters go in the
// query string. Unix times become UTC time.Time values. An archive record's
// channel_data, a list of one-key objects, becomes [Readings] in the
// server's order with lookup by channel code. Every item ([Customer],
// [Station], [EquipmentType], [Channel], [Record], [Setting], and the
// sign-in's [User]) keeps the members the documentation does not list, as
// sent, in its Extra field, so nothing the server adds is lost; a
// documented member whose value cannot be read fails the page with
// [ErrDecode] instead.
//
// For nightly exports, [Client.Export] fetches the archives of many
// stations over several sessions at once, streams the records with their
// station, reports progress and says exactly which stations were not
// exported when something fails.
//
// # Errors
//
// Parameters the server would refuse are rejected before any request with
// a [*ValidationError] naming the parameter. Every failed call returns an
// [*Error]; match kinds with errors.Is ([ErrUnauthorized], [ErrNotFound],
// [ErrServer], [ErrTransport], [ErrDecode], [ErrRedirect]).
//
// Only the documented answers count as success: a view needs its data list,
// the sign-in {"data":{…}} with the account's id and uid, the sign-out
// {"success":true}. Any other 2xx answer (an HTML maintenance page, {},
// null, a list) is an [*Error] matching [ErrDecode] with the start of the
// body kept, secrets masked. A redirect is followed only by a GET and only
// to the same scheme, host and port; any other comes back as an [*Error]
// matching [ErrRedirect].
//
// Tokens, the client header, the e-mail (uid) and the password never
// appear in errors or logs, and printing [Headers] masks them.
//
// # Testing
//
// Package uztgstest runs a fake of the server in-process that follows the
// gem's rules (token rotation, batch window, 10 sessions), with fault
// injection, for your own tests.
package uztgs
