package trueapitest

import (
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/steppe-sdk/steppe/internal/fakekit"
)

func TestRouting(t *testing.T) {
	s := start(t, Config{Codes: 50})
	a := newAPI(t, s)
	assert.True(t, strings.HasSuffix(s.BaseURL(), "/api/v3/true-api/"))
	for _, route := range []string{"nothing", "cises", "cises/orders/x", "cises/orders//status", "cises/orders/x/other", "../v2/cises/info"} {
		got := a.get(route)
		assert.Equal(t, http.StatusNotFound, got.status, route)
		assert.Equal(t, msgNoMethod, errMsg(t, got), route)
	}
	got := a.send(req{route: "cises/info"})
	assert.Equal(t, http.StatusMethodNotAllowed, got.status)
	assert.Equal(t, "POST", got.header.Get("Allow"))
	assert.Equal(t, "Request method 'GET' not supported", errMsg(t, got))
	got = a.send(req{method: http.MethodDelete, route: "cises/aggregated/list"})
	assert.Equal(t, "GET, POST", got.header.Get("Allow"))

	// A query that is not percent-encoded properly.
	got = a.send(req{route: "cises/history?code=%zz"})
	assert.Equal(t, http.StatusBadRequest, got.status)
	assert.Contains(t, errMsg(t, got), "Неверный формат параметров запроса")

	// Unsupported content type and oversized bodies.
	got = a.send(req{method: http.MethodPost, route: "cises/info", body: `["x"]`, header: http.Header{"Content-Type": {"text/plain"}}})
	assert.Equal(t, http.StatusUnsupportedMediaType, got.status)
	got = a.send(req{method: http.MethodPost, route: "cises/info", body: `["x"]`, header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}})
	assert.Equal(t, http.StatusOK, got.status)
	// In-process: over a socket the server lingers 500 ms before closing
	// the connection of a request whose body was too large.
	s.maxBody = 64
	inProcess := &api{t: t, hc: &http.Client{Transport: &fakekit.HandlerTransport{Handler: s.Handler()}}, base: "http://trueapi.test" + APIPath, token: a.token}
	got = inProcess.post("cises/info", `["`+strings.Repeat("x", 64)+`"]`)
	assert.Equal(t, http.StatusRequestEntityTooLarge, got.status)
	assert.Equal(t, msgTooLarge, errMsg(t, got))

	st := s.Stats()
	assert.Equal(t, 3, st.Requests["POST cises/info"])
	assert.Equal(t, 1, st.Requests["GET cises/history"])
	assert.NotContains(t, st.Requests, "GET nothing")
	st.Requests["POST cises/info"] = 100
	assert.Equal(t, 3, s.Stats().Requests["POST cises/info"], "Stats returns a copy")
	assert.NotEmpty(t, s.Requests())
}

func TestNotAcceptable(t *testing.T) {
	s := start(t, Config{Codes: 50, OrderDelay: -1})
	a := newAPI(t, s)
	gtin := s.OwnCodes()[0].GTIN
	for _, accept := range []string{"text/html", "application/xml", "application/json;q=0, text/*", "image/*"} {
		got := a.send(req{route: "product/gtin", query: pairs("pg", "milk"), header: http.Header{"Accept": {accept}}})
		assert.Equal(t, http.StatusNotAcceptable, got.status, accept)
		assert.Empty(t, got.body, accept)
	}
	for _, accept := range []string{"*/*", "application/*", "application/json;charset=UTF-8", "text/plain, application/json;q=0.5", ""} {
		got := a.send(req{route: "product/gtin", query: pairs("pg", "milk"), header: http.Header{"Accept": {accept}}})
		assert.Equal(t, http.StatusOK, got.status, accept)
	}
	// The 406 comes before any effect: no order is created.
	got := a.send(req{method: http.MethodPost, route: "cises/my", body: `{"gtin":"` + gtin + `"}`, header: http.Header{"Accept": {"text/csv"}}})
	assert.Equal(t, http.StatusNotAcceptable, got.status)
	assert.Zero(t, s.Stats().Orders)

	// The result is a ZIP: JSON alone is not enough once it is ready, and
	// ZIP alone is not enough for an error.
	id := decode[map[string]string](t, a.post("cises/my", `{"gtin":"`+gtin+`"}`))["uuid"]
	got = a.send(req{route: "cises/orders/" + id + "/result", header: http.Header{"Accept": {"application/json"}}})
	assert.Equal(t, http.StatusNotAcceptable, got.status)
	assert.Empty(t, got.body)
	got = a.send(req{route: "cises/orders/" + id + "/result", header: http.Header{"Accept": {"application/zip"}}})
	assert.Equal(t, http.StatusOK, got.status)
	got = a.send(req{route: "cises/orders/unknown/result", header: http.Header{"Accept": {"application/zip"}}})
	assert.Equal(t, http.StatusNotAcceptable, got.status)
	got = a.send(req{route: "cises/orders/" + id + "/result", header: http.Header{"Accept": {"text/html"}}})
	assert.Equal(t, http.StatusNotAcceptable, got.status)

	// The 401 is XML whatever Accept says.
	a.token = ""
	got = a.send(req{route: "product/gtin", header: http.Header{"Accept": {"text/html"}}})
	assert.Equal(t, http.StatusUnauthorized, got.status)
	assert.Equal(t, 8, s.Stats().NotAcceptable)
}

func TestFaultsPassThrough(t *testing.T) {
	s := start(t, Config{Codes: 50})
	a := newAPI(t, s)
	s.Faults.Add(Fault{Path: APIPath + "cises/history", Status: http.StatusServiceUnavailable, Body: `{"error_message":"Удаленная система недоступна"}`})
	got := a.get("cises/history", "code", s.OwnCodes()[0].Cis)
	assert.Equal(t, http.StatusServiceUnavailable, got.status)
	assert.Equal(t, "Удаленная система недоступна", errMsg(t, got))
	got = a.get("cises/history", "code", s.OwnCodes()[0].Cis)
	assert.Equal(t, http.StatusOK, got.status, "the fault applied once")
	assert.Len(t, s.Requests(), 2, "faulted requests are recorded too")
	assert.Equal(t, 1, s.Stats().Requests["GET cises/history"], "the fake saw one")
}

func TestLatency(t *testing.T) {
	s := start(t, Config{Codes: 50, Latency: 3 * time.Second})
	synctest.Test(t, func(t *testing.T) {
		a := bubbleAPI(t, s)
		t0 := time.Now()
		got := a.get("product/gtin", "pg", "milk")
		assert.Equal(t, http.StatusOK, got.status)
		assert.Equal(t, 3*time.Second, time.Since(t0))

	})
}

func TestNewServerDefaults(t *testing.T) {
	s := NewServer()
	defer s.Close()
	assert.Equal(t, DefaultOwner, s.Owner())
	assert.Greater(t, len(s.OwnCodes()), DefaultCodes, "units and their aggregates")
	got := newAPI(t, s).get("product/gtin", "pg", "alcohol")
	assert.Equal(t, http.StatusOK, got.status)
	assert.Equal(t, 3, decode[struct{ Total int }](t, got).Total, "two units and one LEVEL1 GTIN")
}
