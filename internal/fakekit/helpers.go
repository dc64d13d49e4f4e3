package fakekit

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
)

// WriteJSON encodes v as JSON and writes it to w with the given status code
// and the Content-Type "application/json; charset=utf-8". HTML characters
// (<, >, &) are not escaped. The body ends with a newline.
//
// If v cannot be encoded, WriteJSON answers 500 Internal Server Error with a
// plain-text description of the problem instead. For statuses that do not
// allow a body (1xx, 204, 304) only the header is written.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	if !bodyAllowed(status) {
		w.WriteHeader(status)
		return
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, "fakekit: encode JSON response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// Chain wraps h in the middlewares mws. The first middleware is the
// outermost one, so Chain(h, a, b) is a(b(h)) and a request passes through
// a, then b, then reaches h. Nil middlewares are skipped.
func Chain(h http.Handler, mws ...func(http.Handler) http.Handler) http.Handler {
	for i := len(mws) - 1; i >= 0; i-- {
		if mws[i] != nil {
			h = mws[i](h)
		}
	}
	return h
}

// bodyAllowed reports whether a response with the given status may carry a
// body (RFC 9110, sections 15.2, 15.3.5 and 15.4.5).
func bodyAllowed(status int) bool {
	switch {
	case status >= 100 && status <= 199:
		return false
	case status == http.StatusNoContent, status == http.StatusNotModified:
		return false
	}
	return true
}
