package main

import (
	"os"
	"testing"

	"github.com/steppe-sdk/steppe/internal/testkit"
)

// main sends a write-off to the fake, follows it to CHECKED_OK and lists
// the documents. Alongside, runs whose context ends after each of a few
// lines return the failure of the call that follows.
func TestMainFunc(t *testing.T) {
	wg := testkit.CancelAtEach(t, []string{"offline:", "sent write-off", "document "}, run)
	got := testkit.Capture(t, &os.Stdout, main)
	wg.Wait()
	testkit.Contains(t, got,
		"offline: the trueapitest fake at http://",
		"sent write-off ",
		"  status: ",
		": CHECKED_OK (MTTPS_90)\n",
		"doc/listV2: ")
}
