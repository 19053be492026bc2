// Package probe measures the disk under a directory before the harness
// measures any WAL on it: how long one small durable write takes, in
// preallocated space and at the end of a growing file, and how fast
// sequential O_DIRECT writes go (F_NOCACHE on macOS). Those numbers are the
// physical limits the charts draw: N waiting writers cannot be served faster
// than N per sync latency (Little's law), and no log moves more bytes than
// the device. How a platform syncs and bypasses the page cache is in
// probe_linux.go, probe_darwin.go and probe_freebsd.go.
package probe

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Result is what one probe measured.
type Result struct {
	Dir     string
	Samples int // lone write + sync pairs per latency measurement

	// SyncCall is the call that makes a write durable on this platform,
	// the one the stages use and the latencies below time: fdatasync on
	// Linux and FreeBSD, F_FULLFSYNC on macOS (probe_<os>.go).
	SyncCall string

	// PreallocSync: 4 KiB pwrite + fdatasync into zero-filled, synced
	// space, the best case for a WAL (stage 4's).
	PreallocSync Percentiles
	// AppendSync: 4 KiB write + fdatasync at the end of a growing file,
	// which also commits the new size (stages 1-3).
	AppendSync Percentiles
	// Undurable, on macOS only, times the PreallocSync writes again with
	// the calls that return before the data is durable, plain fsync(2)
	// first: it leaves the data in the drive's volatile cache, which
	// F_FULLFSYNC flushes. The gap between the two is what "fsync
	// returned" does not promise there (PostgreSQL's wal_sync_method =
	// fsync_writethrough exists for this). Empty elsewhere.
	Undurable []SyncLatency `json:",omitempty"`

	// DirectMBps is sequential O_DIRECT write bandwidth in MB/s (10^6
	// bytes), synced at the end; 0 when the filesystem refuses O_DIRECT, and
	// DirectError says why (tmpfs answers EINVAL).
	DirectMBps  float64
	DirectError string
}

// SyncLatency is the latency of one sync call.
type SyncLatency struct {
	Call string
	Percentiles
}

// syncCall is one way of syncing a file, named for the report.
type syncCall struct {
	name string
	sync func(*os.File) error
}

// SyncSummary says what the sync latencies are, in one line: on macOS both
// F_FULLFSYNC and plain fsync, and what the difference means.
func (r Result) SyncSummary() string {
	var b strings.Builder
	fmt.Fprintf(&b, "4 KiB write + %s: p50 %v, p99 %v into preallocated space; p50 %v, p99 %v appending",
		r.SyncCall, r.PreallocSync.P50, r.PreallocSync.P99, r.AppendSync.P50, r.AppendSync.P99)
	for _, u := range r.Undurable {
		fmt.Fprintf(&b, "; with %s (returns before the drive has flushed its cache: not durable) p50 %v, p99 %v",
			u.Call, u.P50, u.P99)
	}
	return b.String()
}

// Percentiles of a latency distribution.
type Percentiles struct {
	P50, P99 time.Duration
}

// LittleCeiling is the most entries/s that n writers, each waiting for its
// entry to be durable, can get: each sync takes at least the probed
// latency, and at best one sync serves all n of them.
func (r Result) LittleCeiling(n int) float64 {
	if r.PreallocSync.P50 <= 0 {
		return 0
	}
	return float64(n) / r.PreallocSync.P50.Seconds()
}

// BandwidthCeiling is the most entries/s of entrySize bytes the device can
// absorb, ignoring record headers.
func (r Result) BandwidthCeiling(entrySize int) float64 {
	if entrySize <= 0 {
		return 0
	}
	return r.DirectMBps * 1e6 / float64(entrySize)
}

const (
	blockSize     = 4096
	preallocBytes = 64 << 20
)

