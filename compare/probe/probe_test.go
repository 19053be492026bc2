package probe

import (
	"math"
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
	t.Logf("append+fdatasync p50 %v p99 %v; prealloc+fdatasync p50 %v p99 %v; O_DIRECT %.0f MB/s %s",
		r.AppendSync.P50, r.AppendSync.P99, r.PreallocSync.P50, r.PreallocSync.P99, r.DirectMBps, r.DirectError)
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
