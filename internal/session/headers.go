package session

import (
	"cmp"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/steppe-sdk/steppe/internal/transport"
)

// Header names of devise_token_auth, as the uztgs documentation (§2
// "Аутентификация") shows them.
const (
	HeaderAccessToken = "access-token"
	HeaderTokenType   = "token-type"
	HeaderClient      = "client"
	HeaderExpiry      = "expiry"
	HeaderUID         = "uid"
)

// Headers are the five headers that carry a devise_token_auth session. A
// program that keeps them (see [TokenStore]) can resume the session after a
// restart without the password, for as long as the token lives.
//
// The server reads only access-token, client and uid; expiry and token-type
// are kept because the expiry decides which of two tokens is newer.
type Headers struct {
	// AccessToken is the current token. It changes on most responses.
	AccessToken string `json:"access-token"`
	// TokenType is "Bearer".
	TokenType string `json:"token-type"`
	// Client identifies the session; it stays the same until sign-out.
	// It is copied byte for byte.
	Client string `json:"client"`
	// Expiry is when AccessToken stops working, in Unix seconds; it slides
	// forward with every rotation. 0 means unknown.
	Expiry int64 `json:"expiry"`
	// UID is the user id, the e-mail address.
	UID string `json:"uid"`
}

// Usable reports whether h can authenticate a request: a token, a client
// and a uid are all present.
func (h Headers) Usable() bool {
	return strings.TrimSpace(h.AccessToken) != "" && h.Client != "" && h.UID != ""
}

// ExpiresAt returns Expiry as a UTC time, or the zero time when unknown.
func (h Headers) ExpiresAt() time.Time {
	if h.Expiry == 0 {
		return time.Time{}
	}
	return time.Unix(h.Expiry, 0).UTC()
}

// Expired reports whether the token is past its expiry at now, less margin.
func (h Headers) Expired(now time.Time, margin time.Duration) bool {
	return h.Expiry != 0 && !now.Add(margin).Before(h.ExpiresAt())
}

// String describes h with the access-token, the client and the uid (an
// e-mail address) masked: it shows only the token type, the expiry and
// which of the masked values are set. For example:
//
//	Headers{AccessToken: "REDACTED", TokenType: "Bearer", Client: "REDACTED", Expiry: 1615227012, UID: "REDACTED"}
//
// A value that is not set prints as "". JSON ([encoding/json.Marshal])
// keeps every value, since that is how a [TokenStore] saves the session.
func (h Headers) String() string {
	return fmt.Sprintf("Headers{AccessToken: %q, TokenType: %q, Client: %q, Expiry: %d, UID: %q}",
		masked(h.AccessToken), h.TokenType, masked(h.Client), h.Expiry, masked(h.UID))
}

// GoString is String, for %#v.
func (h Headers) GoString() string { return h.String() }

// Format prints String for every verb (%v, %+v, %#v, %s, %d, %x …; %q
// quotes it), so that no verb prints the fields themselves.
func (h Headers) Format(f fmt.State, verb rune) {
	s := h.String()
	if verb == 'q' {
		s = strconv.Quote(s)
	}
	_, _ = io.WriteString(f, s)
}

// LogValue makes log/slog print String instead of the fields.
func (h Headers) LogValue() slog.Value { return slog.StringValue(h.String()) }

// masked is transport.Mask for a value that is set, "" for one that is not.
func masked(v string) string {
	if v == "" {
		return ""
	}
	return transport.Mask
}

// The header names as net/http keys them (textproto's canonical form):
// apply and fromResponse index the map with them, so that no request or
// answer pays for canonicalising the lower-case names of the
// documentation.
var (
	keyAccessToken = http.CanonicalHeaderKey(HeaderAccessToken)
	keyTokenType   = http.CanonicalHeaderKey(HeaderTokenType)
	keyClient      = http.CanonicalHeaderKey(HeaderClient)
	keyExpiry      = http.CanonicalHeaderKey(HeaderExpiry)
	keyUID         = http.CanonicalHeaderKey(HeaderUID)
)

// apply writes the headers the server reads onto an outgoing request,
// replacing any values they had; the four values share one allocation.
func (h Headers) apply(hdr http.Header) {
	v := [...]string{h.AccessToken, h.Client, h.UID, cmp.Or(h.TokenType, "Bearer")}
	vals := v[:] // escapes into hdr: one slice for the four
	hdr[keyAccessToken] = vals[0:1:1]
	hdr[keyClient] = vals[1:2:2]
	hdr[keyUID] = vals[2:3:3]
	hdr[keyTokenType] = vals[3:4:4]
}

// get is hdr.Get(key) for a key in canonical form.
func get(hdr http.Header, key string) string {
	if v := hdr[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// fromResponse reads the session headers of a response. Blank values stay
// blank; ok is false when the response carries no usable token (a batch
// answer with access-token " ", an error answer, or a sign-out).
func fromResponse(hdr http.Header) (h Headers, ok bool) {
	h = Headers{
		AccessToken: strings.TrimSpace(get(hdr, keyAccessToken)),
		TokenType:   strings.TrimSpace(get(hdr, keyTokenType)),
		Client:      get(hdr, keyClient),
		UID:         get(hdr, keyUID),
	}
	if h.AccessToken == "" {
		return h, false
	}
	exp, err := strconv.ParseInt(strings.TrimSpace(get(hdr, keyExpiry)), 10, 64)
	if err != nil || exp <= 0 {
		return h, false
	}
	h.Expiry = exp
	return h, true
}
