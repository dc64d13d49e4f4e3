// Package trueapi is a client for the Kazakhstan ISMET True API v2.22
// (goods marking), as described by the provider's documentation
// "(kz) True API. Версия 2.22"; "§" numbers in this package are the
// sections of that documentation.
//
// This package names each method of the documentation's sections 4–8
// with a short id (A-1 … B-3) in the order the documentation presents
// them; the table below maps each HTTP method and path (first line) to
// its id, the documentation's section and the SDK methods (second line).
// Each method's doc comment names its id.
//
//	GET  /auth/key
//	     A-1  §4      Client.Token (sign-in)
//	POST /auth/simpleSignIn
//	     A-2  §4      Client.Token (sign-in)
//	POST /cises/my
//	     K-1  §5      Client.OrderCises, Client.MyCises
//	GET  /cises/orders/{uuid}/status
//	     K-2  §5      Client.CisesOrderStatus, Client.MyCises
//	GET  /cises/orders/{uuid}/result
//	     K-3  §5      Client.CisesOrderResult, Client.MyCises
//	POST /cis/cises-units-count
//	     K-4  §5      Client.CisesUnitsCount
//	POST /cises/info
//	     K-5  §5      Client.CisesInfo, Client.CisesInfoWithQuery
//	POST /cises/aggregated/list
//	     K-6  §5      Client.AggregatedList, Client.AggregatedListPages
//	GET  /cises/aggregated/list
//	     K-7  §5      Client.AggregatedListByQuery
//	POST /cises/list
//	     K-8  §5      Client.CisesList
//	GET  /cises/listV2
//	     K-9  §5      Client.CisesListV2, Client.CisesListV2Page
//	GET  /cises/history
//	     K-10 §5      Client.CisHistory
//	GET  /product/gtin
//	     P-1  §6      Client.GTINs, Client.GTINsPage
//	GET  /products/info
//	     P-2  §6      Client.ProductInfo
//	POST /product/route/gtin
//	     P-3  §6      Client.GTINProductGroups
//	GET  /products/listV2
//	     P-4  §6      Client.ProductsListV2, Client.ProductsListV2Page
//	GET  /edo-api/outgoing-documents
//	     D-1  §7.1    Client.OutgoingDocuments, Client.OutgoingDocumentsPage
//	GET  /edo-api/incoming-documents
//	     D-2  §7.1    Client.IncomingDocuments, Client.IncomingDocumentsPage
//	GET  /edo-api/outgoing-documents/{documentId}/base64
//	     D-3  §7.1    Client.OutgoingDocumentXML
//	GET  /edo-api/incoming-documents/{documentId}/base64
//	     D-4  §7.1    Client.IncomingDocumentXML
//	GET  /edo-api/documents/info/{documentId}
//	     D-5  §7.1    Client.EDODocumentInfo
//	POST /documents/search
//	     D-6  §7.1    Client.SearchDocuments, Client.SearchDocumentsPage
//	GET  /edo-api/outgoing-documents/{documentId}/events/withdraw/base64
//	     D-7  §7.1    Client.WithdrawalTitle
//	GET  /edo-api/incoming-documents/{documentId}/events/{decision}/base64
//	     D-8  §7.1    Client.IncomingTitle
//	POST /edo-api/incoming-documents/{documentId}/events/{decision}
//	     D-9  §7.1    Client.CreateIncomingTitle, Client.DecideIncoming
//	POST /edo-api/incoming-documents/{documentId}/events/{decision}/signature
//	     D-10 §7.1    Client.SendIncomingTitleSignature, Client.DecideIncoming
//	POST /edo-api/outgoing-documents/{documentId}/events/withdraw
//	     D-11 §7.1    Client.CreateWithdrawalTitle, Client.WithdrawOutgoing
//	POST /edo-api/outgoing-documents/{documentId}/events/signature
//	     D-12 §7.1    Client.SendWithdrawalTitleSignature, Client.WithdrawOutgoing
//	POST /documents/transit/introduce-goods/create
//	     D-13 §7.2    Client.SendReintroductionNotice
//	POST /edo-api/outgoing-documents/formal
//	     D-14 §7.3    Client.SendEDODocument (Act ПП, divergence notice)
//	POST /edo-api/outgoing-documents/formal
//	     D-15 §7.4    Client.SendEDODocument (EAEU import notice)
//	POST /documents/transit/import/third_countries
//	     D-16 §7.5    Client.SendThirdCountryImportNotice
//	POST /documents/writeOff
//	     D-17 §7.6    Client.SendWriteOffNotice
//	POST /edo-api/shipments
//	     D-18 §7.7    Client.SendShipment
//	GET  /edo-api/shipments/{shipmentId}/status
//	     D-19 §7.7    Client.ShipmentStatus, Client.WaitShipment
//	GET  /edo-api/shipments/{shipmentId}/view
//	     D-20 §7.7    Client.ShipmentView
//	POST /documents/searchV2
//	     D-21 §7.8    Client.SearchDocumentsV2, Client.SearchDocumentsV2Page
//	GET  /documents/import/shipment/{shipment_id}
//	     D-22 §7.9    Client.ShipmentDocument
//	POST /documents/import/acceptancies
//	     D-23 §7.10   Client.SendAcceptance
//	GET  /documents/import/status/{doc_id}
//	     D-24 §7.11   Client.ImportDocumentStatus, Client.WaitImport
//	GET  /doc/listV2
//	     D-25 §7.12   Client.DocListV2, Client.DocListV2Page
//	GET  /documents/{document_id}/info
//	     D-26 §7.12   Client.DocumentInfo, Client.WaitDocument
//	GET  /receipt/listV2
//	     D-27 §7.12   Client.ReceiptListV2, Client.ReceiptListV2Page
//	GET  /receipt/{receiptId}/info
//	     D-28 §7.12   Client.ReceiptInfo
//	POST /elk/crm-api/prequests
//	     B-1  §8      Client.RequestInvoice
//	GET  /elk/product-groups/balance
//	     B-2  §8      Client.Balance, Client.BalanceByID
//	GET  /elk/product-groups/balance/all
//	     B-3  §8      Client.Balances
//
// Paths are relative to the base URL; query parameters are left out.
// D-14 and D-15 share a path: the document's fileId prefix tells them
// apart.
//
// # Signing in
//
// Sign-in follows §4 of the documentation: GET auth/key gives a challenge, the exact
// bytes of its data are signed as an attached CMS by a [signing.Signer]
// (package trueapi/signing: RSA keys from NCA key files, an NCANode
// service for any key, or your own), and POST auth/simpleSignIn exchanges
// the base64 signature for a bearer token. The token is cached and shared
// by all goroutines; when the server answers 401 (an XML
// InvalidTokenException once the token expires), exactly one new sign-in
// runs however many calls failed with that token, and each failed call is
// replayed once. A call's retries (after a 503, say) carry the token the
// call started with; a 401 for it renews and replays as above.
//
// # Marking codes and products
//
// All ten methods of §5 and the four of §6:
//
//   - K-1…K-3, the cises/my order: [Client.MyCises] orders, polls and
//     unpacks the ZIP in one call; [Client.OrderCises],
//     [Client.CisesOrderStatus], [Client.CisesOrderResult] and
//     [ReadOrderResult] are the steps.
//   - K-4 [Client.CisesUnitsCount]; K-5 [Client.CisesInfo]; K-6/K-7
//     [Client.AggregatedList], [Client.AggregatedListByQuery],
//     [Client.AggregatedListPages]; K-8 [Client.CisesList]; K-9
//     [Client.CisesListV2], [Client.CisesListV2Page]; K-10 [Client.CisHistory].
//   - P-1 [Client.GTINs]; P-2 [Client.ProductInfo]; P-3
//     [Client.GTINProductGroups]; P-4 [Client.ProductsListV2],
//     [Client.ProductsListV2Page].
//
// Lists of codes above the specification's 1000 are split into several
// requests, up to 4 in flight, with the results in the caller's order.
// Codes are percent-encoded strictly (RFC 3986), a comma being part of a
// code and a list being repeated keys. Listings come as iter.Seq2
// iterators over the keyset (listV2) or page (product/gtin) pagination.
// Numbers sent as strings and strings sent as numbers decode either way,
// dates in every layout the documentation uses, and fields the documentation does not
// list are kept. Where the specification contradicts itself, the doc
// comment of the method says which reading was chosen.
//
// # Documents and billing
//
// All 27 document methods of §7 and the 3 billing methods of §8. A
// document is a typed builder ([TransferAct], [DivergenceNotice],
// [EAEUImportNotice], [ThirdCountryImportNotice], [WriteOffNotice],
// [ReintroductionNotice], [EAEUShipment], [EAEUAcceptance]) or a
// [RawDocument]; it is serialised once, those exact bytes are signed with
// a detached CMS ([Client.SignDocument]) and sent with the transport the
// method uses: multipart content+signature ([Client.SendEDODocument]),
// JSON document+signature ([Client.SendWriteOffNotice],
// [Client.SendThirdCountryImportNotice], [Client.SendReintroductionNotice],
// [Client.SendShipment], [Client.SendAcceptance]), or a text/plain
// signature for the EDO titles ([Client.DecideIncoming],
// [Client.WithdrawOutgoing] create the title, sign it and post the
// signature in one call). A document-creating request is never sent twice
// once it may have reached the server: a lost answer gives an
// [*OutcomeUnknownError] (errors.Is ErrOutcomeUnknown) that names the
// method to check the outcome with. [Client.WaitDocument],
// [Client.WaitShipment] and [Client.WaitImport] poll until a final status
// with growing waits. Registers, searches and listings are iterators
// ([Client.OutgoingDocuments], [Client.SearchDocuments],
// [Client.DocListV2] …). Balances are exact tiyn ([Client.Balances],
// [FormatTenge]).
//
// # Errors
//
// Every error body of §2.1 of the documentation (XML 401s, error_message,
// errorMessage/errorCode, code/errors, code/description, error arrays,
// the empty 406) is read into an [*Error] with the raw body kept, matching
// the sentinels ([ErrUnauthorized], [ErrNotFound], [ErrValidation] …) with
// errors.Is. Bad input is refused before any request with a
// [*ValidationError] naming the wire field. The token never appears in
// errors or logs.
//
// # Testing
//
// Package trueapi/trueapitest is a fake of the API over loopback that
// verifies sign-in signatures for real, expires tokens, applies the
// owner access rule, paginates, runs orders to a ZIP and injects faults.
package trueapi
