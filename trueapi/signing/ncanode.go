package signing

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/steppe-sdk/steppe/internal/lenient"
	"github.com/steppe-sdk/steppe/internal/transport"
)

// NCANodeSigner signs through a user-run NCANode service
// (https://github.com/malikzh/NCANode, a Java server around NCA's
// KalkanCrypt): POST {base}/cms/sign with the data, the PKCS#12 key file and
// its password. It signs with any NCA key, GOST ones included.
//
// The key file and its password travel to that service with every
// signature: run it on a host you trust, reached over a private network
// or TLS. The password is masked in this signer's errors and logs.
type NCANodeSigner struct {
	t        *transport.Client
	key      string // base64 of the PKCS#12 file
	password string
	alias    string
}

// NCANodeOption configures an [NCANodeSigner].
type NCANodeOption func(*transport.Config, *NCANodeSigner)

// WithNCANodeHTTPClient supplies the http.Client used to reach NCANode.
func WithNCANodeHTTPClient(hc *http.Client) NCANodeOption {
	return func(c *transport.Config, _ *NCANodeSigner) { c.HTTPClient = hc }
}

// WithNCANodeLogger logs each request to NCANode (method, URL, status,
// attempt, duration) at Debug level; the password never appears.
func WithNCANodeLogger(l *slog.Logger) NCANodeOption {
	return func(c *transport.Config, _ *NCANodeSigner) { c.Logger = l }
}

// WithKeyAlias picks a key inside the PKCS#12 file by alias (keyAlias);
// by default NCANode takes the first.
func WithKeyAlias(alias string) NCANodeOption {
	return func(_ *transport.Config, s *NCANodeSigner) { s.alias = alias }
}

// NewNCANodeSigner returns a signer that asks the NCANode service at
// baseURL (e.g. "http://127.0.0.1:14579") to sign with the PKCS#12 file
// p12 and its password.
func NewNCANodeSigner(baseURL string, p12 []byte, password string, opts ...NCANodeOption) (*NCANodeSigner, error) {
	if len(p12) == 0 {
		return nil, transport.Invalid("p12", "is required")
	}
	if password == "" {
		return nil, transport.Invalid("password", "is required")
	}
	s := &NCANodeSigner{key: base64.StdEncoding.EncodeToString(p12), password: password}
	cfg := transport.Config{API: "ncanode", BaseURL: baseURL, ParseError: parseNCANodeError, RetryWaitMin: 200 * time.Millisecond}
	for _, o := range opts {
		o(&cfg, s)
	}
	cfg.Secrets = new(transport.Secrets)
	cfg.Secrets.Add(password, s.key)
	t, err := transport.New(cfg)
	if err != nil {
		return nil, err
	}
	s.t = t
	return s, nil
}

type ncanodeSignRequest struct {
	Data     string          `json:"data"`
	Signers  []ncanodeSigner `json:"signers"`
	WithTsp  bool            `json:"withTsp"`
	Detached bool            `json:"detached"`
}

type ncanodeSigner struct {
	Key      string `json:"key"`
	Password string `json:"password"`
	KeyAlias string `json:"keyAlias,omitempty"`
}

// SignCMS asks NCANode for a CMS over data. The purpose is ignored: the
// key is the one given to [NewNCANodeSigner].
func (s *NCANodeSigner) SignCMS(ctx context.Context, data []byte, opts SignOptions) ([]byte, error) {
	body, err := transport.JSONBody(ncanodeSignRequest{
		Data:     base64.StdEncoding.EncodeToString(data),
		Signers:  []ncanodeSigner{{Key: s.key, Password: s.password, KeyAlias: s.alias}},
		Detached: opts.Detached,
	})
	if err != nil {
		return nil, err
	}
	// Signing has no side effect, so a failed attempt may be repeated.
	req := &transport.Request{Method: http.MethodPost, Path: "cms/sign", Body: body, ContentType: "application/json", Idempotent: true}
	var out struct {
		Status  int    `json:"status"`
		Message string `json:"message"`
		CMS     string `json:"cms"`
	}
	resp, err := s.t.DoJSON(ctx, req, &out)
	if err != nil {
		return nil, err
	}
	if out.Status != 0 && out.Status != http.StatusOK {
		return nil, s.t.DecodeError(req, resp, fmt.Errorf("NCANode status %d: %s", out.Status, s.t.Secrets().Redact(out.Message)))
	}
	cms, err := base64.StdEncoding.DecodeString(out.CMS)
	if err != nil || len(cms) == 0 {
		return nil, s.t.DecodeError(req, resp, errors.New("the answer holds no base64 cms"))
	}
	return cms, nil
}

// parseNCANodeError reads NCANode's {"status","message"} error bodies.
func parseNCANodeError(_ int, _ http.Header, body []byte) (code, message string) {
	var v struct {
		Status  int    `json:"status"`
		Message string `json:"message"`
	}
	if lenient.Unmarshal(body, &v) != nil {
		return "", ""
	}
	if v.Status != 0 {
		code = fmt.Sprint(v.Status)
	}
	return code, v.Message
}
