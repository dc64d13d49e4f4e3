package main

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/steppe-sdk/steppe/internal/testkit"
	"github.com/steppe-sdk/steppe/trueapi"
	"github.com/steppe-sdk/steppe/trueapi/signing/pkcs12"
)

// TestMain makes run work offline even where TRUEAPI_P12 is set.
func TestMain(m *testing.M) {
	os.Unsetenv("TRUEAPI_P12")
	os.Exit(m.Run())
}

// An NCA RK test key (public, password Qwerty12, no legal weight).
const testP12 = "../../trueapi/signing/testdata/AUTH_RSA256_b2c70a9ff7a5dc59de0ccc3c0ddde3437cc1f12d.p12"

// With TRUEAPI_P12 the key file is loaded and the stage stand is used; a
// context that has already ended sends nothing there.
func TestRunStage(t *testing.T) {
	t.Setenv("TRUEAPI_P12", testP12)
	t.Setenv("TRUEAPI_PASSWORD", "Qwerty12")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var out testkit.Output
	err := run(ctx, &out, trueapi.GroupTobacco, 1)
	if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "sign-in: ") {
		t.Fatalf("got %v", err)
	}
	if want := "stage: signing in to " + trueapi.StageBaseURL + " with " + testP12 + "\n"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}

	t.Setenv("TRUEAPI_PASSWORD", "wrong")
	if err := run(ctx, &out, trueapi.GroupTobacco, 1); !errors.Is(err, pkcs12.ErrIncorrectPassword) {
		t.Fatalf("wrong password: got %v", err)
	}
}

// main runs offline: it signs in to the fake, orders the codes of a GTIN
// and prints -show of them. Alongside, runs whose context ends after each
// of a few lines return the failure of the call that follows.
func TestMainFunc(t *testing.T) {
	testkit.Args(t, "trueapi", "-pg", "tobacco", "-show", "2", "-timeout", "1m")
	wg := testkit.CancelAtEach(t, []string{"offline:", "signed in", "product/gtin:", "cises/my:"}, func(ctx context.Context, w io.Writer) error {
		return run(ctx, w, trueapi.GroupTobacco, 1)
	})
	got := testkit.Capture(t, &os.Stdout, main)
	wg.Wait()
	testkit.Contains(t, got,
		"offline: no TRUEAPI_P12, signing in to the trueapitest fake at http://",
		"\nsigned in\n",
		"product/gtin: ",
		"cises/my order: ",
		"cises/my: ",
		"cises/info: ",
		"INTRODUCED")
	if n := strings.Count(got, "\n  \""); n != 2 {
		t.Errorf("printed %d codes, want 2:\n%s", n, got)
	}
}
