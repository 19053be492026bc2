// Package probe measures the disk under a directory before the harness
// measures any WAL on it: how long one small durable write takes, in
// preallocated space and at the end of a growing file, buffered and with
// O_DIRECT (SyncKinds), and how fast the
// device moves 1 MiB O_DIRECT I/Os (F_NOCACHE on macOS) sequentially:
// writes into preallocated space, writes that grow a file, and reads, each
// with 1 and with 4 I/Os in flight. Those numbers are the physical limits
// the charts draw: N waiting writers cannot be served faster than N per
// sync latency (Little's law), no log writes more bytes than the device
// takes, and no replay reads the device faster than it gives. How a
// platform syncs and bypasses the page cache is in probe_linux.go,
// probe_darwin.go and probe_freebsd.go.
package probe

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
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
	// DirectSync: 4 KiB O_DIRECT write (F_NOCACHE on macOS) + SyncCall
	// into zero-filled, synced space (stage 5's): the write itself waits
	// for the device, then the sync flushes the device's cache. Zero where
	// the filesystem refuses O_DIRECT (DirectError).
	DirectSync Percentiles
	// DsyncWrite, on Linux only: 4 KiB O_DIRECT pwritev2 with RWF_DSYNC
	// into the same space, one call that is durable when it returns, no
	// separate sync. DsyncCall names it; both empty elsewhere.
	DsyncWrite Percentiles
	DsyncCall  string
	// FUA says whether the device under Dir advertises Force Unit Access,
	// a write that is durable without a separate cache flush ("yes" or
	// "no", from FUAFrom: Linux's /sys/dev/block/MAJ:MIN/queue/fua); ""
	// where unknown. Without it the kernel carries out RWF_DSYNC as a
	// write and then a flush, as write + fdatasync does.
	FUA, FUAFrom string
	// DirectIO names how this platform bypasses the page cache: O_DIRECT,
	// or F_NOCACHE on macOS.
	DirectIO string
	// Undurable, on macOS only, times the PreallocSync writes again with
	// the calls that return before the data is durable, plain fsync(2)
	// first: it leaves the data in the drive's volatile cache, which
	// F_FULLFSYNC flushes. The gap between the two is what "fsync
	// returned" does not promise there (PostgreSQL's wal_sync_method =
	// fsync_writethrough exists for this). Empty elsewhere.
	Undurable []SyncLatency `json:",omitempty"`

	// Direct are the sequential O_DIRECT bandwidths, every Op at each of
	// InFlights; empty when the filesystem refuses O_DIRECT, and
	// DirectError says why (tmpfs answers EINVAL).
	Direct      []Bandwidth `json:",omitempty"`
	DirectError string
}

// An Op is what a bandwidth figure does, in the words the report uses.
type Op string

const (
	// PreallocWrite overwrites zero-filled, synced space: what stages 4
	// and 5 do with their preallocated segments.
	PreallocWrite Op = "write into preallocated space"
	// AppendWrite writes past the end of a freshly truncated file, so
	// every write allocates: what stages 1-3 do.
	AppendWrite Op = "write at the end of a growing file"
	// Read reads the preallocated file back: what a replay asks of the
	// device when the page cache does not have the log.
	Read Op = "read"
)

// Ops are the ops probed, in the order the report lists them.
func Ops() []Op { return []Op{PreallocWrite, AppendWrite, Read} }

// InFlights are the numbers of I/Os in flight each Op is probed at: one,
// as a log that waits for each write issues them, and four, closer to
// what the device can do (what fio calls the I/O depth).
func InFlights() []int { return []int{1, 4} }

// Bandwidth is one sequential O_DIRECT figure: MB/s (10^6 bytes) of 1 MiB
// I/Os, with InFlight goroutines each issuing its own, writes synced at
// the end.
type Bandwidth struct {
	Op       Op
	InFlight int
	MBps     float64
}

// DirectMBps is the bandwidth of op at inFlight I/Os, 0 if not probed.
func (r Result) DirectMBps(op Op, inFlight int) float64 {
	for _, b := range r.Direct {
		if b.Op == op && b.InFlight == inFlight {
			return b.MBps
		}
	}
	return 0
}

// DirectSummary says the O_DIRECT figures in one line: each op's MB/s at
// each of InFlights.
func (r Result) DirectSummary() string {
	var parts []string
	for _, op := range Ops() {
		var figures []string
		for _, n := range InFlights() {
			figures = append(figures, fmt.Sprintf("%.0f at %d in flight", r.DirectMBps(op, n), n))
		}
		parts = append(parts, fmt.Sprintf("%s %s", op, strings.Join(figures, ", ")))
	}
	return strings.Join(parts, "; ")
}

