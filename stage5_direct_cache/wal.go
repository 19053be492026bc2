package directcache

import (
	"fmt"
	"log"
	"sync"
	"sync/atomic"
	"time"
)

// maxRetainedBuffer caps the encode buffer kept between appends.
const maxRetainedBuffer = 1 << 20

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

	// CacheBytes is the read cache's budget: it never holds more page data.
	// Default: half a segment (32 MiB with the default segments), a bounded
	// share of the log like smf's. Negative: no cache, every Read goes to
	// the disk.
	CacheBytes int64
	// Cache is the read cache's replacement policy. Default CLOCK-Pro; LRU
	// is there to compare against.
	Cache CachePolicy
	// BufferedIO uses the page cache even where O_DIRECT works: the path
	// taken on filesystems that refuse O_DIRECT, kept to measure and test.
	BufferedIO bool
	// GroupSync is how a group is made durable: write + fdatasync, or one
	// write with RWF_DSYNC (groupsync.go). Default GroupSyncAuto: RWF_DSYNC
	// where the device advertises FUA.
	GroupSync GroupSync
	// Logf receives the one line Open writes when the filesystem refuses
	// O_DIRECT. Default log.Printf.
	Logf func(format string, args ...any)
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
	if o.CacheBytes == 0 {
		o.CacheBytes = o.SegmentSize / 2
	}
	if o.Logf == nil {
		o.Logf = log.Printf
	}
	return o
}

