package signing

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/steppe-sdk/steppe/internal/transport"
)

// ncanodeStandIn mimics NCANode's POST /cms/sign: it checks the request
// and signs with a local RSA key, as NCANode would with the p12.
func ncanodeStandIn(t *testing.T, status int, message string) (*httptest.Server, *[]ncanodeSignRequest) {
	key, cert := selfSigned(t)
	signer, err := NewRSASigner(key, cert)
	require.NoError(t, err)
	var got []ncanodeSignRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "/cms/sign", r.URL.Path)
		assert.Equal(t, http.MethodPost, r.Method)
		var req ncanodeSignRequest
		require.NoError(t, json.NewDecoder(r.Body).Decode(&req))
		got = append(got, req)
		w.Header().Set("Content-Type", "application/json")
		if status != http.StatusOK {
			w.WriteHeader(status)
			fmt.Fprintf(w, `{"status":%d,"message":%q}`, status, message)
			return
		}
		data, err := base64.StdEncoding.DecodeString(req.Data)
		require.NoError(t, err)
		cms, err := signer.SignCMS(r.Context(), data, SignOptions{Detached: req.Detached})
		require.NoError(t, err)
		fmt.Fprintf(w, `{"status":200,"message":"OK","cms":%q}`, base64.StdEncoding.EncodeToString(cms))
	}))
	t.Cleanup(srv.Close)
	return srv, &got
}

func TestNCANodeSigner(t *testing.T) {
	srv, got := ncanodeStandIn(t, http.StatusOK, "")
	p12 := []byte("\x30\x80 pretend p12 bytes")
	s, err := NewNCANodeSigner(srv.URL, p12, "Qwerty12", WithKeyAlias("alias-1"))
	require.NoError(t, err)
	data := []byte("challenge")
	for _, detached := range []bool{false, true} {
		cms, err := s.SignCMS(context.Background(), data, SignOptions{Detached: detached})
		require.NoError(t, err)
		v, err := Verify(cms, data)
		require.NoError(t, err)
		assert.Equal(t, detached, v.Detached)
	}
	require.Len(t, *got, 2)
	req := (*got)[1]
	assert.Equal(t, base64.StdEncoding.EncodeToString(data), req.Data)
	assert.True(t, req.Detached)
	assert.False(t, req.WithTsp)
	require.Len(t, req.Signers, 1)
	assert.Equal(t, base64.StdEncoding.EncodeToString(p12), req.Signers[0].Key)
	assert.Equal(t, "Qwerty12", req.Signers[0].Password)
	assert.Equal(t, "alias-1", req.Signers[0].KeyAlias)
}

func TestNCANodeErrorsHideThePassword(t *testing.T) {
	const password = "S3cret-Pass"
	srv, _ := ncanodeStandIn(t, http.StatusBadRequest, "wrong password "+password)
	var logs bytes.Buffer
	s, err := NewNCANodeSigner(srv.URL, []byte("p12"), password, WithNCANodeHTTPClient(&http.Client{}),
		WithNCANodeLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	require.NoError(t, err)
	_, err = s.SignCMS(context.Background(), []byte("x"), SignOptions{})
	require.ErrorIs(t, err, transport.ErrValidation)
	var te *transport.Error
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "400", te.Code)
	for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), te.Message, string(te.Body), logs.String()} {
		assert.NotContains(t, text, password)
	}

	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"status":500,"message":"Kalkan failed"}`))
	}))
	defer bad.Close()
	s2, err := NewNCANodeSigner(bad.URL, []byte("p12"), password)
	require.NoError(t, err)
	_, err = s2.SignCMS(context.Background(), []byte("x"), SignOptions{})
	require.ErrorIs(t, err, transport.ErrDecode, "a status inside a 200 is an error")
	assert.Contains(t, err.Error(), "Kalkan failed")

	empty := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"status":200,"message":"OK","cms":""}`))
	}))
	defer empty.Close()
	s3, err := NewNCANodeSigner(empty.URL, []byte("p12"), password)
	require.NoError(t, err)
	_, err = s3.SignCMS(context.Background(), []byte("x"), SignOptions{})
	require.ErrorIs(t, err, transport.ErrDecode)

	_, err = NewNCANodeSigner(srv.URL, nil, password)
	require.ErrorIs(t, err, transport.ErrValidation)
	_, err = NewNCANodeSigner(srv.URL, []byte("p12"), "")
	require.ErrorIs(t, err, transport.ErrValidation)
	_, err = NewNCANodeSigner("not a url", []byte("p12"), password)
	require.ErrorIs(t, err, transport.ErrValidation)
	assert.Equal(t, "", func() string { c, m := parseNCANodeError(500, nil, []byte("<html>")); return c + m }())
}
