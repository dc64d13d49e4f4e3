package openschool

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

// ErrRedirect is the transport's sentinel, so errors.Is matches the
// transport's redirect errors.
func TestErrRedirectIsTheTransportSentinel(t *testing.T) {
	require.NotNil(t, ErrRedirect)
	assert.Same(t, transport.ErrRedirect, ErrRedirect)
	assert.True(t, errors.Is(fmt.Errorf("regions: %w", transport.ErrRedirect), ErrRedirect))
	assert.False(t, errors.Is(ErrRedirect, ErrDecode))
}

// The documented address is plain http; a redirect to https is not
// followed (it is another scheme and port): it is an *Error matching
// ErrRedirect whose Location is the address to use with WithBaseURL.
func TestRedirectToHTTPSIsReported(t *testing.T) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, "http://openschool.in.ua/api/v1", func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(http.StatusMovedPermanently, "<html>Moved</html>")
		resp.Header.Set("Location", "https://openschool.in.ua/api/v1?"+r.URL.RawQuery)
		return resp, nil
	})
	c, err := New(WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	_, err = c.Regions(context.Background())
	require.ErrorIs(t, err, ErrRedirect)
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusMovedPermanently, e.StatusCode)
	assert.Equal(t, "https://openschool.in.ua/api/v1?action=regions", e.Location)
	assert.Equal(t, 1, mt.GetTotalCallCount(), "not followed")
}
