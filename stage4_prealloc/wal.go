package prealloc

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// maxRetainedBuffer caps the encode buffer kept between appends.
const maxRetainedBuffer = 1 << 20

// Prealloc says how a segment is prepared before it is used.
type Prealloc int

const (
	// PreallocZero writes zeros over the whole segment and syncs them. Later
	// writes overwrite allocated, initialized blocks: fdatasync then has no
	// metadata to commit. Measured fastest on ext4 (see the README).
	PreallocZero Prealloc = iota
	// PreallocFallocate reserves the blocks with fallocate(2). They are
	// "unwritten extents": the first write to each one still changes
	// metadata, which every fdatasync must then commit to the journal.
	PreallocFallocate
	// PreallocNone creates an empty file that grows with every append, as in
	// stage 3. Here for the comparison.
	PreallocNone
)

func (p Prealloc) String() string {
	switch p {
	case PreallocZero:
		return "zero"
	case PreallocFallocate:
		return "fallocate"
	case PreallocNone:
		return "none"
	}
	return fmt.Sprintf("Prealloc(%d)", int(p))
}

// Options holds this stage's knobs. The zero value is a good default.
type Options struct {
	// SegmentSize is the size of each segment file. Default 64 MiB. A batch
	// larger than a segment gets a segment of its own, which grows past it.
	SegmentSize int64
	// Prealloc is how segments are prepared. Default PreallocZero.
	Prealloc Prealloc
	// MaxGroupBytes bounds the encoded bytes collected into one group (one
	// write, one fsync); appenders wait while the group is full. Default 4 MiB.
	MaxGroupBytes int
	// MaxGroupEntries bounds the entries in one group. Default 16384.
	MaxGroupEntries int
	// MaxWait holds a group open this long for more appenders before it is
	// written, unless it fills up first, trading latency for larger groups
	// (BookKeeper's journalMaxGroupWaitMSec, PostgreSQL's commit_delay).
	// Default 0: never wait.
	MaxWait time.Duration
}

func (o Options) withDefaults() Options {
	if o.SegmentSize <= 0 {
		o.SegmentSize = 64 << 20
	}
	if o.MaxGroupBytes <= 0 {
		o.MaxGroupBytes = 4 << 20
	}
	if o.MaxGroupEntries <= 0 {
		o.MaxGroupEntries = 16384
	}
	return o
}

// WAL is a write-ahead log in a directory of segment files. All methods are
// safe for concurrent use.
type WAL struct {
	lock *dirLock // the log is ours while we hold it
	dir      string
	openFile openFileFunc
	opts     Options
	index    index
	stats    counters

	mu        sync.Mutex
	room      sync.Cond // signalled when the pending group is taken; uses mu
	pending   *group    // the group being collected; guarded by mu
	nextIndex uint64    // index the next enqueued entry gets; guarded by mu
	active    *segment  // the segment enqueue fills; guarded by mu
	end       int64     // where the next enqueued record goes in it; guarded by mu
	flushed   int       // groups flushLoop has taken; guarded by mu
	failed    error     // set after a failed write or sync; guarded by mu
	closed    atomic.Bool

	// cycleMu is the right to run a sync cycle (runCycle): syncLoop's, or
	// an appender's that found the pipeline idle. It guards the fields below.
	cycleMu  sync.Mutex
	batch    []*group // the groups of the current cycle
	spare    []byte   // a written group's buffer, for the next group
	received int      // groups received from flushLoop

	writeMu sync.Mutex     // held from taking a group to the end of its write
	work    chan struct{}  // the pending group has entries (capacity 1)
	early   chan struct{}  // the pending group is big (capacity 1)
	full    chan struct{}  // the pending group is full (capacity 1)
	closing chan struct{}  // closed by Close: sync what is left, then stop
	written chan *group    // groups flushLoop wrote, in file order
	loops   sync.WaitGroup // syncLoop, flushLoop and prepareLoop

	prepared     chan preparedSegment // the next segment, ready to use
	firstSegment *preparedSegment     // taken by Open for an empty log; guarded by writeMu
	nextNum      uint64               // the number prepareLoop gives the next segment
	stopPrep     chan struct{}        // closed by Close after the other loops are done
	prep         sync.WaitGroup       // prepareLoop

	truncateMu sync.Mutex // one TruncateFront at a time
}

