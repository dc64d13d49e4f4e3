// Package trueapi is a client for the Kazakhstan ISMET True API v2.22
// (goods marking, "(kz) True API. Версия 2.22", seed 002 in the steppe
// repository; the project's English catalog numbers its methods A-1…B-3).
//
// This version holds the sign-in and the token handling that every method
// builds on, and K-5 cises/info with automatic batching; the other
// marking-code, product, document and billing methods come next. Sign-in follows catalog §1.2: GET auth/key gives a challenge, the
// exact bytes of its data are signed as an attached CMS by a
// [signing.Signer] (package trueapi/signing: RSA keys from NCA key files,
// an NCANode service for any key, or your own), and POST auth/simpleSignIn
// exchanges the base64 signature for a bearer token. The token is cached
// and shared by all goroutines; when the server answers 401 (an XML
// InvalidTokenException once the token expires), exactly one new sign-in
// runs however many calls failed with that token, and each failed call is
// replayed once.
//
// Every error body of catalog §1.3 (XML 401s, error_message,
// errorMessage/errorCode, code/errors, code/description, error arrays,
// the empty 406) is read into an [*Error] with the raw body kept. The token
// never appears in errors or logs.
package trueapi
