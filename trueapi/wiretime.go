package trueapi

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/steppe-sdk/steppe/internal/lenient"
)

// wireTime decodes every date layout of catalog §1.9: ISO 8601 with or
// without milliseconds and with or without Z (a), (b); dd.MM.yyyy (c);
// yyyy-MM-dd (d); Unix seconds as a number or a numeric string (e, the EDO
// lists; values above 10^11 are read as milliseconds); and MM/dd/yyyy, the
// layout of the documents/search screenshot. Times without a zone are UTC.
// null, "" and "undef" leave it zero.
type wireTime struct {
	T time.Time
}

func (t *wireTime) UnmarshalJSON(raw []byte) error {
	if lenient.IsAbsent(raw) {
		t.T = time.Time{}
		return nil
	}
	s := strings.TrimSpace(string(raw))
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
	}
	v, err := parseWireTime(s)
	if err != nil {
		return err
	}
	t.T = v
	return nil
}

func parseWireTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n > 1e11 || n < -1e11 {
			return time.UnixMilli(n).UTC(), nil
		}
		return time.Unix(n, 0).UTC(), nil
	}
	if v, err := lenient.ParseTime(s, time.UTC); err == nil {
		return v, nil
	}
	for _, layout := range []string{"02.01.2006", "01/02/2006", "02.01.2006 15:04:05"} {
		if v, err := time.Parse(layout, s); err == nil {
			return v, nil
		}
	}
	return time.Time{}, fmt.Errorf("trueapi: cannot parse the date %q in any layout of catalog §1.9", s)
}