// BestMBps is the fastest figure of op at any number in flight: what the
// device can do, if a log asks the right way.
func (r Result) BestMBps(op Op) float64 {
	var best float64
	for _, b := range r.Direct {
		if b.Op == op {
			best = max(best, b.MBps)
		}
	}
	return best
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

// DirectSyncSummary says the O_DIRECT lone-write latencies in one line:
// write + sync, pwritev2 with RWF_DSYNC, and whether the device has FUA.
func (r Result) DirectSyncSummary() string {
	if r.DirectSync.P50 <= 0 {
		return fmt.Sprintf("%s write + %s not measured", r.DirectIO, r.SyncCall)
	}
	s := fmt.Sprintf("%s write + %s p50 %v, p99 %v", r.DirectIO, r.SyncCall, r.DirectSync.P50, r.DirectSync.P99)
	if r.DsyncWrite.P50 > 0 {
		s += fmt.Sprintf("; %s %s p50 %v, p99 %v", r.DirectIO, r.DsyncCall, r.DsyncWrite.P50, r.DsyncWrite.P99)
	} else {
		s += "; pwritev2 RWF_DSYNC not measured (Linux only)"
	}
	fua := r.FUA
	if fua == "" {
		fua = "unknown"
	}
	return s + "; device FUA: " + fua
}

// Percentiles of a latency distribution.
type Percentiles struct {
	P50, P99 time.Duration
}

// A SyncKind is one kind of lone durable 4 KiB write the probe times: the
// latency that bounds a log that makes its entries durable that way.
type SyncKind int

const (
	// SyncAppend: buffered write + SyncCall at the end of a growing file
	// (AppendSync).
	SyncAppend SyncKind = iota
	// SyncPrealloc: buffered write + SyncCall into preallocated space
	// (PreallocSync).
	SyncPrealloc
	// SyncDirect: O_DIRECT write + SyncCall into preallocated space
	// (DirectSync).
	SyncDirect
	// SyncDsync: O_DIRECT pwritev2 with RWF_DSYNC into preallocated space
	// (DsyncWrite; Linux only).
	SyncDsync
)

// SyncKinds are the kinds probed, in the order the report lists them.
func SyncKinds() []SyncKind { return []SyncKind{SyncPrealloc, SyncAppend, SyncDirect, SyncDsync} }

// Latency is what the probe measured for kind; zero if not measured.
func (r Result) Latency(kind SyncKind) Percentiles {
	switch kind {
	case SyncAppend:
		return r.AppendSync
	case SyncPrealloc:
		return r.PreallocSync
	case SyncDirect:
		return r.DirectSync
	case SyncDsync:
		return r.DsyncWrite
	}
	return Percentiles{}
}

// LittleCeiling is the most entries/s that n writers, each waiting for its
// entry to be durable, can get from a log whose durable writes are of
// kind: each takes at least the probed p50, and at best one serves all n
// writers. 0 if kind was not measured.
func (r Result) LittleCeiling(kind SyncKind, n int) float64 {
	p50 := r.Latency(kind).P50
	if p50 <= 0 {
		return 0
	}
	return float64(n) / p50.Seconds()
}

// BandwidthCeiling is the most entries/s of entrySize bytes the device can
// absorb into preallocated space, ignoring record headers.
func (r Result) BandwidthCeiling(entrySize int) float64 {
	if entrySize <= 0 {
		return 0
	}
	return r.BestMBps(PreallocWrite) * 1e6 / float64(entrySize)
}

const (
	probeTurn     = 50 // lone writes of one kind in a row (Run)
	blockSize     = 4096
	preallocBytes = 64 << 20
	chunkSize     = 1 << 20 // each O_DIRECT I/O, as fio's --bs=1M
)

// BandwidthPasses is how many passes each bandwidth figure is the median
// of. One pass over the file lasts tens of milliseconds, and two passes in
// a row can differ by a fifth.
const BandwidthPasses = 3

// Run probes dir: samples lone syncs of each kind, then every Op over
// directBytes (rounded up to whole MiB) at each of InFlights (0 skips that
// part). It writes and removes its files in dir.
func Run(dir string, samples int, directBytes int64) (Result, error) {
	if samples < 1 {
		return Result{}, fmt.Errorf("probe: samples must be at least 1, not %d", samples)
	}
	durable, undurable := syncCalls()
	r := Result{Dir: dir, Samples: samples, SyncCall: durable.name, DirectIO: directIO}
	r.FUA, r.FUAFrom = deviceFUA(dir)
	refused := func(err error) bool {
		if errors.Is(err, unix.EINVAL) {
			r.DirectError = "this filesystem refuses " + directIO + " (EINVAL); tmpfs does"
			return true
		}
		return false
	}
	// Every kind gets its own file, and the kinds take turns, probeTurn
	// samples each: the disk's speed drifts within a minute, and timing all
	// of one kind, then all of the next, charged that drift to the
	// difference between them. Turns of one sample each make every write
	// follow another kind's, and pay for whatever journal work that one
	// left behind. Ten turns of 50 average the drift and keep each kind's
	// writes together.
	var kinds []*loneWrites
	defer func() {
		for _, k := range kinds {
			k.close()
		}
	}()
	add := func(name string, prealloc, direct bool, write writeFunc) error {
		k, err := newLoneWrites(filepath.Join(dir, ".probe-"+name), samples, prealloc, direct, write)
		if err == nil {
			kinds = append(kinds, k)
		}
		return err
	}
	if err := add("append", false, false, writeThenSync("write", durable)); err != nil {
		return r, err
	}
	if err := add("prealloc", true, false, writeThenSync("write", durable)); err != nil {
		return r, err
	}
	for i, call := range undurable {
		if err := add(fmt.Sprintf("undurable%d", i), true, false, writeThenSync("write", call)); err != nil {
			return r, err
		}
	}
	direct := add("direct", true, true, writeThenSync(directIO+" write", durable))
	if direct != nil && !refused(direct) {
		return r, direct
	}
	name, dsync := dsyncWrite()
	if direct == nil && dsync != nil {
		if err := add("dsync", true, true, dsync); err != nil {
			return r, err
		}
	}
	for start := 0; start < samples; start += probeTurn {
		for _, k := range kinds {
			for i := start; i < min(samples, start+probeTurn); i++ {
				if err := k.time(i); err != nil {
					return r, err
				}
			}
		}
	}
	r.AppendSync, r.PreallocSync = kinds[0].percentiles(), kinds[1].percentiles()
	for i, call := range undurable {
		r.Undurable = append(r.Undurable, SyncLatency{call.name, kinds[2+i].percentiles()})
	}
	if direct == nil {
		r.DirectSync = kinds[2+len(undurable)].percentiles()
		if dsync != nil {
			r.DsyncWrite, r.DsyncCall = kinds[3+len(undurable)].percentiles(), name
		}
	}
	var err error
	if directBytes > 0 {
		r.Direct, err = directBandwidths(dir, directBytes, durable)
		if refused(err) {
			err = nil
		}
	}
	return r, err
}

// A writeFunc makes one 4 KiB block durable at off.
type writeFunc func(f *os.File, block []byte, off int64) error

// writeThenSync writes the block, then syncs the file with call; what
// names the write in errors ("write", or directIO's for a direct file).
func writeThenSync(what string, call syncCall) writeFunc {
	return func(f *os.File, block []byte, off int64) error {
		if _, err := f.WriteAt(block, off); err != nil {
			return fmt.Errorf("probe: %s %s: %w", what, f.Name(), err)
		}
		if err := call.sync(f); err != nil {
			return fmt.Errorf("probe: %s %s: %w", call.name, f.Name(), err)
		}
		return nil
	}
}

// syncLatency times samples buffered writes of one 4 KiB block, each
// followed by call, at consecutive offsets of a fresh file.
func syncLatency(dir string, samples int, prealloc bool, call syncCall) (Percentiles, error) {
	return loneLatency(dir, samples, prealloc, false, writeThenSync("write", call))
}

// directLatency times samples durable writes of one aligned 4 KiB block
// into preallocated space, the file reopened with openDirect.
func directLatency(dir string, samples int, write writeFunc) (Percentiles, error) {
	return loneLatency(dir, samples, true, true, write)
}

// loneLatency times samples lone writes of one kind, one after another.
func loneLatency(dir string, samples int, prealloc, direct bool, write writeFunc) (Percentiles, error) {
	k, err := newLoneWrites(filepath.Join(dir, ".probe-sync"), samples, prealloc, direct, write)
	if err != nil {
		return Percentiles{}, err
	}
	defer k.close()
	for i := range samples {
		if err := k.time(i); err != nil {
			return Percentiles{}, err
		}
	}
	return k.percentiles(), nil
}

// loneWrites is one kind of lone durable write being timed: calls of write,
// each making one 4 KiB block durable, at consecutive offsets of a fresh
// file, zero-filled and synced first if prealloc, then reopened with
// openDirect and written from an aligned buffer if direct.
type loneWrites struct {
	path      string
	f         *os.File
	block     []byte
	write     writeFunc
	latencies []time.Duration
}

func newLoneWrites(path string, samples int, prealloc, direct bool, write writeFunc) (*loneWrites, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("probe: %w", err)
	}
	k := &loneWrites{path: path, f: f, block: make([]byte, blockSize), write: write}
	if prealloc {
		if err := zeroFill(f, max(preallocBytes, int64(samples)*blockSize)); err != nil {
			k.close()
			return nil, err
		}
	}
	if direct {
		d, err := openDirect(path, os.O_RDWR, 0)
		if err != nil {
			k.close()
			return nil, fmt.Errorf("probe: open %s with %s: %w", path, directIO, err)
		}
		f.Close()
		k.f, k.block = d, alignedBuffer(blockSize, blockSize)
	}
	for i := range k.block {
		k.block[i] = byte(i) | 1 // not zeros: a real write
	}
	return k, nil
}

