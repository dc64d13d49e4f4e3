// Package trueapi is a client for the Kazakhstan ISMET True API v2.22
// (goods marking, "(kz) True API. Версия 2.22", seed 002 in the steppe
// repository; the project's English catalog numbers its methods A-1…B-3
// and each method's doc comment names its catalog section).
//
// # Signing in
//
// Sign-in follows catalog §1.2: GET auth/key gives a challenge, the exact
// bytes of its data are signed as an attached CMS by a [signing.Signer]
// (package trueapi/signing: RSA keys from NCA key files, an NCANode
// service for any key, or your own), and POST auth/simpleSignIn exchanges
// the base64 signature for a bearer token. The token is cached and shared
// by all goroutines; when the server answers 401 (an XML
// InvalidTokenException once the token expires), exactly one new sign-in
// runs however many calls failed with that token, and each failed call is
// replayed once.
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
// dates in every layout of catalog §1.9, and fields the catalog does not
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
// Every error body of catalog §1.3 (XML 401s, error_message,
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
