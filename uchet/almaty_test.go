package uchet

import (
	"archive/zip"
	"context"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Asia/Almaty was UTC+6 until 1 March 2024, 00:00, when the clocks went
// back to 23:00 of 29 February, UTC+5 since. The documentation's times
// ("17:24:52 25.04.2023") are from before the change; a fixed UTC+5 would
// read them an hour late, a zone database older than the change would read
// every time since an hour early.
func TestAlmatyBeforeAndAfterMarch2024(t *testing.T) {
	assert.Equal(t, "Asia/Almaty", Almaty.String())
	for _, tc := range []struct {
		wire   string
		utc    time.Time
		offset int
	}{
		{"17:24:52 25.04.2023", time.Date(2023, 4, 25, 11, 24, 52, 0, time.UTC), 6 * 3600}, // the documentation's example
		{"17:24:54 25.04.2023", time.Date(2023, 4, 25, 11, 24, 54, 0, time.UTC), 6 * 3600},
		{"22:59:59 29.02.2024", time.Date(2024, 2, 29, 16, 59, 59, 0, time.UTC), 6 * 3600}, // the last hour of UTC+6 is ambiguous, this one not
		{"00:00:00 01.03.2024", time.Date(2024, 2, 29, 19, 0, 0, 0, time.UTC), 5 * 3600},
		{"17:24:52 25.04.2024", time.Date(2024, 4, 25, 12, 24, 52, 0, time.UTC), 5 * 3600},
		{"09:00:00 01.01.2026", time.Date(2026, 1, 1, 4, 0, 0, 0, time.UTC), 5 * 3600},
	} {
		s := tc.wire
		got, err := parseTime("start_time", &s, Almaty)
		require.NoError(t, err, tc.wire)
		assert.Equal(t, tc.utc, got.UTC(), tc.wire)
		_, off := got.Zone()
		assert.Equal(t, tc.offset, off, tc.wire)
	}
}

// Through the client: the documentation's answer is read at UTC+6, the
// same answer a year later at UTC+5.
func TestUpdateStatusTimesInAlmaty(t *testing.T) {
	for _, tc := range []struct {
		year  string
		start time.Time
	}{
		{"2023", time.Date(2023, 4, 25, 11, 24, 52, 0, time.UTC)},
		{"2024", time.Date(2024, 4, 25, 12, 24, 52, 0, time.UTC)},
	} {
		c, mt := newMocked(t)
		mt.RegisterResponder(http.MethodGet, "https://pk.uchet.kz/api/v2/update_status/",
			httpmock.NewStringResponder(200, strings.ReplaceAll(docAnswer, "25.04.2023", "25.04."+tc.year)))
		st, err := c.UpdateStatus(context.Background(), docBIN)
		require.NoError(t, err)
		assert.Equal(t, tc.start, st.Start.UTC(), tc.year)
		assert.Equal(t, tc.start.Add(2*time.Second), st.Tasks[TaskGoszakup].Finish.UTC(), tc.year)
	}
}

// The embedded zone is the Asia/Almaty entry of the Go toolchain's
// database: every offset change from 1900 to 2100 is the same. When Go
// ships a release of the database that changes Almaty again, this test
// says the embedded copy needs the new bytes.
func TestEmbeddedAlmatyMatchesTheToolchain(t *testing.T) {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	zr, err := zip.OpenReader(filepath.Join(strings.TrimSpace(string(out)), "lib", "time", "zoneinfo.zip"))
	if err != nil {
		t.Skipf("no zoneinfo.zip in GOROOT: %v", err)
	}
	defer zr.Close()
	f, err := zr.Open("Asia/Almaty")
	require.NoError(t, err)
	data, err := io.ReadAll(f)
	require.NoError(t, err)
	want, err := time.LoadLocationFromTZData("Asia/Almaty", data)
	require.NoError(t, err)

	changes := func(loc *time.Location) []string {
		var out []string
		for at := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); at.Year() < 2100; {
			name, off := at.In(loc).Zone()
			_, end := at.In(loc).ZoneBounds()
			out = append(out, at.UTC().Format(time.RFC3339)+" "+name+" "+time.Duration(off*int(time.Second)).String())
			if end.IsZero() {
				break
			}
			at = end
		}
		return out
	}
	got := changes(Almaty)
	assert.Equal(t, changes(want), got)
	assert.Greater(t, len(got), 10, "a real zone history, not a fixed offset")
}