// Open opens or creates the log in dir and recovers it: a torn tail is cut
// off, damage in the middle of the log is an ErrCorrupt error.
func Open(dir string, opts Options) (*WAL, error) {
	return open(dir, opts, openOSFile)
}

func open(dir string, opts Options, openFile openFileFunc) (*WAL, error) {
	if opts.Prealloc < PreallocZero || opts.Prealloc > PreallocNone {
		return nil, fmt.Errorf("wal: unknown Options.Prealloc %v", opts.Prealloc)
	}
	w := &WAL{dir: dir, openFile: openFile, opts: opts.withDefaults()}
	if err := w.makeDir(dir); err != nil {
		return nil, err
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	w.lock = lock
	if err := w.recover(); err != nil {
		w.closeSegments()
		lock.release()
		return nil, err
	}
	w.start()
	if w.active == nil {
		// An empty log: wait for its first segment here rather than in the
		// first Append, so the cost of preparing it shows up in Open.
		if err := w.awaitFirstSegment(); err != nil {
			w.Close()
			return nil, err
		}
	}
	return w, nil
}

// Append writes data as one entry and returns its index once it is durable.
func (w *WAL) Append(data []byte) (uint64, error) {
	return w.AppendBatch([][]byte{data})
}

// AppendBatch appends entries in order and returns the index of the first.
// The entries join the group being collected; the caller then waits until
// the sync that covers the group has returned. An empty batch writes nothing
// and returns the index the next entry gets.
func (w *WAL) AppendBatch(entries [][]byte) (uint64, error) {
	if err := checkSizes(entries); err != nil {
		return 0, err
	}
	inline := w.opts.MaxWait == 0 && w.cycleMu.TryLock()
	g, first, err := w.enqueue(entries, &inline)
	if inline {
		// Nobody is syncing: hand-offs to syncLoop and back would cost two
		// goroutine wake-ups, a fifth of an fsync. Run the cycle here.
		if g != nil {
			w.runCycle()
		}
		w.cycleMu.Unlock()
	}
	if err != nil || g == nil {
		return first, err
	}
	<-g.done
	if g.err != nil {
		return 0, g.err
	}
	return first, nil
}

// enqueue encodes entries into the pending group and returns that group and
// the index of the first entry. Indices and file offsets are handed out here,
// under the lock, because groups reach the file in the order they are taken.
// With *inline set, the caller holds cycleMu and will run the sync cycle
// itself; if others are already queued, enqueue gives cycleMu back and
// clears *inline, so the caller waits for syncLoop like everyone else.
func (w *WAL) enqueue(entries [][]byte, inline *bool) (*group, uint64, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if *inline && len(w.pending.offsets) > 0 {
		*inline = false
		w.cycleMu.Unlock()
	}
	need := encodedSize(entries)
	for w.usable() == nil && (w.pending.isFull(w.opts) || w.mustRotate(need) && len(w.pending.offsets) > 0) {
		w.room.Wait()
	}
	if err := w.usable(); err != nil {
		return nil, 0, err
	}
	first := w.nextIndex
	if len(entries) == 0 {
		return nil, first, nil
	}
	if w.mustRotate(need) {
		w.rotate()
	}
	g := w.pending
	if len(g.offsets) == 0 {
		if len(g.buf) == 0 { // not the first group of a segment: no header
			g.seg, g.writeOff = w.active, w.end
		}
		g.opened = time.Now()
		if !*inline {
			notify(w.work)
		}
	}
	// The index holds only entries a returned sync covered: every record
	// may say so (recover.go explains why recovery needs to know).
	durable := w.index.last()
	for i, data := range entries {
		g.offsets = append(g.offsets, w.end)
		before := len(g.buf)
		g.buf = appendRecord(g.buf, record{index: first + uint64(i), durable: durable, payload: data})
		w.end += int64(len(g.buf) - before)
	}
	g.seg, g.end = w.active, w.end
	w.nextIndex += uint64(len(entries))
	if len(g.buf) >= earlyWriteBytes {
		notify(w.early)
	}
	if g.isFull(w.opts) {
		notify(w.full)
	}
	return g, first, nil
}

// writeAt is a pwrite: syncLoop and flushLoop both write, each group at
// the offset enqueue gave it.
func (w *WAL) writeAt(seg *segment, b []byte, off int64) error {
	w.stats.writes.Add(1)
	n, err := seg.f.WriteAt(b, off)
	w.stats.bytes.Add(uint64(n))
	if err != nil {
		return fmt.Errorf("wal: write %s at offset %d: %w", seg.path, off, err)
	}
	return nil
}

// datasync is fdatasync(2): it makes the data durable, plus the metadata
// needed to read it back (the file size, if it grew), but skips the rest
// (the modification time). Writing into a preallocated, zero-filled segment
// changes no such metadata, so the journal has nothing to commit: that is
// the saving this stage is about.
func (w *WAL) datasync(seg *segment) error {
	w.stats.syncs.Add(1)
	if err := seg.f.Datasync(); err != nil {
		return fmt.Errorf("wal: fdatasync %s: %w", seg.path, err)
	}
	return nil
}

// fail makes the WAL fail-stop. After a failed fsync the kernel may have
// dropped the dirty pages and cleared the error, so a retried fsync can
// "succeed" without the data ever reaching the disk (PostgreSQL's
// fsyncgate, 2018). The only safe answer is to stop and let Open recover
// from what is really on disk.
func (w *WAL) fail(err error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failed == nil {
		w.failed = err
	}
	w.room.Broadcast() // appenders waiting for room must now give up
	return err
}

// failure returns the error that failed the WAL, if one did.
func (w *WAL) failure() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.usableAfterClose()
}

