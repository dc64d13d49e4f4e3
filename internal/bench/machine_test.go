package bench

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestMain prints, when benchmarks run, one line about the machine before
// the first benchmark and one after the last, for cmd/benchtable:
//
//	steppe bench: at=start loadavg=0.52/0.40/0.33 gomaxprocs=2 cpus=2
//	steppe bench: at=end loadavg=1.95/1.20/0.70 cpu-self=58.1% cpu-others=3.2%
//
// loadavg is the 1-, 5- and 15-minute load average of /proc/loadavg; at
// the end it counts the benchmarks' own threads too. cpu-self and
// cpu-others are the shares of all CPUs' time between the two lines
// (/proc/stat, /proc/self/stat) used by this process and by everything
// else, which says whether the machine was quiet. A figure that cannot be
// read (not Linux) is "unknown". The key of the lines holds a space, so
// that benchstat, which reads "key: value" lines as configuration, skips
// them.
func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.bench"); f == nil || f.Value.String() == "" {
		os.Exit(m.Run())
	}
	start := readCPU()
	fmt.Printf("steppe bench: at=start loadavg=%s gomaxprocs=%d cpus=%d\n", loadavg(), runtime.GOMAXPROCS(0), runtime.NumCPU())
	code := m.Run()
	end := readCPU()
	self, others := "unknown", "unknown"
	if start.ok && end.ok && end.total > start.total {
		total := float64(end.total - start.total)
		s := float64(end.self - start.self)
		o := max(float64(end.busy-start.busy)-s, 0)
		self, others = fmt.Sprintf("%.1f%%", 100*s/total), fmt.Sprintf("%.1f%%", 100*o/total)
	}
	fmt.Printf("steppe bench: at=end loadavg=%s cpu-self=%s cpu-others=%s\n", loadavg(), self, others)
	os.Exit(code)
}

// loadavg returns the three load averages of /proc/loadavg joined by
// slashes, or "unknown".
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], "/")
}

// cpuTimes are clock ticks of all CPUs since boot: in total, busy (not
// idle or waiting for I/O), and used by this process.
type cpuTimes struct {
	total, busy, self uint64
	ok                bool
}

func readCPU() cpuTimes {
	var t cpuTimes
	stat, err := os.ReadFile("/proc/stat")
	if err != nil {
		return t
	}
	line, _, _ := strings.Cut(string(stat), "\n")
	f := strings.Fields(line)
	// cpu user nice system idle iowait irq softirq steal [guest guest_nice],
	// guest time being counted in user and nice already.
	if len(f) < 9 || f[0] != "cpu" {
		return t
	}
	for i, s := range f[1:9] {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return t
		}
		t.total += v
		if i != 3 && i != 4 { // idle, iowait
			t.busy += v
		}
	}
	self, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return t
	}
	// pid (comm) state ppid … utime stime: utime and stime are the 14th
	// and 15th fields, the 12th and 13th after the closing parenthesis.
	s := string(self)
	f = strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return t
	}
	u, err1 := strconv.ParseUint(f[11], 10, 64)
	k, err2 := strconv.ParseUint(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return t
	}
	t.self, t.ok = u+k, true
	return t
}
