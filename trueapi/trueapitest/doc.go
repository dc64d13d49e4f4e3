// Package trueapitest runs an in-process fake of the Kazakhstan ISMET
// True API v2.22 (the marking-code, product, document and billing methods),
// in the manner of net/http/httptest, for tests and offline examples.
//
//	srv := trueapitest.NewServer()
//	defer srv.Close()
//	// point the client at srv.BaseURL() and sign in with any RSA key
//	srv.FailNextOrder(trueapitest.OrderError)
//	srv.ExpireTokens()
//	srv.Faults.Add(trueapitest.Fault{Path: trueapitest.APIPath + "cises/info", Status: 503})
//
// # Routes
//
// Every route lives under [APIPath] ("/api/v3/true-api/"):
//
//	GET  auth/key                      A-1 challenge {"uuid","data"}
//	POST auth/simpleSignIn             A-2 {"uuid","data": base64 attached CMS} → {"token"}
//	POST cises/my                      K-1 order the participant's codes → {"uuid"}
//	GET  cises/orders/{uuid}/status    K-2 a bare JSON string: "NEW", "IN_PROGRESS", "SUCCESS", …
//	GET  cises/orders/{uuid}/result    K-3 a ZIP (application/zip)
//	POST cis/cises-units-count         K-4 consumer units per code and per GTIN
//	POST cises/info                    K-5 [{"cisInfo":{…}}] for a bare array of codes
//	POST cises/aggregated/list?pg=     K-6 {parent: {child: [grandchild…]}} for a bare array
//	GET  cises/aggregated/list?codes=  K-7 the same, codes repeated in the query
//	POST cises/list?values=            K-8 [{…}] for codes repeated in the query
//	GET  cises/listV2                  K-9 {"results":[…],"total":n}, keyset pages
//	GET  cises/history?code=           K-10 [{…}] one record per event
//	GET  product/gtin?pg=              P-1 {"gtins":[…],"total":n}, page from 0
//	GET  products/info?cis=            P-2 the product card of a code
//	POST product/route/gtin            P-3 the product group of each GTIN
//	GET  products/listV2               P-4 {"results":[…],"total":n}, keyset pages
//
// Documents (§7 of the documentation) and billing (§8), {id} standing for the
// placeholder of each route:
//
//	GET  edo-api/outgoing-documents                               D-1  {"count","items":[{id,status,number,date,type,created_at}]}
//	GET  edo-api/incoming-documents                               D-2  the same, type 1000 by default
//	GET  edo-api/outgoing-documents/{id}/base64                   D-3  base64 text of the XML
//	GET  edo-api/incoming-documents/{id}/base64                   D-4  base64 text of the XML
//	GET  edo-api/documents/info/{id}                              D-5  {status,type,body}
//	POST documents/search                                         D-6  {"documentsList":[{fileId,sendingDateTime,status,type}]}, 404 when empty
//	GET  edo-api/outgoing-documents/{id}/events/withdraw/base64   D-7  base64 text of a title
//	GET  edo-api/incoming-documents/{id}/events/{decision}/base64 D-8  base64 text of a title
//	POST edo-api/incoming-documents/{id}/events/{decision}        D-9  text/plain, no body → base64 text of a new title
//	POST edo-api/incoming-documents/{id}/events/{decision}/signature D-10 text/plain base64 detached CMS → 201, no body
//	POST edo-api/outgoing-documents/{id}/events/withdraw          D-11 as D-9, decision WITHDRAW
//	POST edo-api/outgoing-documents/{id}/events/signature         D-12 as D-10
//	POST documents/transit/introduce-goods/create                 D-13 {"document","signature"} → 200, no body
//	POST edo-api/outgoing-documents/formal                        D-14, D-15 multipart content, signature → {"documentId"}
//	POST documents/transit/import/third_countries                 D-16 {"document","signature"} → processing number (text)
//	POST documents/writeOff                                       D-17 {"document","signature"} → processing number (text)
//	POST edo-api/shipments                                        D-18 {"document": base64 JSON,"signature"} → {"shipmentId","errors"}
//	GET  edo-api/shipments/{id}/status                            D-19 {documentId,documentDate,status,errors}
//	GET  edo-api/shipments/{id}/view                              D-20 the D-22 object with the D-19 status
//	POST documents/searchV2                                       D-21 {"documentsList":[…]}
//	GET  documents/import/shipment/{id}                           D-22 the shipment, with its acceptance
//	POST documents/import/acceptancies                            D-23 {"document": base64 JSON,"signature"} → {"acceptationId","errors"}
//	GET  documents/import/status/{id}                             D-24 {documentId,status,documentType,documentErrors}
//	GET  doc/listV2                                               D-25 {"results":[…],"total":n}, keyset pages
//	GET  documents/{id}/info                                      D-26 the doc/listV2 record with body and content
//	GET  receipt/listV2                                           D-27 {"results":[…],"total":n}, keyset pages
//	GET  receipt/{id}/info                                        D-28 a receipt
//	POST elk/crm-api/prequests                                    B-1  {contractId,amount,sendto} → {status,response,error_message}
//	GET  elk/product-groups/balance?productGroupId=               B-2  {balance,contractId,organisationId,productGroupId}
//	GET  elk/product-groups/balance/all                           B-3  [ the B-2 objects ]
//
// An unknown path answers 404 {"error_message":"Метод с указанным URL не
// найден"} and another method on a known path 405 with Allow, both before
// the token is looked at. Errors are {"error_message": "…"} JSON, with the
// texts of the documentation where it gives them; the 401s are XML (below).
// Bodies of the wrong JSON kind get Jackson-like 400s ("JSON parse error:
// Cannot deserialize instance of `java.util.ArrayList` out of START_OBJECT
// token"); a JSON body with a Content-Type other than application/json
// gets 415 (a missing Content-Type is accepted), one over 30 MB 413.
// Query strings must be percent-encoded (RFC 3986): a raw "+" is a space,
// and a comma is part of a value, never a separator; multi-value
// parameters are repeated (codes=a&codes=b).
//
// A request whose Accept header admits none of the answer's types (JSON;
// JSON or ZIP for K-3; JSON or text/plain for the base64, title,
// processing-number and empty answers of §7) gets 406 with an empty body;
// no Accept header admits everything. A base64 or text answer is
// text/plain when the client accepts it, a JSON string otherwise. The K-3 ZIP also needs an Accept that admits application/zip.
// Each route counts in [Stats].Requests under "METHOD route", e.g.
// "GET cises/orders/{uuid}/status".
//
// # Sign-in and tokens
//
// auth/key hands out 30 random upper-case letters under a new uuid, valid
// for [Config.ChallengeTTL]. auth/simpleSignIn verifies the CMS for real
// with [signing.Verify]: it must be attached and its content must be the
// exact bytes of data. Refusals (the documentation gives no texts or statuses;
// these are the fake's choices):
//
//   - 400 with error_message: a body that is not a JSON object, a missing
//     uuid or data, data that is not base64;
//   - 401 with a JSON error_message (not the XML of the other routes): an
//     unknown, used or expired uuid, a CMS that does not verify, a
//     detached CMS, or signed content other than the challenge. A uuid is
//     used up by the first sign-in that names it, even a failed one.
//
// A token looks like a JWT ("eyJ…", payload {"pid","iat","exp","jti"}) but
// is an opaque random string bound to its participant, valid for
// [Config.TokenTTL]. Every other route needs "Authorization: Bearer
// <token>". Without a usable header the answer is 401, Content-Type
// application/xml:
//
//	<UnauthorizedException><error>unauthorized</error><error_description>Full authentication is required to access this resource</error_description></UnauthorizedException>
//
// and for an unknown or expired token (see [Server.ExpireTokens]) the
// same with the token echoed, as in the documentation, so that clients can test
// that they redact it:
//
//	<InvalidTokenException><error>invalid_token</error><error_description>Access token expired: TOKEN</error_description></InvalidTokenException>
//
// # Participants and the access rule
//
// The participant of a token comes from the signer certificate (see
// [ParticipantOf]): the BIN of a subject OU "BIN" + 12 digits, else the IIN
// of the subject SERIALNUMBER "IIN" + 12 digits. When no code of the data
// set is owned or produced by that id, or the certificate has none, the
// participant is [Config.Owner], so any test key works and sees the
// owner's data. A certificate with OU "BIN" + [OtherOwner1] signs in as
// that owner.
//
// A participant sees the codes it owns or produced, and nothing else:
// other codes are left out of every answer as if unknown, giving empty
// arrays rather than 404 (cises/info, cises/list, cises/my orders, the
// listV2 routes, units count, product/gtin), an empty array for
// cises/history, 404 for products/info and for the aggregated lists when
// nothing is left, and an in-band error-code "401" for product/route/gtin.
// Owner fields (ownerBin, ownerName, ownerInn) are shown to the owner
// only, so a producer that sold a code sees it without them. Orders are
// private too: another participant's order uuid answers 404.
//
// # Orders
//
// cises/my selects the participant's codes whose GTIN starts with gtin
// (required), of packageType when given, produced on or after
// producedDate when given, sorted by code, at most [MaxOrderCodes]. The
// status then follows the clock from the order's creation: NEW for the
// first half of [Config.OrderDelay], IN_PROGRESS for the second half, then
// SUCCESS, and RESULT_EXPIRED once the success is [Config.ResultTTL] old.
// [Server.FailNextOrder] makes an order end in ERROR or VALIDATION_FAILED
// instead. The result answers 400 before SUCCESS (and after a failure) and
// 404 once expired; it can be downloaded any number of times meanwhile.
//
// The result is a ZIP holding one file named after the order: <uuid>.json,
// a JSON array of {cis, status, gtin, producedDate, packageType, child,
// parent} (requestedCis and code are left out, empty child and parent
// too), or with [Config.OrderFormat] = [FormatCSV] <uuid>.csv, RFC 4180
// with CRLF line ends, a header row requestedCis, cis, code, status, gtin,
// producedDate, packageType, child, parent, and child written as a JSON
// array ("[]" when empty). [Stats].ResultContentType counts result requests
// that carried a Content-Type header, which the API no longer wants.
//
// Everything is computed from time.Now() when a request is answered, so a
// test that serves the fake in-process (pass srv.InProcessClient() to
// trueapi.WithHTTPClient) inside a testing/synctest bubble sees orders
// and tokens age with the bubble's clock. Create the server outside the
// bubble, and sign in (or call [Server.IssueToken]) inside it.
//
// # Lists and paging
//
// cises/listV2 and products/listV2 filter the participant's codes by cis,
// cisStatus, gtin, sn (the serial), tnVed10, emissionDateFrom and
// emissionDateTo (inclusive), emissionType, cisPackageType, producerInn and
// ownerInn, and sort them by emission date with the code as tie-breaker,
// ASC by default or DESC, whether orderColumn is absent or "emd" (the only
// column allowed; any other is a 400).
// limit defaults to 10 and 49 respectively and may not exceed [MaxLimit].
// Paging is by keyset: uit (a code) and orderedColumnValue (its
// emissionDate exactly as served, "yyyy-MM-ddTHH:mm:ss.SSSZ") name a
// position, given both or neither; pageDir NEXT (the default) answers the
// limit records after it, PREV the limit records before it, both in the
// sort order. Without a position the first page is answered. total counts
// every matching record. The data set has long runs of equal emission
// dates, so a client that pages by date alone loses or repeats records.
//
// cises/aggregated/list pages the children of each requested code with
// childrenPage (from 1) and childrenLimit (default 50), except for tobacco
// codes, whose children all come at once. POST needs pg and answers the
// requested codes in the form of the request; GET takes an optional pg and
// answers the codes in their emitted form. When no code is left, POST
// answers 404 "KM не найдены" (Latin KM, as in the documentation) and GET 404
// "КМ не найдены".
//
// # Data
//
// The data set is generated from [Config.Seed] (the same seed gives the
// same codes): [Config.Codes] consumer units of [Config.Owner] in tobacco
// (id 3), milk (8) and alcohol (11), several GTINs per group (14 digits,
// leading zero, valid check digit); tobacco packs aggregated into blocks
// (LEVEL1) of 10, emitted in the bracket form "(01)…(21)…", and blocks into
// boxes (LEVEL2) of 5; milk and alcohol units partly in LEVEL1 boxes of 12
// and 6; an imported (FOREIGN) product; 20 packs produced by the owner and
// sold to [OtherOwner1]; and 150 units each of [OtherOwner1] (tobacco) and
// [OtherOwner2] (milk). Codes are "01" + GTIN + "21" + serial, serials of
// printable GS1 characters including + % & " ( ) , which need escaping.
// Statuses are mostly INTRODUCED and APPLIED, some WITHDRAWN and
// WRITTEN_OFF; emission dates lie in 2024–2026, truncated to the hour and
// shared by batches of 20 to 80 codes. History records are derived from
// the dates and status: EMITTED, APPLIED, INTRODUCED and the final status,
// two to four events. Requests may name codes in either form and with a
// crypto tail after a GS character (0x1D), which is cut off.
//
// [Server.OwnCodes], [Server.ForeignCodes], [Server.Lookup] and
// [Server.GTINs] read the data; [Server.AddCode] adds codes.
//
// # Documents
//
// The fake keeps a store of documents ([Server.Document],
// [Server.Documents]): each with its id, EDO number, type (§9 of the documentation),
// parties, time received, the exact content and signature bytes received,
// titles and statuses. A participant sees the documents it sent or
// received; another participant's document is unknown (404), except for
// documents/{id}/info, which answers 403. Ids of D-13, D-16 and D-17 are
// the XML fileId; the others are generated.
//
// The store is seeded from [Config.Seed]: Acts ПП from [OtherOwner1] and
// [OtherOwner2] to the owner (three awaiting a decision, one signed, one
// rejected, a correction), Acts of the owner (awaiting, signed, failed),
// an Act between the other owners, an EAEU import notice, a re-introduction
// and a withdrawal registered at the same instant, a failed third-country
// import, an aggregation, three EAEU shipments from [Exporter] to the owner
// (one accepted), ten receipts of the owner and two of OtherOwner1. The
// seeded documents are final from the start.
//
// Transports are checked strictly. The JSON routes (D-13, D-16, D-17,
// D-18, D-23) take {"document": base64, "signature": base64} as
// application/json (or without Content-Type; another type gets 415, a body
// of the wrong JSON kind a Jackson-like 400); formal takes
// multipart/form-data with the parts content and signature (another
// Content-Type, or none, gets 415; a missing part "Required request part
// 'signature' is not present"); the title signatures take text/plain, the
// whole body being the base64 CMS (another Content-Type, or none, 415).
// A document above 30 MB gets 413.
//
// Signatures are verified with [signing.Verify] against the exact decoded
// content (for titles, the exact title bytes the fake served): the CMS must
// be detached (shipments may also carry an attached CMS over the
// document), and its certificate must map to the token's participant as a
// sign-in would. A refusal says "Ошибка проверки подписи документа …:
// подпись не соответствует документу …": 422 for D-13, D-16, D-17, D-18
// and D-23 (the documentation's "Ошибка проверки подписи"), 400 for formal and
// the titles (the only status they list).
//
// XML documents must start with <?xml version="1.0" encoding="UTF-8"?>
// (either case, either quotes), be well-formed and carry a fileId;
// otherwise 400 "Операция не выполнена. Невалидный формат XML документа:
// …". Each route adds its checks: formal tells the document by the fileId
// prefix (EEU_ACT_, COR_ACT_, DIVERG, IMPORT_TRANSIT_, IM_TRANSIT_COR_,
// then a UUID), requires the sender to be the participant and a count on
// every code of an Act, and refuses an Act to [PreRegisteredBIN] with the
// documentation's PRE_REGISTERED 400; third_countries wants IMPORT_<uuid> and
// the participant as importerCode; introduce-goods and writeOff the
// participant as participantIdentificationCode and a reason (1–3, 1–18).
// A fileId registered before gets 400. Shipments and acceptances are JSON
// documents checked against the documentation's fields ("Документ не прошел
// валидацию по схеме: …"); request_type must be the ASCII ACCEPTANCE.
//
// Statuses follow the clock from the time received: IN_PROGRESS for
// [Config.DocumentDelay], then CHECKED_OK, or the status given to
// [Server.FailNextDocument] with errors. EDO documents are in Act status 1
// meanwhile, then 3 (8 for a divergence notice) or 10; a signed title makes
// them 4 (approve), 5 (reject) or 16 (withdraw). A title is created by
// D-9 or D-11 for a document in status 3 (the same bytes again until it
// is signed) and signed by D-10 or D-12. Export shipments are CHECKING,
// then SENT, WAITING_ACCEPTANCE and ACCEPTED one DocumentDelay apart, or
// ERROR when they carry in-band errors (codes the exporter does not own,
// 303; another exporterCode, 307). An acceptance is checked like a
// document, and once CHECKED_OK its shipment is ACCEPTED.
//
// [Stats].DocumentsReceived and [Server.ReceivedTimes] count how many
// times the same content reached a creating route, refused or not, so a
// test can prove that nothing was sent twice; with a DropResponse fault
// the document is stored and counted although the client sees no answer.
//
// Lists: the EDO registers page by offset and limit (default and maximum
// 10000; above, 400 "Лимит превышен, запросите не более 10000 документов.
// Получено значение n"; below 0, 500), filter by statuses and type
// (repeated or comma-separated; 61 and 62 stand for 4 and 10),
// create_from and create_to (Unix seconds), partner_inn, and sort by
// sortBy (date by default) and asc. doc/listV2 and receipt/listV2 page by
// keyset as cises/listV2 does, with did and orderedColumnValue (receivedAt)
// as the cursor (did may come alone: the records after or before the
// document of that number), orderColumn receivedAt only, limit 100 by
// default; receipt/listV2 requires pg with a limit, doc/listV2 does not.
// docDate keeps the documents dated on that UTC day. documents/search and
// searchV2 page by pagination {offset, order, limit}.
//
// # Billing
//
// Each seeded participant has a personal account ([Server.Balances],
// [Server.SetBalance]) with balances in tiyn, served as integers. An
// invoice request names the account by contractId, amount as a decimal
// string and sendto; it is kept ([Server.Invoices]) and answered with an
// in-band status 200 and the invoice id as response, or status 400 and an
// error_message.
//
// # Faults and records
//
// Faults and Recorder come from fakekit.Server: faults are applied before
// the fake sees a request, and every request, faulted or not, is recorded
// ([Server.Requests]).
package trueapitest