// time times sample i.
func (k *loneWrites) time(i int) error {
	start := time.Now()
	if err := k.write(k.f, k.block, int64(i)*blockSize); err != nil {
		return err
	}
	k.latencies = append(k.latencies, time.Since(start))
	return nil
}

func (k *loneWrites) percentiles() Percentiles { return percentiles(k.latencies) }

func (k *loneWrites) close() {
	k.f.Close()
	os.Remove(k.path)
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

// directBandwidths probes every Op over size bytes at each of InFlights:
// first the writes that grow a fresh file, then the overwrites of a
// DirectFile (zero-filled, then written once, synced), then reads of it.
func directBandwidths(dir string, size int64, call syncCall) ([]Bandwidth, error) {
	size = (size + chunkSize - 1) / chunkSize * chunkSize
	var out []Bandwidth
	probe := func(f *os.File, op Op) error {
		for _, n := range InFlights() {
			mbps, err := medianPass(func() (float64, error) { return directPass(f, op, size, n, call) })
			if err != nil {
				return err
			}
			out = append(out, Bandwidth{op, n, mbps})
		}
		return nil
	}
	growing := filepath.Join(dir, ".probe-grow")
	defer os.Remove(growing)
	growPass := func(n int) (float64, error) {
		f, err := openDirect(growing, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			return 0, fmt.Errorf("probe: open %s with %s: %w", growing, directIO, err)
		}
		defer f.Close()
		return directPass(f, AppendWrite, size, n, call)
	}
	for _, n := range InFlights() {
		mbps, err := medianPass(func() (float64, error) { return growPass(n) })
		if err != nil {
			return nil, err
		}
		out = append(out, Bandwidth{AppendWrite, n, mbps})
	}

	d, err := NewDirectFile(filepath.Join(dir, ".probe-direct"), size)
	if err != nil {
		return nil, err
	}
	defer d.Remove()
	if err := probe(d.f, PreallocWrite); err != nil {
		return nil, err
	}
	if err := probe(d.f, Read); err != nil {
		return nil, err
	}
	// The report lists the ops in the order of Ops, not of the probing.
	slices.SortStableFunc(out, func(a, b Bandwidth) int {
		return slices.Index(Ops(), a.Op) - slices.Index(Ops(), b.Op)
	})
	return out, nil
}

// medianPass runs pass BandwidthPasses times and returns the median MB/s.
func medianPass(pass func() (float64, error)) (float64, error) {
	mbps := make([]float64, 0, BandwidthPasses)
	for range BandwidthPasses {
		v, err := pass()
		if err != nil {
			return 0, err
		}
		mbps = append(mbps, v)
	}
	slices.Sort(mbps)
	return mbps[len(mbps)/2], nil
}

// directPass moves size bytes of f, from offset 0, in 1 MiB aligned O_DIRECT
// I/Os of op, inFlight at a time: goroutine g of inFlight takes chunks g,
// g + inFlight, g + 2*inFlight..., each with its own buffer. Writes are
// synced with call before the clock stops. It returns MB/s.
func directPass(f *os.File, op Op, size int64, inFlight int, call syncCall) (float64, error) {
	chunks := size / chunkSize
	errs := make([]error, inFlight)
	var wg sync.WaitGroup
	start := time.Now()
	for g := range inFlight {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := alignedBuffer(chunkSize, blockSize)
			for i := range buf {
				buf[i] = byte(i) | 1 // not zeros: a real write
			}
			for c := int64(g); c < chunks; c += int64(inFlight) {
				off := c * chunkSize
				var err error
				if op == Read {
					_, err = f.ReadAt(buf, off)
				} else {
					_, err = f.WriteAt(buf, off)
				}
				if err != nil {
					errs[g] = fmt.Errorf("probe: %s %s of %s at offset %d: %w", directIO, op, f.Name(), off, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return 0, err
	}
	if op != Read {
		if err := call.sync(f); err != nil {
			return 0, fmt.Errorf("probe: %s %s: %w", call.name, f.Name(), err)
		}
	}
	return float64(chunks*chunkSize) / 1e6 / time.Since(start).Seconds(), nil
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