// Run probes dir: samples lone syncs of each kind, then directBytes of
// sequential O_DIRECT writes (0 skips that part). It writes and removes two
// files in dir.
func Run(dir string, samples int, directBytes int64) (Result, error) {
	if samples < 1 {
		return Result{}, fmt.Errorf("probe: samples must be at least 1, not %d", samples)
	}
	durable, undurable := syncCalls()
	r := Result{Dir: dir, Samples: samples, SyncCall: durable.name}
	var err error
	if r.AppendSync, err = syncLatency(dir, samples, false, durable); err != nil {
		return r, err
	}
	if r.PreallocSync, err = syncLatency(dir, samples, true, durable); err != nil {
		return r, err
	}
	for _, call := range undurable {
		p, err := syncLatency(dir, samples, true, call)
		if err != nil {
			return r, err
		}
		r.Undurable = append(r.Undurable, SyncLatency{call.name, p})
	}
	if directBytes > 0 {
		r.DirectMBps, err = directBandwidth(dir, directBytes, durable)
		if errors.Is(err, unix.EINVAL) {
			r.DirectError, err = "this filesystem refuses "+directIO+" (EINVAL); tmpfs does", nil
		}
	}
	return r, err
}

// syncLatency times samples writes of one 4 KiB block, each followed by
// call, at consecutive offsets of a fresh file.
func syncLatency(dir string, samples int, prealloc bool, call syncCall) (Percentiles, error) {
	path := filepath.Join(dir, ".probe-sync")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return Percentiles{}, fmt.Errorf("probe: %w", err)
	}
	defer os.Remove(path)
	defer f.Close()
	if prealloc {
		if err := zeroFill(f, max(preallocBytes, int64(samples)*blockSize)); err != nil {
			return Percentiles{}, err
		}
	}
	block := make([]byte, blockSize)
	for i := range block {
		block[i] = byte(i) | 1 // not zeros: a real write
	}
	latencies := make([]time.Duration, samples)
	for i := range latencies {
		start := time.Now()
		if _, err := f.WriteAt(block, int64(i)*blockSize); err != nil {
			return Percentiles{}, fmt.Errorf("probe: write %s: %w", path, err)
		}
		if err := call.sync(f); err != nil {
			return Percentiles{}, fmt.Errorf("probe: %s %s: %w", call.name, path, err)
		}
		latencies[i] = time.Since(start)
	}
	return percentiles(latencies), nil
}

func zeroFill(f *os.File, size int64) error {
	zeros := make([]byte, 1<<20)
	for off := int64(0); off < size; off += int64(len(zeros)) {
		if _, err := f.WriteAt(zeros[:min(int64(len(zeros)), size-off)], off); err != nil {
			return fmt.Errorf("probe: zero-fill %s: %w", f.Name(), err)
		}
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("probe: fsync %s: %w", f.Name(), err)
	}
	return nil
}

// directBandwidth writes size bytes sequentially with O_DIRECT (F_NOCACHE
// on macOS) in 1 MiB aligned chunks, then syncs them with call, and returns
// MB/s.
func directBandwidth(dir string, size int64, call syncCall) (float64, error) {
	path := filepath.Join(dir, ".probe-direct")
	f, err := openDirect(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, fmt.Errorf("probe: open %s with %s: %w", path, directIO, err)
	}
	defer os.Remove(path)
	defer f.Close()
	chunk := alignedBuffer(1<<20, blockSize)
	for i := range chunk {
		chunk[i] = byte(i) | 1
	}
	start := time.Now()
	for off := int64(0); off < size; off += int64(len(chunk)) {
		if _, err := f.WriteAt(chunk, off); err != nil {
			return 0, fmt.Errorf("probe: %s write %s at offset %d: %w", directIO, path, off, err)
		}
	}
	if err := call.sync(f); err != nil {
		return 0, fmt.Errorf("probe: %s %s: %w", call.name, path, err)
	}
	written := (size + int64(len(chunk)) - 1) / int64(len(chunk)) * int64(len(chunk))
	return float64(written) / 1e6 / time.Since(start).Seconds(), nil
}

// alignedBuffer returns n bytes whose address is a multiple of align, as
// O_DIRECT requires of the memory it transfers.
func alignedBuffer(n, align int) []byte {
	b := make([]byte, n+align)
	skip := (align - int(uintptr(unsafe.Pointer(&b[0]))%uintptr(align))) % align
	return b[skip : skip+n]
}

// percentiles sorts latencies and reads off p50 and p99 (nearest rank).
func percentiles(latencies []time.Duration) Percentiles {
	s := slices.Clone(latencies)
	slices.Sort(s)
	at := func(q float64) time.Duration {
		return s[min(len(s)-1, int(q*float64(len(s))))]
	}
	return Percentiles{P50: at(0.50), P99: at(0.99)}
}
