package transport

import (
	"slices"
	"strings"
	"testing"

	"github.com/steppe-sdk/steppe/internal/testkit"
)

// FuzzRedactEchoes checks the masking against an independent oracle: a
// random secret is echoed in a random encoding inside an error body, and
// the redacted body holds the secret in none of the encodings.
//
//	go test -run '^$' -fuzz '^FuzzRedactEchoes$' ./internal/transport/
func FuzzRedactEchoes(f *testing.F) {
	f.Add(`pa"ss\word`, uint8(3))
	f.Add("a/b/c", uint8(5))
	f.Add("Пароль<&>'", uint8(6))
	f.Add("\u2028x\x01", uint8(3))
	f.Add("ok", uint8(9))
	f.Add("tok\xffen", uint8(4))
	f.Add("\b\f", uint8(7))
	// The oracle (testkit.Echoes) is written independently of secretForms;
	// sorted by name, a corpus entry means one encoding.
	echoes := testkit.Echoes()
	slices.SortFunc(echoes, func(a, b testkit.Echo) int { return strings.Compare(a.Name, b.Name) })
	f.Fuzz(func(t *testing.T, secret string, pick uint8) {
		if secret == "" || strings.Contains(Mask, secret) {
			return
		}
		s := new(Secrets)
		s.Add(secret)
		enc := echoes[int(pick)%len(echoes)]
		body := `{"error":"wrong credentials: ` + enc.Encode(secret) + `"}`
		out := s.Redact(body)
		var forms []string
		for _, e := range echoes {
			forms = append(forms, e.Encode(secret))
		}
		fzNoSecret(t, "echo "+enc.Name, out, forms)
	})
}
