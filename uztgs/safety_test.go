package uztgs

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/transport"
)

// hostileBodies are 2xx answers that are not a documented answer of any
// call; each echoes secrets, which must come back masked.
func hostileBodies() map[string]string {
	return map[string]string{
		"maintenance page": `<html><head><title>Ведутся работы</title></head><body>` + docEmail + ` ` + docClient + ` ` + docPassword + `</body></html>`,
		"empty object":     `{}`,
		"null":             `null`,
		"array":            `[{"data":{"id":6,"uid":"` + docEmail + `"}}]`,
		"string":           `"OK"`,
		"not JSON":         `OK`,
		"error object":     `{"error":"maintenance","client":"` + docClient + `"}`,
	}
}

// assertKeptAndMasked checks that err is the *Error of a 2xx answer that is
// not the documented one, with the body kept and every secret the client
// knows masked: the password, the e-mail and the session's values.
func assertKeptAndMasked(t *testing.T, err error, secrets ...string) *Error {
	t.Helper()
	require.ErrorIs(t, err, ErrDecode)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusOK, e.StatusCode)
	assert.NotEmpty(t, e.Body, "the start of the body is kept")
	text := fmt.Sprintf("%v %s %s %s", err, e.Body, e.Message, e.URL)
	for _, secret := range append([]string{docPassword, docEmail}, secrets...) {
		assert.NotContains(t, text, secret)
	}
	return e
}

// The sign-in creates a session on the server. Only the documented answer,
// {"data":{…}} with the account's id and uid, counts; any other 200 is an
// *Error matching ErrDecode, marked MaybeDelivered and not sent again.
func TestSignInHostileSuccessAnswers(t *testing.T) {
	bodies := hostileBodies()
	bodies["success only"] = `{"success":true}`
	bodies["data null"] = `{"data":null}`
	bodies["data list"] = `{"data":[]}`
	bodies["data empty"] = `{"data":{}}`
	bodies["data without uid"] = `{"data":{"id":6,"email":"` + docEmail + `"}}`
	bodies["data without id"] = `{"data":{"uid":"` + docEmail + `"}}`
	bodies["two answers"] = `{"data":{"id":6,"uid":"x"}}{"data":{"id":6,"uid":"x"}}`
	for name, body := range bodies {
		for _, withHeaders := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/headers=%v", name, withHeaders), func(t *testing.T) {
				c, mt := newMocked(t)
				mt.RegisterResponder(http.MethodPost, DefaultBaseURL+pathSignIn, func(*http.Request) (*http.Response, error) {
					if withHeaders {
						return sessionResponse(200, body, docToken1, docExpiry1), nil
					}
					return httpmock.NewStringResponse(200, body), nil
				})
				u, err := c.SignIn(t.Context())
				assert.Nil(t, u)
				var known []string
				if withHeaders {
					known = []string{docClient, docToken1}
				}
				e := assertKeptAndMasked(t, err, known...)
				assert.True(t, e.MaybeDelivered, "a session may have been opened")
				assert.Equal(t, 1, e.Attempts)
				assert.Equal(t, 1, mt.GetCallCountInfo()["POST "+DefaultBaseURL+pathSignIn], "not sent again")
				// Headers that came with the answer name a real session:
				// they are kept so that it can be signed out.
				assert.Equal(t, withHeaders, c.Headers().Usable())
			})
		}
	}

	// The sign-in a view starts by itself is held to the same rule.
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodPost, DefaultBaseURL+pathSignIn, func(*http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(200, `{}`), nil
	})
	_, err := c.CustomersPage(t.Context(), PageParams{})
	assertKeptAndMasked(t, err)
	assert.Zero(t, mt.GetCallCountInfo()["GET "+DefaultBaseURL+pathCustomers])
}

// The documented sign-in answer, with harmless variants, is success.
func TestSignInDocumentedAnswerVariants(t *testing.T) {
	for _, body := range []string{
		`{"data":{"id":6,"email":"api@local.net","provider":"email","uid":"api@local.net","name":"API user"}}`,
		`{"success":true,"data":{"id":"6","uid":"api@local.net","allow_password_change":false}}`,
		` {"data":{"id":6,"uid":"api@local.net","name":null}} ` + "\n",
	} {
		c, mt := newMocked(t)
		mt.RegisterResponder(http.MethodPost, DefaultBaseURL+pathSignIn, func(*http.Request) (*http.Response, error) {
			return sessionResponse(200, body, docToken1, docExpiry1), nil
		})
		u, err := c.SignIn(t.Context())
		require.NoError(t, err, body)
		assert.Equal(t, int64(6), u.ID)
		assert.Equal(t, docEmail, u.UID)
	}
}

