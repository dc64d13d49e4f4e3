package archtest

import (
	"os/exec"
	"strings"
	"testing"
)

var clients = []string{"paruskaz", "uchet", "trueapi", "uztgs", "openschool"}

const module = "github.com/steppe-sdk/steppe/"

func TestClientsDoNotImportEachOther(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}|{{join .Deps " "}}`, module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, deps, _ := strings.Cut(line, "|")
		own := clientOf(pkg)
		if own == "" || strings.HasPrefix(pkg, module+"examples/") {
			continue
		}
		checked++
		for _, dep := range strings.Fields(deps) {
			if other := clientOf(dep); other != "" && other != own {
				t.Errorf("%s imports %s: a client package must not import another client", pkg, dep)
			}
			for _, testOnly := range []string{"github.com/stretchr/testify", "github.com/jarcoal/httpmock"} {
				if strings.HasPrefix(dep, testOnly) {
					t.Errorf("%s depends on %s outside its tests", pkg, dep)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no client package was found")
	}
}

// clientOf returns the client a package belongs to ("openschool" for
// openschool/openschooltest), or "".
func clientOf(pkg string) string {
	rest, ok := strings.CutPrefix(pkg, module)
	if !ok {
		return ""
	}
	first, _, _ := strings.Cut(rest, "/")
	for _, c := range clients {
		if first == c {
			return c
		}
	}
	return ""
}
