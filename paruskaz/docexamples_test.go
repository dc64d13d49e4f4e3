package paruskaz

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docInstitution is the institution of the documentation's request
// examples (the raw request and the curl print the same data).
func docInstitution() []Institution {
	return []Institution{{
		BIN: "123456789012", OrgName: "Наименование учреждения",
		Persons: []Person{
			{Time: time.Date(2024, 1, 13, 10, 1, 23, 0, time.UTC), IIN: "123456789012", FIO: "Иванов Иван Иванович", Note: "Произвольное текстовое примечание"},
			{Time: time.Date(2024, 1, 13, 18, 9, 18, 0, time.UTC), IIN: "123456789012", FIO: "Иванов Иван Иванович", Note: "Произвольное текстовое примечание"},
		},
	}}
}

// The sample BIN and IIN of the request examples, 123456789012, fail the
// Kazakh check digit (the documentation says every parameter is required,
// not that the numbers are checked). The reading chosen: the check is on
// by default, so the examples as printed are refused before sending, with
// the field named; with WithChecksum(false) they are sent as printed
// (TestPushMatchesTheDocumentation compares the body byte for byte).
func TestDocumentationSampleNumbersFailTheCheckDigit(t *testing.T) {
	mt := httpmock.NewMockTransport()
	c, err := New(testKey, WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	err = c.Push(context.Background(), docInstitution())
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "data[0].bin", ve.Field)
	assert.Contains(t, err.Error(), "check digit")

	in := docInstitution()
	in[0].BIN = iinbin(t, "12345678901")
	err = c.Push(context.Background(), in)
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "data[0].person[0].iin", ve.Field, "the visitor's IIN fails too")
	assert.Zero(t, mt.GetTotalCallCount(), "nothing was sent")
}

// The URL is printed three ways: https://sb.paruskaz.kz/back/apikey/v1/data_set
// on the URL line, "POST /apikey/v1/data set" in the raw request and
// https://sb.paruskaz.kz/apikey/v1/data set in the curl. The space cannot
// be in a URL unescaped; it is read as the underscore of the URL line,
// which the client uses by default. The raw request's and the curl's
// path, without /back, is WithBaseURL; the path as printed, with its
// space, is WithPath (sent escaped). The raw request's header,
// "Х-АРІ-КЕҮ", is typed with Cyrillic letters; the curl's X-API-KEY is
// ASCII and is what the client sends. (The raw request's Content-Length,
// 756, counts the printed body with its comments; that body is not JSON,
// and the client's body, the same data as valid JSON, is shorter.)
func TestDocumentationURLsAsPrinted(t *testing.T) {
	for _, tc := range []struct {
		opts []Option
		want string
	}{
		{nil, "https://sb.paruskaz.kz/back/apikey/v1/data_set"},
		{[]Option{WithBaseURL("https://sb.paruskaz.kz/apikey/v1/")}, "https://sb.paruskaz.kz/apikey/v1/data_set"},
		{[]Option{WithBaseURL("https://sb.paruskaz.kz/apikey/v1/"), WithPath("data set")}, "https://sb.paruskaz.kz/apikey/v1/data%20set"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			mt := httpmock.NewMockTransport()
			var got string
			mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
				got = r.URL.String()
				assert.Equal(t, http.MethodPost, r.Method)
				assert.Equal(t, []string{testKey}, r.Header.Values("X-API-KEY"))
				assert.Empty(t, r.Header.Values("Х-АРІ-КЕҮ"), "not the Cyrillic spelling")
				assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
				return httpmock.NewStringResponse(200, `{"message": "OK"}`), nil
			})
			opts := append([]Option{WithHTTPClient(&http.Client{Transport: mt}), WithChecksum(false)}, tc.opts...)
			c, err := New(testKey, opts...)
			require.NoError(t, err)
			require.NoError(t, c.Push(context.Background(), docInstitution()))
			assert.Equal(t, tc.want, got)
		})
	}
}

// The four answers of the documentation, each with the kind of error it
// gives and its message. The first block ends with "Пример ответа: Status:
// 200 OK" and the body follows in the next, {"message": "OK"}: one answer
// split over two blocks (a 200 with no body is not delivered; see
// TestOnlyTheDocumentedAnswerIsSuccess). The 401's status text is printed
// "Unautorized"; the status code decides, whatever its text. The 500's
// message is kept as printed ("Втнутренняя", sic).
func TestDocumentationAnswers(t *testing.T) {
	for _, tc := range []struct {
		status   string
		body     string
		kind     error
		message  string
		attempts int
	}{
		{"200 OK", `{"message": "OK"}`, nil, "", 1},
		{"400 Bad Request", `{"message": "Ошибка передачи параметров"}`, ErrValidation, "Ошибка передачи параметров", 1},
		{"401 Unautorized", `{"message": "Ошибка авторизации (ключ не верный или заблокирован)"}`, ErrUnauthorized, "Ошибка авторизации (ключ не верный или заблокирован)", 1},
		{"500 Internal Server Error", `{"message": "Втнутренняя ошибка сервера"}`, ErrServer, "Втнутренняя ошибка сервера", 4},
	} {
		t.Run(tc.status, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				code, _ := strconv.Atoi(tc.status[:3])
				s := &sink{answer: func(int) *http.Response {
					r := httpmock.NewStringResponse(code, tc.body)
					r.Status = tc.status
					r.Header.Set("Content-Type", "application/json")
					return r
				}}
				c := newMocked(t, s, WithChecksum(false))
				err := c.Push(t.Context(), docInstitution())
				assert.Len(t, s.bodies, tc.attempts, "only the 500 is retried")
				if tc.kind == nil {
					require.NoError(t, err)
					return
				}
				require.ErrorIs(t, err, tc.kind)
				var e *Error
				require.ErrorAs(t, err, &e)
				assert.Equal(t, code, e.StatusCode)
				assert.Equal(t, tc.message, e.Message)
				assert.Equal(t, tc.attempts, e.Attempts)
			})
		})
	}
}