// The sign-out ends a session on the server. Only 200 {"success":true}
// confirms it; any other 200 is an *Error matching ErrDecode and the
// session is kept, so that a later sign-out can settle it.
func TestSignOutHostileSuccessAnswers(t *testing.T) {
	bodies := hostileBodies()
	bodies["success false"] = `{"success":false}`
	bodies["success string"] = `{"success":"true"}`
	bodies["success null"] = `{"success":null}`
	bodies["data only"] = `{"data":{"id":6}}`
	bodies["token echoed"] = `{"errors":["` + docToken1 + `"]}`
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			c, mt := newMocked(t)
			signInResponder(t, mt)
			_, err := c.SignIn(t.Context())
			require.NoError(t, err)
			answer := body
			mt.RegisterResponder(http.MethodDelete, DefaultBaseURL+pathSignOut, func(*http.Request) (*http.Response, error) {
				return httpmock.NewStringResponse(200, answer), nil
			})
			err = c.SignOut(t.Context())
			e := assertKeptAndMasked(t, err, docClient, docToken1)
			assert.Equal(t, http.MethodDelete, e.Method)
			assert.True(t, c.Headers().Usable(), "the session is kept")

			err = c.Close()
			require.ErrorIs(t, err, ErrDecode, "Close says the server did not confirm")

			answer = `{"success":true}`
			require.NoError(t, c.SignOut(t.Context()))
			assert.Equal(t, Headers{}, c.Headers())
			assert.Equal(t, 3, mt.GetCallCountInfo()["DELETE "+DefaultBaseURL+pathSignOut])
		})
	}
}

// Printing the session headers, with any verb or through log/slog, shows
// the token type and expiry but never the token, the client or the uid.
func TestHeadersPrintNoSecrets(t *testing.T) {
	c, mt := newMocked(t)
	signInResponder(t, mt)
	_, err := c.SignIn(t.Context())
	require.NoError(t, err)
	h := c.Headers()
	require.Equal(t, docClient, h.Client)
	want := `Headers{AccessToken: "REDACTED", TokenType: "Bearer", Client: "REDACTED", Expiry: 1615227012, UID: "REDACTED"}`
	assert.Equal(t, want, h.String())
	assert.Equal(t, want, h.GoString())
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%d", "%x", "%20v"} {
		for _, arg := range []any{h, &h, struct{ H Headers }{h}, []Headers{h}, map[string]Headers{"h": h}} {
			out := fmt.Sprintf(verb, arg)
			assert.Contains(t, out, "REDACTED", "%s of %T", verb, arg)
			for _, secret := range []string{docToken1, docClient, docEmail, "local.net"} {
				assert.NotContains(t, out, secret, "%s of %T", verb, arg)
			}
		}
	}
	for _, verb := range []string{"%v", "%+v", "%#v"} {
		assert.Equal(t, want, fmt.Sprintf(verb, h), verb)
	}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("session", "headers", h)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("session", "headers", &h)
	for _, secret := range []string{docToken1, docClient, docEmail} {
		assert.NotContains(t, logs.String(), secret)
	}
	assert.Contains(t, logs.String(), "1615227012")
}

// The client header is registered as a secret like the token: an error
// body that echoes it shows it masked, also for a session resumed from
// saved headers without a password (whose uid is then registered too).
func TestClientHeaderIsMaskedInErrors(t *testing.T) {
	echo := func(r *http.Request) (*http.Response, error) {
		body := fmt.Sprintf(`{"errors":["unknown session %s for %s (token %s)"]}`, r.Header.Get("client"), r.Header.Get("uid"), r.Header.Get("access-token"))
		return httpmock.NewStringResponse(http.StatusNotFound, body), nil
	}
	check := func(t *testing.T, c *Client) {
		t.Helper()
		_, err := c.CustomersPage(t.Context(), PageParams{})
		require.ErrorIs(t, err, ErrNotFound)
		var e *Error
		require.ErrorAs(t, err, &e)
		require.Contains(t, e.Message, "unknown session", "the body was read")
		text := fmt.Sprintf("%v %s %s", err, e.Message, e.Body)
		for _, secret := range []string{docClient, docEmail, docToken1} {
			assert.NotContains(t, text, secret)
		}
		assert.Equal(t, 3, strings.Count(e.Message, transport.Mask), e.Message)
	}

	t.Run("signed in", func(t *testing.T) {
		c, mt := newMocked(t)
		signInResponder(t, mt)
		mt.RegisterResponder(http.MethodGet, DefaultBaseURL+pathCustomers, echo)
		check(t, c)
	})
	t.Run("resumed", func(t *testing.T) {
		mt := httpmock.NewMockTransport()
		mt.RegisterResponder(http.MethodGet, DefaultBaseURL+pathCustomers, echo)
		c, err := New(WithHTTPClient(&http.Client{Transport: mt}), WithMaxRetries(0),
			WithHeaders(Headers{AccessToken: docToken1, TokenType: "Bearer", Client: docClient, Expiry: 1615227012, UID: docEmail}))
		require.NoError(t, err)
		check(t, c)
	})
}

