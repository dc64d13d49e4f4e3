package paruskaz

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// checkOKTwoPass is the reading checkOK replaced: the body decoded by
// encoding/json into a map, then its "message" decoded again. checkOK
// must accept and refuse exactly what it did, with the same message.
func checkOKTwoPass(body []byte) (message string, err error) {
	var v map[string]json.RawMessage
	if err := json.Unmarshal(body, &v); err != nil {
		return "", err
	}
	raw, ok := v["message"]
	if !ok {
		if v == nil {
			return "", fmt.Errorf("%w: it is null", errNotOK)
		}
		return "", fmt.Errorf("%w: it has no \"message\"", errNotOK)
	}
	var msg string
	if err := json.Unmarshal(raw, &msg); err != nil {
		return "", fmt.Errorf("%w: its \"message\" is not a string", errNotOK)
	}
	if msg != "OK" {
		return msg, errNotOK
	}
	return "", nil
}

var checkOKSeeds = []string{
	`{"message":"OK"}`, `{"message": "OK"}` + "\n", ` { "message" : "OK", "id": 7 } `, `{"message":"O\u004b"}`,
	`{"\u006dessage":"OK"}`, `{"message":"x","message":"OK"}`, `{"message":"OK","message":"x"}`,
	`{"message":"OK","message":null}`, `{"message":"OK","message":1}`, `{"Message":"OK"}`, `{"message":"ok"}`,
	`{"message":null}`, `{"message":["OK"]}`, `{"message":{"message":"OK"}}`, `{"a":{"message":"OK"}}`,
	`null`, `[]`, `"OK"`, ``, `{"message":"OK"`, `{"message":"OK"} x`, `{"message":"OK",}`,
	"{\"message\":\"OK\"}\n", " \t{\"message\":\"OK\"}\r\n", "\v{\"message\":\"OK\"}", "{\"message\":\"OK\"}\u00a0",
	"{\"message\":\"\xff\"}", "{\"m\xffessage\":\"OK\"}", `{"message":"\ud800"}`, `{"message":"OK","message":"OK"}`,
}

func TestCheckOKReadsLikeTheTwoPassReading(t *testing.T) {
	for _, body := range checkOKSeeds {
		msg, err := checkOK([]byte(body))
		wantMsg, wantErr := checkOKTwoPass([]byte(body))
		assert.Equal(t, wantErr == nil, err == nil, "%q: %v, want %v", body, err, wantErr)
		assert.Equal(t, wantMsg, msg, body)
		if wantErr != nil && errors.Is(wantErr, errNotOK) {
			assert.Equal(t, wantErr.Error(), err.Error(), body)
		}
	}
}

// FuzzCheckOK: on any body, checkOK agrees with the two-pass reading it
// replaced: success, the kind of refusal and the message.
func FuzzCheckOK(f *testing.F) {
	for _, s := range checkOKSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		msg, err := checkOK(body)
		wantMsg, wantErr := checkOKTwoPass(body)
		if (err == nil) != (wantErr == nil) || msg != wantMsg {
			t.Fatalf("%q: got %q, %v; want %q, %v", body, msg, err, wantMsg, wantErr)
		}
		if errors.Is(wantErr, errNotOK) && (!errors.Is(err, errNotOK) || err.Error() != wantErr.Error()) {
			t.Fatalf("%q: got %v, want %v", body, err, wantErr)
		}
	})
}
