package probe

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"syscall"
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
	t.Logf("%s; %s %+v %s", r.SyncSummary(), directIO, r.Direct, r.DirectError)
	if durable, undurable := syncCalls(); r.SyncCall != durable.name || len(r.Undurable) != len(undurable) {
		t.Errorf("timed %s and %d undurable calls, want %s and %d", r.SyncCall, len(r.Undurable), durable.name, len(undurable))
	}
	if r.DirectError != "" {
		t.Skipf("no O_DIRECT figures to check: %s", r.DirectError)
	}
	t.Log(r.DirectSyncSummary())
	if p := r.DirectSync; p.P50 <= 0 || p.P99 < p.P50 || r.DirectIO != directIO {
		t.Errorf("%s write + sync: p50 %v, p99 %v", r.DirectIO, p.P50, p.P99)
	}
	if name, write := dsyncWrite(); r.DsyncCall != name || (write != nil) != (r.DsyncWrite.P50 > 0) {
		t.Errorf("timed %q for p50 %v; this platform's RWF_DSYNC call is %q", r.DsyncCall, r.DsyncWrite.P50, name)
	}
	// Every op at every number in flight, named, in the order of Ops, and
	// each figure positive.
	var got []string
	for _, b := range r.Direct {
		got = append(got, fmt.Sprintf("%s/%d", b.Op, b.InFlight))
		if b.MBps <= 0 || math.IsInf(b.MBps, 0) {
			t.Errorf("%s at %d in flight: %v MB/s", b.Op, b.InFlight, b.MBps)
		}
	}
	var want []string
	for _, op := range Ops() {
		for _, n := range InFlights() {
			want = append(want, fmt.Sprintf("%s/%d", op, n))
			if r.DirectMBps(op, n) <= 0 {
				t.Errorf("DirectMBps(%q, %d) = %v", op, n, r.DirectMBps(op, n))
			}
		}
	}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("probed %v, want %v", got, want)
	}
	if left, _ := os.ReadDir(r.Dir); len(left) != 0 {
		t.Errorf("%s left behind", left[0].Name())
	}
}

// The I/Os in flight take turns over the chunks: every chunk of the file
// is written once, whatever the number in flight, and read back as written.
func TestDirectPassCoversTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	f, err := openDirect(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Skipf("no %s here: %v", directIO, err)
	}
	defer f.Close()
	noSync := syncCall{"none", func(*os.File) error { return nil }}
	for _, n := range []int{1, 3, 4} {
		if err := f.Truncate(0); err != nil {
			t.Fatal(err)
		}
		if _, err := directPass(f, AppendWrite, 7*chunkSize, n, noSync); errors.Is(err, syscall.EINVAL) {
			t.Skipf("%s refused here: %v", directIO, err)
		} else if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) != 7*chunkSize || bytes.IndexByte(b, 0) >= 0 {
			t.Errorf("%d in flight: wrote %d bytes, first zero at %d; want 7 MiB, none zero", n, len(b), bytes.IndexByte(b, 0))
		}
		if _, err := directPass(f, Read, 7*chunkSize, n, noSync); err != nil {
			t.Errorf("%d in flight: read back: %v", n, err)
		}
	}
}

// A DirectFile holds data, not a hole or zeros, reads back whole, and is
// gone after Remove; where direct I/O is refused it says so with
// ErrNoDirectIO and leaves nothing behind.
func TestDirectFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	d, err := NewDirectFile(path, 3*chunkSize-100)
	if errors.Is(err, ErrNoDirectIO) {
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Errorf("%s left behind", left[0].Name())
		}
		t.Skipf("no %s here: %v", directIO, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 3*chunkSize || bytes.IndexByte(b, 0) >= 0 {
		t.Errorf("the file holds %d bytes, first zero at %d; want 3 MiB, none zero", len(b), bytes.IndexByte(b, 0))
	}
	for _, n := range []int{1, 4} {
		if mbps, err := d.ReadMBps(n); err != nil || mbps <= 0 {
			t.Errorf("ReadMBps(%d) = %v, %v", n, mbps, err)
		}
	}
	if err := d.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after Remove: %v, want the file gone", err)
	}
}

func TestBadSamples(t *testing.T) {
	if _, err := Run(t.TempDir(), 0, 0); err == nil {
		t.Fatal("0 samples accepted")
	}
}

func TestCeilings(t *testing.T) {
	r := Result{PreallocSync: Percentiles{P50: 100 * time.Microsecond}, Direct: []Bandwidth{
		{PreallocWrite, 1, 400}, {PreallocWrite, 4, 1000}, {AppendWrite, 4, 2000}, {Read, 1, 3000}}}
	if got := r.LittleCeiling(SyncPrealloc, 64); math.Abs(got-640_000) > 1e-6 {
		t.Errorf("LittleCeiling(prealloc, 64) = %v, want 640000", got)
	}
	if r.LittleCeiling(SyncDirect, 64) != 0 {
		t.Error("a ceiling of a kind not measured should be 0")
	}
	if got := r.BandwidthCeiling(1000); got != 1e6 {
		t.Errorf("BandwidthCeiling(1000) = %v, want 1e6", got)
	}
	if r.DirectMBps(PreallocWrite, 1) != 400 || r.BestMBps(Read) != 3000 || r.DirectMBps(Read, 4) != 0 {
		t.Errorf("looked up %v, %v and %v, want 400, 3000 and 0", r.DirectMBps(PreallocWrite, 1), r.BestMBps(Read), r.DirectMBps(Read, 4))
	}
	if (Result{}).LittleCeiling(SyncPrealloc, 8) != 0 || r.BandwidthCeiling(0) != 0 {
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

// Each kind reads its own field, and its ceiling is N over that p50.
func TestLatencyOfEachKind(t *testing.T) {
	r := Result{AppendSync: Percentiles{P50: 250 * time.Microsecond}, PreallocSync: Percentiles{P50: 100 * time.Microsecond},
		DirectSync: Percentiles{P50: 125 * time.Microsecond}, DsyncWrite: Percentiles{P50: 200 * time.Microsecond}}
	want := map[SyncKind]float64{SyncAppend: 4000, SyncPrealloc: 10_000, SyncDirect: 8000, SyncDsync: 5000}
	if len(SyncKinds()) != len(want) {
		t.Errorf("%d kinds, want %d", len(SyncKinds()), len(want))
	}
	for _, k := range SyncKinds() {
		if got := r.LittleCeiling(k, 1); math.Abs(got-want[k]) > 1e-6 {
			t.Errorf("kind %d: ceiling at 1 writer %v, want %v", k, got, want[k])
		}
	}
}

// The one-line O_DIRECT summary says what was and was not measured.
func TestDirectSyncSummary(t *testing.T) {
	r := Result{SyncCall: "fdatasync", DirectIO: "O_DIRECT", DirectSync: Percentiles{P50: 110 * time.Microsecond, P99: 300 * time.Microsecond},
		DsyncCall: "pwritev2 RWF_DSYNC", DsyncWrite: Percentiles{P50: 122 * time.Microsecond, P99: 400 * time.Microsecond}, FUA: "no"}
	if got, want := r.DirectSyncSummary(), "O_DIRECT write + fdatasync p50 110µs, p99 300µs; O_DIRECT pwritev2 RWF_DSYNC p50 122µs, p99 400µs; device FUA: no"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	r.DsyncWrite, r.FUA = Percentiles{}, ""
	if got := r.DirectSyncSummary(); !strings.Contains(got, "RWF_DSYNC not measured") || !strings.HasSuffix(got, "FUA: unknown") {
		t.Errorf("summary %q", got)
	}
}