// ErrRedirect is the transport's sentinel, so errors.Is matches the
// transport's redirect errors.
func TestErrRedirectIsTheTransportSentinel(t *testing.T) {
	require.NotNil(t, ErrRedirect)
	assert.Same(t, transport.ErrRedirect, ErrRedirect)
	assert.True(t, errors.Is(fmt.Errorf("sign-in: %w", transport.ErrRedirect), ErrRedirect))
	assert.False(t, errors.Is(ErrRedirect, ErrDecode))
}

// A redirect never takes the password or the session headers to another
// host: the sign-in (POST) and the sign-out (DELETE) do not follow one,
// and a view (GET) does not follow one to another host. Each is an *Error
// matching ErrRedirect whose Location names the target.
func TestRedirectsAreNotFollowedElsewhere(t *testing.T) {
	redirect := func(status int, to string) httpmock.Responder {
		return func(*http.Request) (*http.Response, error) {
			resp := httpmock.NewStringResponse(status, "")
			resp.Header.Set("Location", to)
			return resp, nil
		}
	}
	elsewhere := "https://elsewhere.test/api/v1/"
	newClient := func(t *testing.T) (*Client, *httpmock.MockTransport) {
		c, mt := newMocked(t)
		mt.RegisterResponder(http.MethodPost, `=~^https://elsewhere\.test/`, func(r *http.Request) (*http.Response, error) {
			t.Errorf("followed to %s", r.URL)
			return httpmock.NewStringResponse(599, ""), nil
		})
		mt.RegisterResponder(http.MethodGet, `=~^https://elsewhere\.test/`, func(r *http.Request) (*http.Response, error) {
			t.Errorf("followed to %s with token %q", r.URL, r.Header.Get("access-token"))
			return httpmock.NewStringResponse(599, ""), nil
		})
		return c, mt
	}
	check := func(t *testing.T, err error, status int) {
		t.Helper()
		require.ErrorIs(t, err, ErrRedirect)
		var e *Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, status, e.StatusCode)
		assert.True(t, strings.HasPrefix(e.Location, elsewhere), e.Location)
		for _, secret := range []string{docPassword, docEmail, docToken1, docClient} {
			assert.NotContains(t, err.Error()+e.Location, secret)
		}
	}

	t.Run("sign-in", func(t *testing.T) {
		c, mt := newClient(t)
		mt.RegisterResponder(http.MethodPost, DefaultBaseURL+pathSignIn, redirect(http.StatusTemporaryRedirect, elsewhere+"auth/sign_in"))
		_, err := c.SignIn(t.Context())
		check(t, err, http.StatusTemporaryRedirect)
	})
	t.Run("view", func(t *testing.T) {
		c, mt := newClient(t)
		signInResponder(t, mt)
		mt.RegisterResponder(http.MethodGet, DefaultBaseURL+pathCustomers, redirect(http.StatusFound, elsewhere+"customers?uid="+docEmail))
		_, err := c.CustomersPage(t.Context(), PageParams{})
		check(t, err, http.StatusFound)
	})
	t.Run("sign-out", func(t *testing.T) {
		c, mt := newClient(t)
		signInResponder(t, mt)
		_, err := c.SignIn(t.Context())
		require.NoError(t, err)
		mt.RegisterResponder(http.MethodDelete, DefaultBaseURL+pathSignOut, redirect(http.StatusSeeOther, elsewhere+"auth/sign_out"))
		check(t, c.SignOut(t.Context()), http.StatusSeeOther)
		assert.True(t, c.Headers().Usable(), "the sign-out was not confirmed: the session is kept")
	})
}
