package gost

import (
	"bytes"
	"encoding/hex"
	"hash"
	"slices"
	"strings"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// reversed returns b reversed: RFC 6986 prints messages and digests most
// significant byte first, the reverse of the byte strings hashed.
func reversed(b []byte) []byte {
	r := slices.Clone(b)
	slices.Reverse(r)
	return r
}

// RFC 6986 section 10 (GOST R 34.11-2012 appendix A), examples 1 and 2.
func TestStreebogRFC6986(t *testing.T) {
	m1 := "32313039383736353433323130393837363534333231303938373635343332" +
		"3130393837363534333231303938373635343332313039383736353433323130"
	m2 := "fbe2e5f0eee3c820fbeafaebef20fffbf0e1e0f0f520e0ed20e8ece0ebe5f0f2f120fff0eeec20f120faf2fee5e2202ce8" +
		"f6f3ede220e8e6eee1e8f0f2d1202ce8f0f2e5e220e5d1"
	for _, tc := range []struct {
		name, msg, want string
		h               func() hash.Hash
	}{
		{"M1/512", m1, "486f64c1917879417fef082b3381a4e211c324f074654c38823a7b76f830ad00" +
			"fa1fbae42b1285c0352f227524bc9ab16254288dd6863dccd5b9f54a1ad0541b", NewStreebog512},
		{"M1/256", m1, "00557be5e584fd52a449b16b0251d05d27f94ab76cbaa6da890b59d8ef1e159d", NewStreebog256},
		{"M2/512", m2, "28fbc9bada033b1460642bdcddb90c3fb3e56c497ccd0f62b8a2ad4935e85f03" +
			"7613966de4ee00531ae60f3b5a47f8dae06915d5f2f194996fcabf2622e6881e", NewStreebog512},
		{"M2/256", m2, "508f7e553c06501d749a66fc28c6cac0b005746d97537fa85d9e40904efed29d", NewStreebog256},
	} {
		msg := reversed(unhex(t, tc.msg))
		want := reversed(unhex(t, tc.want))
		if tc.name[:2] == "M1" && string(msg) != "012345678901234567890123456789012345678901234567890123456789012" {
			t.Fatalf("M1 reads %q", msg)
		}
		h := tc.h()
		h.Write(msg)
		if got := h.Sum(nil); !bytes.Equal(got, want) {
			t.Errorf("%s: got %x, want %x", tc.name, got, want)
		}
	}
}

// The empty message, as OpenSSL's GOST engine and others print it.
func TestStreebogEmpty(t *testing.T) {
	h := NewStreebog512()
	want512 := "8e945da209aa869f0455928529bcae4679e9873ab707b55315f56ceb98bef0a7362f715528356ee83cda5f2aac4c6ad2ba3a715c1bcd81cb8e9f90bf4c1c1a8a"
	if got := hex.EncodeToString(h.Sum(nil)); got != want512 {
		t.Errorf("512: got %s", got)
	}
	h = NewStreebog256()
	if got := hex.EncodeToString(h.Sum(nil)); got != "3f539a213e97c802cc229d474c6aa32a825a360b2a933a949fd925208d9ce1bb" {
		t.Errorf("256: got %s", got)
	}
}

// GOST R 34.11-94 with the test parameter set: the examples of the
// standard (RFC 5831 section 7.3.1) and the usual extra vectors.
func TestGOST94Vectors(t *testing.T) {
	for _, tc := range []struct{ msg, want string }{
		{"", "ce85b99cc46752fffee35cab9a7b0278abb4c2d2055cff685af4912c49490f8d"},
		{"a", "d42c539e367c66e9c88a801f6649349c21871b4344c6a573f849fdce62f314dd"},
		{"abc", "f3134348c44fb1b2a277729e2285ebb5cb5e0f29c975bc753b70497c06a4d51d"},
		{"message digest", "ad4434ecb18f2c99b60cbe59ec3d2469582b65273f48de72db2fde16a4889a4d"},
		{"This is message, length=32 bytes", "b1c466d37519b82e8319819ff32595e047a28cb6f83eff1c6916a815a637fffa"},
		{"Suppose the original message has length = 50 bytes", "471aba57a60a770d3a76130635c1fbea4ef14de51f78b4ae57dd893b62f55208"},
		{"The quick brown fox jumps over the lazy dog", "77b7fa410c9ac58a25f49bca7d0468c9296529315eaca76bd1a10f376d1f4294"},
		{"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "95c1af627c356496d80274330b2cff6a10c67b5f597087202f94d06d2338cf8e"},
		{strings.Repeat("1234567890", 8), "cc178dcad4df619dcaa00aac79ca355c00144e4ada2793d7bd9b3518ead3ccd3"},
		{strings.Repeat("U", 128), "53a3a3ed25180cef0c1d85a074273e551c25660a87062a52d926a9e8fe5733a4"},
	} {
		h := NewGOST94()
		h.Write([]byte(tc.msg))
		if got := hex.EncodeToString(h.Sum(nil)); got != tc.want {
			t.Errorf("%q: got %s, want %s", tc.msg, got, tc.want)
		}
	}
}