// usable reports why the WAL cannot take appends, if it cannot. Callers hold mu.
func (w *WAL) usable() error {
	if w.closed.Load() {
		return ErrClosed
	}
	return w.usableAfterClose()
}

// usableAfterClose is usable without the closed check: groups enqueued
// before Close are still written and synced. Callers hold mu.
func (w *WAL) usableAfterClose() error {
	if w.failed != nil {
		return fmt.Errorf("wal: failed earlier, reopen to recover: %w", w.failed)
	}
	return nil
}

func checkSizes(entries [][]byte) error {
	for i, data := range entries {
		if len(data) > MaxEntrySize {
			return fmt.Errorf("%w: entry %d of the batch is %d bytes, the limit is %d",
				ErrTooLarge, i, len(data), MaxEntrySize)
		}
	}
	return nil
}

// Stats returns the counters since Open.
func (w *WAL) Stats() Stats { return w.stats.snapshot() }

// Close stops new appends, lets the pipeline write and sync every group
// already enqueued (their appenders get success), then closes the file.
func (w *WAL) Close() error {
	w.mu.Lock()
	if w.closed.Swap(true) {
		w.mu.Unlock()
		return ErrClosed
	}
	w.room.Broadcast() // appenders waiting for room get ErrClosed
	w.mu.Unlock()
	close(w.closing)
	w.loops.Wait()
	w.cycleMu.Lock() // an appender may still be running its own cycle
	defer w.cycleMu.Unlock()
	close(w.stopPrep)
	w.prep.Wait()
	if w.firstSegment != nil { // prepared for an empty log that got no append
		w.firstSegment.f.Close()
	}
	err := w.closeSegments()
	if unlockErr := w.lock.release(); err == nil {
		err = unlockErr
	}
	return err
}

// closeSegments closes every segment file. Callers hold cycleMu or own w.
func (w *WAL) closeSegments() error {
	var first error
	segs := w.index.all()
	if w.active != nil && (len(segs) == 0 || segs[len(segs)-1] != w.active) {
		segs = append(segs, w.active)
	}
	for _, seg := range segs {
		if seg.f == nil {
			continue
		}
		if err := seg.f.Close(); err != nil && first == nil {
			first = fmt.Errorf("wal: close %s: %w", seg.path, err)
		}
	}
	return first
}
