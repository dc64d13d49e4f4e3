package fakekit

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWriteJSON(t *testing.T) {
	w := httptest.NewRecorder()
	WriteJSON(w, http.StatusCreated, map[string]string{"html": "<a href=\"x\">&</a>"})
	assert.Equal(t, http.StatusCreated, w.Code)
	assert.Equal(t, "application/json; charset=utf-8", w.Header().Get("Content-Type"))
	assert.Equal(t, `{"html":"<a href=\"x\">&</a>"}`+"\n", w.Body.String())
	assert.Equal(t, strconv.Itoa(w.Body.Len()), w.Header().Get("Content-Length"))

	w = httptest.NewRecorder()
	WriteJSON(w, http.StatusOK, nil)
	assert.Equal(t, "null\n", w.Body.String())
}

func TestWriteJSONNoBody(t *testing.T) {
	w := httptest.NewRecorder()
	WriteJSON(w, http.StatusNoContent, map[string]int{"a": 1})
	assert.Equal(t, http.StatusNoContent, w.Code)
	assert.Empty(t, w.Body.String())
	assert.Empty(t, w.Header().Get("Content-Type"))
}

func TestWriteJSONError(t *testing.T) {
	w := httptest.NewRecorder()
	WriteJSON(w, http.StatusOK, map[string]any{"ch": make(chan int)})
	assert.Equal(t, http.StatusInternalServerError, w.Code)
	assert.True(t, strings.HasPrefix(w.Body.String(), "fakekit: encode JSON response: "), w.Body.String())
}

func TestChain(t *testing.T) {
	var order []string
	mw := func(name string) func(http.Handler) http.Handler {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				order = append(order, name)
				next.ServeHTTP(w, r)
			})
		}
	}
	h := Chain(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		order = append(order, "handler")
	}), mw("a"), nil, mw("b"))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	assert.Equal(t, []string{"a", "b", "handler"}, order)

	base := http.NotFoundHandler()
	assert.NotNil(t, Chain(base))
}

func TestBodyAllowed(t *testing.T) {
	for status, want := range map[int]bool{100: false, 103: false, 200: true, 204: false, 304: false, 404: true, 503: true} {
		assert.Equal(t, want, bodyAllowed(status), status)
	}
}
