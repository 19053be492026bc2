package probe

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"
	"time"
	"unsafe"
)

func TestRunMeasuresSomething(t *testing.T) {
	r, err := Run(t.TempDir(), 20, 8<<20)
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]Percentiles{"append": r.AppendSync, "prealloc": r.PreallocSync} {
		if p.P50 <= 0 || p.P99 < p.P50 {
			t.Errorf("%s: p50 %v, p99 %v", name, p.P50, p.P99)
		}
	}
	t.Logf("%s; %s %.0f MB/s %s", r.SyncSummary(), directIO, r.DirectMBps, r.DirectError)
	if durable, undurable := syncCalls(); r.SyncCall != durable.name || len(r.Undurable) != len(undurable) {
		t.Errorf("timed %s and %d undurable calls, want %s and %d", r.SyncCall, len(r.Undurable), durable.name, len(undurable))
	}
	if r.DirectMBps <= 0 && r.DirectError == "" {
		t.Errorf("no O_DIRECT bandwidth and no reason why")
	}
}

func TestBadSamples(t *testing.T) {
	if _, err := Run(t.TempDir(), 0, 0); err == nil {
		t.Fatal("0 samples accepted")
	}
}

func TestCeilings(t *testing.T) {
	r := Result{PreallocSync: Percentiles{P50: 100 * time.Microsecond}, DirectMBps: 1000}
	if got := r.LittleCeiling(64); math.Abs(got-640_000) > 1e-6 {
		t.Errorf("LittleCeiling(64) = %v, want 640000", got)
	}
	if got := r.BandwidthCeiling(1000); got != 1e6 {
		t.Errorf("BandwidthCeiling(1000) = %v, want 1e6", got)
	}
	if (Result{}).LittleCeiling(8) != 0 || r.BandwidthCeiling(0) != 0 {
		t.Error("a ceiling from missing data should be 0")
	}
}

func TestPercentiles(t *testing.T) {
	var l []time.Duration
	for i := 100; i >= 1; i-- {
		l = append(l, time.Duration(i))
	}
	p := percentiles(l)
	if p.P50 != 51 || p.P99 != 100 {
		t.Fatalf("p50 %d, p99 %d; want 51 and 100 (nearest rank)", p.P50, p.P99)
	}
}

func TestAlignedBuffer(t *testing.T) {
	for range 10 {
		b := alignedBuffer(4096, 4096)
		if len(b) != 4096 || addr(b)%4096 != 0 {
			t.Fatalf("len %d, address %#x", len(b), addr(b))
		}
	}
}

func addr(b []byte) uintptr { return uintptr(unsafe.Pointer(&b[0])) }

// The latencies time the call they are given, once per sample: on macOS
// that is F_FULLFSYNC for the durable numbers and plain fsync for the
// undurable ones, so the same loop must time whatever it is handed.
func TestSyncLatencyTimesTheGivenCall(t *testing.T) {
	for _, prealloc := range []bool{false, true} {
		calls := 0
		counting := syncCall{"counting", func(f *os.File) error { calls++; return f.Sync() }}
		if _, err := syncLatency(t.TempDir(), 7, prealloc, counting); err != nil {
			t.Fatal(err)
		}
		if calls != 7 {
			t.Errorf("prealloc %v: the call ran %d times for 7 samples", prealloc, calls)
		}
	}
	failing := syncCall{"failing", func(*os.File) error { return errors.New("EIO") }}
	if _, err := syncLatency(t.TempDir(), 3, false, failing); err == nil || !strings.Contains(err.Error(), "failing") {
		t.Errorf("a failing sync gave %v, want an error naming the call", err)
	}
}

// The summary names the durable call and, where there are any, the
// undurable ones with a warning.
func TestSyncSummary(t *testing.T) {
	r := Result{SyncCall: "F_FULLFSYNC", PreallocSync: Percentiles{P50: 5 * time.Millisecond, P99: 9 * time.Millisecond}}
	if s := r.SyncSummary(); !strings.Contains(s, "F_FULLFSYNC: p50 5ms, p99 9ms") || strings.Contains(s, "not durable") {
		t.Errorf("summary %q", s)
	}
	r.Undurable = []SyncLatency{{"fsync", Percentiles{P50: 50 * time.Microsecond, P99: 80 * time.Microsecond}}}
	if s := r.SyncSummary(); !strings.Contains(s, "fsync (returns before the drive has flushed its cache: not durable) p50 50µs") {
		t.Errorf("summary %q", s)
	}
	durable, undurable := syncCalls()
	t.Logf("on this platform: %s durable, %d undurable calls timed beside it", durable.name, len(undurable))
}
