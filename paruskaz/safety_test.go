package paruskaz

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/transport"
)

// A key that net/http would refuse to send (a trailing newline read from a
// file) used to be accepted and then fail every push after all its tries.
// New refuses it, naming the field and never quoting the key.
func TestAPIKeyThatCannotTravelIsRefused(t *testing.T) {
	const secret = "k3y-Secret-42"
	for name, key := range map[string]string{
		"empty":               "",
		"only space":          " \t\n",
		"trailing newline":    secret + "\n",
		"trailing CRLF":       secret + "\r\n",
		"leading space":       " " + secret,
		"trailing space":      secret + " ",
		"leading tab":         "\t" + secret,
		"inner tab":           "k3y\tSecret-42",
		"inner newline":       "k3y\nSecret-42",
		"NUL":                 "k3y\x00Secret-42",
		"DEL":                 "k3y\x7fSecret-42",
		"escape":              "k3y\x1b[0mSecret-42",
		"C1 control":          "k3y\u0085Secret-42",
		"no-break space end":  secret + "\u00a0",
		"Cyrillic look-alike": "k3у-Secret-42", // у is U+0443
		"invalid UTF-8":       "k3y\xffSecret-42",
	} {
		t.Run(name, func(t *testing.T) {
			c, err := New(key, WithBaseURL(host(t)))
			require.Error(t, err)
			assert.Nil(t, c)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "api key", ve.Field)
			assert.ErrorIs(t, err, ErrValidation)
			text := err.Error()
			assert.Contains(t, text, "api key")
			for _, part := range []string{secret, "Secret-42", "k3y"} {
				assert.NotContains(t, text, part, "the key is never quoted")
			}
			assert.NotContains(t, fmt.Sprintf("%#v %+v", ve, ve), "Secret-42")
		})
	}
}

// Any printable ASCII key, inner spaces included, is sent byte for byte.
func TestAPIKeyIsSentExactly(t *testing.T) {
	var printable strings.Builder
	for b := byte(0x21); b < 0x7f; b++ {
		printable.WriteByte(b)
	}
	for i, key := range []string{"k3y-Secret-42", "a", "two words", printable.String()} {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				mt := httpmock.NewMockTransport()
				var got []string
				mt.RegisterResponder(http.MethodPost, `=~/data_set\z`, func(r *http.Request) (*http.Response, error) {
					got = append(got, r.Header.Get("X-API-KEY"))
					return httpmock.NewStringResponse(200, `{"message":"OK"}`), nil
				})
				c, err := New(key, WithBaseURL(host(t)), WithHTTPClient(&http.Client{Transport: mt}))
				require.NoError(t, err)
				require.NoError(t, c.Push(t.Context(), onePass(t)))
				assert.Equal(t, []string{key}, got)
			})
		})
	}
}

// onePass is the smallest valid push.
func onePass(t testing.TB) []Institution {
	return []Institution{{BIN: iinbin(t, "12345678901"), OrgName: "A", Persons: []Person{{Time: time.Date(2024, 1, 13, 10, 1, 23, 0, time.UTC), IIN: iinbin(t, "85010130012"), FIO: "x"}}}}
}

// A push answered with 200 and anything but {"message":"OK"} is not
// delivered: the answer is an *Error matching ErrDecode that keeps the
// start of the body, with the key masked.
func TestPushHostileSuccessAnswers(t *testing.T) {
	for name, body := range map[string]string{
		"maintenance page": "<html><head><title>Технические работы</title></head><body>key " + testKey + "</body></html>",
		"empty object":     `{}`,
		"null":             `null`,
		"array":            `[]`,
		"message null":     `{"message":null}`,
		"message empty":    `{"message":""}`,
		"message KO":       `{"message":"KO","key":"` + testKey + `"}`,
		"success true":     `{"success":true}`,
		"string OK":        `"OK"`,
		"two objects":      `{"message":"OK"}{"message":"OK"}`,
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := &sink{answer: func(int) *http.Response { return httpmock.NewStringResponse(200, body) }}
				c := newMocked(t, s)
				err := c.Push(t.Context(), onePass(t))
				require.ErrorIs(t, err, ErrDecode)
				var e *Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, 200, e.StatusCode)
				assert.NotEmpty(t, e.Body, "the body is kept")
				assert.NotContains(t, string(e.Body), testKey, "the body is redacted")
				assert.NotContains(t, err.Error(), testKey)
				assert.Len(t, s.bodies, 1, "the answer arrived: the push is not repeated at once")
			})
		})
	}
}

// ErrRedirect is the transport's sentinel, so errors.Is matches the
// transport's redirect errors.
func TestErrRedirectIsTheTransportSentinel(t *testing.T) {
	require.NotNil(t, ErrRedirect)
	assert.Same(t, transport.ErrRedirect, ErrRedirect)
	err := fmt.Errorf("push: %w", transport.ErrRedirect)
	assert.True(t, errors.Is(err, ErrRedirect))
	assert.False(t, errors.Is(ErrRedirect, ErrDecode))
}

// A push answered with a redirect is not followed (its body is never sent
// elsewhere): it is an *Error matching ErrRedirect whose Location names
// the target, and the events stay pending.
func TestPushRedirectIsNotFollowed(t *testing.T) {
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				mt := httpmock.NewMockTransport()
				mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
					t.Errorf("the redirect was followed: %s %s", r.Method, r.URL)
					return httpmock.NewStringResponse(599, ""), nil
				})
				mt.RegisterResponder(http.MethodPost, `=~/data_set\z`, func(*http.Request) (*http.Response, error) {
					resp := httpmock.NewStringResponse(status, "")
					resp.Header.Set("Location", "https://elsewhere.test/v2/data_set?key="+testKey)
					return resp, nil
				})
				c, err := New(testKey, WithBaseURL(host(t)), WithHTTPClient(&http.Client{Transport: mt}))
				require.NoError(t, err)
				u := c.NewUploader()
				evs := sampleEvents(t, 3)
				for _, e := range evs {
					require.NoError(t, u.Add(t.Context(), e))
				}
				err = u.Flush(t.Context())
				require.ErrorIs(t, err, ErrRedirect)
				var e *Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, status, e.StatusCode)
				assert.Contains(t, e.Location, "https://elsewhere.test/v2/data_set")
				assert.NotContains(t, e.Location+err.Error(), testKey)
				assert.Equal(t, 1, e.Attempts)
				res := u.Result()
				assert.Zero(t, res.Delivered)
				assertPending(t, evs, res.Pending)
			})
		})
	}
}