// WAL is a write-ahead log in a directory of segment files. All methods are
// safe for concurrent use. Its fields are grouped by the lock that guards
// them; pipeline.go gives the order in which the locks are taken.
type WAL struct {
	// Set by Open, read-only afterwards.
	lock     *dirLock // the log is ours while we hold it
	dir      string
	openFile openFileFunc
	opts     Options
	nextNum  uint64 // the number of the first segment the preparer makes

	// Also set by Open: how the segment files are written (direct.go), and
	// the read cache (pages.go).
	direct bool       // the segment files are opened with O_DIRECT
	dsync  bool       // groups are written with RWF_DSYNC, and not fdatasynced (groupsync.go)
	block  int64      // every write starts and ends on a multiple of this
	cache  *pageCache // pages Read has read; nil when Options.CacheBytes < 0

	index  index       // the durable entries, behind its own lock (index.go)
	stats  counters    // atomic counters
	closed atomic.Bool // set once, by Close
	// arrivals counts the appenders that have joined a group, for
	// letReleasedRejoin (refinements.go), which reads it without taking mu.
	arrivals atomic.Uint64

	// mu guards the pending group and what enqueue hands out.
	mu         sync.Mutex
	room       sync.Cond // signalled when the pending group is taken or the WAL stops; uses mu
	pending    *group    // the group being collected
	nextIndex  uint64    // index the next enqueued entry gets
	active     *segment  // the segment enqueue fills
	end        int64     // where the next enqueued record goes in it
	earlyTaken int       // groups earlyWriteLoop has taken (refinements.go)
	failed     error     // why the WAL stopped (fail-stop), as appenders see it; nil while it works

	// writeMu is held from taking a group to the end of its write, so that
	// groups reach the file in the order they were taken, and segments are
	// taken from the preparer in order.
	writeMu sync.Mutex

	// cycleMu is the right to run a sync cycle (runCycle): syncLoop's, or
	// an appender's that found the pipeline idle. It guards the fields below.
	cycleMu           sync.Mutex
	batch             []*group // the groups of the current cycle
	spare             []byte   // a written group's buffer, for the next group
	earlyReceived     int      // groups received from earlyWriteLoop
	arrivalsAtRelease uint64   // w.arrivals when the last cycle released its waiters

	// Wake-ups and hand-offs between the goroutines; made by start.
	work         chan struct{}  // the pending group has entries (capacity 1)
	big          chan struct{}  // the pending group is big enough to write early (capacity 1)
	full         chan struct{}  // the pending group is full (capacity 1)
	closing      chan struct{}  // closed by Close: sync what is left, then stop
	earlyWritten chan *group    // groups earlyWriteLoop wrote, in file order
	loops        sync.WaitGroup // syncLoop and earlyWriteLoop

	prep *segmentPreparer // prepares the next segment file in the background (prepare.go)

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
	if opts.Cache < CacheCLOCKPro || opts.Cache > CacheLRU {
		return nil, fmt.Errorf("wal: unknown Options.Cache %v", opts.Cache)
	}
	if opts.GroupSync < GroupSyncAuto || opts.GroupSync > GroupSyncDsync {
		return nil, fmt.Errorf("wal: unknown Options.GroupSync %v", opts.GroupSync)
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
	if err := w.probeDirectIO(); err != nil {
		lock.release()
		return nil, err
	}
	if err := w.chooseGroupSync(); err != nil {
		lock.release()
		return nil, err
	}
	w.opts.SegmentSize = roundUp(w.opts.SegmentSize, w.block)
	w.cache = newPageCache(w.opts.CacheBytes, pageSize, w.opts.Cache)
	if err := w.recover(); err != nil {
		w.closeSegments()
		lock.release()
		return nil, err
	}
	w.start()
	if w.active == nil {
		// An empty log: wait for its first segment here rather than in the
		// first Append, so the cost of preparing it shows up in Open.
		if err := w.prep.holdFirst(); err != nil {
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
	g, first, err := w.enqueueOrRunCycle(entries) // refinements.go
	if err != nil || g == nil {
		return first, err
	}
	<-g.done
	if g.err != nil {
		return 0, g.err
	}
	return first, nil
}

// enqueueLocked encodes entries into the pending group and returns that
// group and the index of the first entry. Indices and file offsets are
// handed out here, under the lock, because groups reach the file in the
// order they are taken. wakeSyncLoop is false when the caller will run the
// sync cycle itself. Callers hold mu; it waits on room while the group is
// full, or must move to a new segment but still holds entries.
func (w *WAL) enqueueLocked(entries [][]byte, wakeSyncLoop bool) (*group, uint64, error) {
	need := encodedSize(entries)
	for w.appendErr() == nil && (w.pending.isFull(w.opts) || w.mustRotate(need) && len(w.pending.offsets) > 0) {
		w.room.Wait()
	}
	if err := w.appendErr(); err != nil {
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
	g.reserve(int(need + w.maxPadding())) // appends below must not move buf
	if len(g.offsets) == 0 {
		if len(g.buf) == 0 { // not the first group of a segment: no header
			g.seg, g.writeOff = w.active, w.end
		}
		g.opened = time.Now()
		if wakeSyncLoop {
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
	g.waiters++
	w.arrivals.Add(1)
	w.nextIndex += uint64(len(entries))
	if len(g.buf) >= earlyWriteBytes {
		notify(w.big)
	}
	if g.isFull(w.opts) {
		notify(w.full)
	}
	return g, first, nil
}

// writeAt is a pwrite: syncLoop and earlyWriteLoop both write, each group
// at the offset enqueue gave it.
func (w *WAL) writeAt(seg *segment, b []byte, off int64) error {
	w.stats.writes.Add(1)
	n, err := seg.f.WriteAt(b, off)
	w.stats.bytes.Add(uint64(n))
	if err != nil {
		return fmt.Errorf("wal: write %s at offset %d: %w", seg.path, off, err)
	}
	return nil
}

// fail makes the WAL fail-stop and returns err. After a failed fsync the
// kernel may have dropped the dirty pages and cleared the error, so a
// retried fsync can "succeed" without the data ever reaching the disk
// (PostgreSQL's fsyncgate, 2018). The only safe answer is to stop and let
// Open recover from what is really on disk. The first failure is the one
// kept.
func (w *WAL) fail(err error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.failed == nil {
		w.failed = fmt.Errorf("wal: failed earlier, reopen to recover: %w", err)
	}
	w.room.Broadcast() // appenders waiting for room must now give up
	return err
}

// failedErr is the error that stopped the WAL, nil while it works. The
// pipeline checks it, not Close: groups enqueued before Close are still
// written and synced.
func (w *WAL) failedErr() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.failed
}

// appendErr is why the WAL refuses new entries, nil if it takes them.
// Callers hold mu.
func (w *WAL) appendErr() error {
	if w.closed.Load() {
		return ErrClosed
	}
	return w.failed
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
func (w *WAL) Stats() Stats {
	s := w.stats.snapshot()
	s.DirectIO, s.Alignment, s.CacheBytes = w.direct, uint64(w.block), uint64(w.cache.heldBytes())
	s.DsyncWrites = w.dsync
	return s
}

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
	w.prep.stop()
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
