package uchet

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/transport"
)

// The company calls may use up a paid check, so their 2xx answer must be
// company data: an HTML maintenance page, {}, null, a list or a bare error
// object answered with 200 is an *Error matching ErrDecode with the body
// kept (token masked), sent once, never an empty company.
func TestCompanyHostileSuccessAnswers(t *testing.T) {
	bodies := map[string]string{
		"maintenance page":     `<html><head><title>Технические работы</title></head><body>token=` + docToken + `</body></html>`,
		"empty object":         `{}`,
		"empty object, spaced": " { }\n",
		"null":                 `null`,
		"array":                `[]`,
		"array of companies":   `[{"name_ru":"ТОО"}]`,
		"string":               `"ok"`,
		"error object":         `{"error":"maintenance"}`,
		"error echoing token":  `{"error":"bad token ` + docToken + `"}`,
		"errors list":          `{"Errors":["down"]}`,
		"message and error":    `{"message":"Service Unavailable","error":"maintenance"}`,
		"two objects":          `{"name_ru":"ТОО"}{"name_ru":"ТОО"}`,
	}
	calls := map[string]func(c *Client) (*Company, error){
		"get_bin_info": func(c *Client) (*Company, error) { return c.CompanyByBIN(context.Background(), docBIN) },
		"get_iin_info": func(c *Client) (*Company, error) { return c.CompanyByIIN(context.Background(), docBIN) },
	}
	for path, call := range calls {
		for name, body := range bodies {
			t.Run(path+"/"+name, func(t *testing.T) {
				c, mt := newMocked(t)
				u := "https://pk.uchet.kz/api/v2/" + path + "/"
				mt.RegisterResponder(http.MethodGet, u, httpmock.NewStringResponder(200, body))
				co, err := call(c)
				assert.Nil(t, co)
				require.ErrorIs(t, err, ErrDecode)
				var e *Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, http.StatusOK, e.StatusCode)
				assert.Equal(t, 1, e.Attempts)
				assert.NotEmpty(t, e.Body, "the body is kept")
				assert.Error(t, e.Err, "the cause is kept")
				var apiErr *APIError
				assert.False(t, errors.As(err, &apiErr), "not an error the API reported")
				assert.NotContains(t, fmt.Sprintf("%v %s %s", err, e.Body, e.URL), docToken)
				assert.Equal(t, 1, mt.GetCallCountInfo()["GET "+u], "sent once")
			})
		}
	}
}

// ErrRedirect is the transport's sentinel, so errors.Is matches the
// transport's redirect errors.
func TestErrRedirectIsTheTransportSentinel(t *testing.T) {
	require.NotNil(t, ErrRedirect)
	assert.Same(t, transport.ErrRedirect, ErrRedirect)
	assert.True(t, errors.Is(fmt.Errorf("update_status: %w", transport.ErrRedirect), ErrRedirect))
	assert.False(t, errors.Is(ErrRedirect, ErrDecode))
}

// The token travels in the URL, so a redirect to another host is not
// followed: it is an *Error matching ErrRedirect whose Location names the
// target with the token masked.
func TestRedirectElsewhereIsNotFollowed(t *testing.T) {
	c, mt := newMocked(t)
	mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/", func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(http.StatusFound, "")
		resp.Header.Set("Location", "https://elsewhere.test/api/v2/update_status/?"+r.URL.RawQuery)
		return resp, nil
	})
	_, err := c.UpdateStatus(context.Background(), docBIN)
	require.ErrorIs(t, err, ErrRedirect)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusFound, e.StatusCode)
	assert.Contains(t, e.Location, "https://elsewhere.test/api/v2/update_status/")
	assert.Contains(t, e.Location, "iin_bin="+docBIN)
	assert.NotContains(t, e.Location+err.Error(), docToken)
	assert.Equal(t, 1, mt.GetTotalCallCount(), "nothing was sent to the other host")
}
