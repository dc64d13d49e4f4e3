package fakekit_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/steppe-sdk/steppe/internal/fakekit"
)

func TestSoakFaults(t *testing.T) {
	extra := fakekit.ChaosFault{Name: "answer lost", Weight: 1, Fault: fakekit.Fault{DropResponse: true}}
	menu := fakekit.SoakFaults(15*time.Millisecond, extra)
	weights := map[string]int{}
	for _, f := range menu {
		weights[f.Name] = f.Weight
	}
	want := map[string]int{"500": 2, "502": 2, "503": 2, "429 Retry-After 1s": 2, "429 Retry-After 0": 2, "reset": 2, "truncated body": 2, "slow body": 1, "answer lost": 1}
	if len(menu) != len(want) {
		t.Fatalf("%d faults, want %d: %v", len(menu), len(want), weights)
	}
	for name, w := range want {
		if weights[name] != w {
			t.Errorf("%s: weight %d, want %d", name, weights[name], w)
		}
	}
	if last := menu[len(menu)-1]; last.Name != "answer lost" || !last.Fault.DropResponse {
		t.Errorf("extra entry not last: %+v", last)
	}
	if slow := menu[len(menu)-2]; slow.Fault.SlowBody != 15*time.Millisecond {
		t.Errorf("slow body pause %v", slow.Fault.SlowBody)
	}
	if f := menu[3].Fault; f.Status != http.StatusTooManyRequests || f.RetryAfter != time.Second {
		t.Errorf("429 Retry-After 1s: %+v", f)
	}
}

func TestSoakSeed(t *testing.T) {
	t.Setenv("SOAK_SEED", "")
	if got := fakekit.SoakSeed(t); got != 20240613 {
		t.Errorf("default seed %d", got)
	}
	t.Setenv("SOAK_SEED", "42")
	if got := fakekit.SoakSeed(t); got != 42 {
		t.Errorf("SOAK_SEED=42 gave %d", got)
	}
}
