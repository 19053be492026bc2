package directcache

import (
	"runtime"
	"time"
)

// The pipeline: appenders only encode and wait; a sync cycle does the I/O.
//
//	appenders ──enqueue──▶ pending group ──runCycle: write, fsync──▶ release the group's waiters
//	                            │
//	                            └─(big)─ flushLoop: write early ─▶ the next cycle's fsync
//
// A sync cycle (runCycle) takes every entry pending, writes it and covers it
// with one fsync. syncLoop, the dedicated sync goroutine (BookKeeper's
// ForceWriteThread, pebble's LogWriter flushLoop), runs one cycle after
// another. While its fsync runs, the next group collects the appenders that
// arrive meanwhile, so with N waiting writers one fsync makes many entries
// durable instead of one.
//
// Three refinements, each measured (see the README):
//
//   - An appender that finds nobody syncing runs the cycle itself (cycleMu):
//     handing off to syncLoop and back costs two goroutine wake-ups, a fifth
//     of an fsync on a virtual machine. So a lone writer is as fast as in
//     stage 2, and the pipeline only engages when there is someone to share
//     with (RocksDB's write leader, PostgreSQL's XLogFlush do the same).
//   - After releasing a group, syncLoop yields (letReleasedRejoin) so the
//     released appenders join the next group before its fsync starts.
//   - flushLoop writes group k+1 while the fsync of group k is running, once
//     the pending group is large (earlyWriteBytes): copying a few KiB into
//     the page cache takes microseconds and is not worth a hand-off, copying
//     megabytes is worth overlapping with the disk.
//
// Why no appender is acknowledged early: a cycle starts its fsync only after
// the writes of every group it covers have returned (its own write, and
// flushLoop's writes, received over a channel after they completed), and a
// group's waiters are released only when that fsync has returned success.
// Writes happen in the order groups are taken (writeMu), so the file never
// holds a later group without the earlier ones, and groups are published to
// the index in file order.

// earlyWriteBytes is how large the pending group must grow before flushLoop
// writes it while syncLoop is busy.
const earlyWriteBytes = 64 << 10

// maxRejoinYields bounds letReleasedRejoin, so that a steady stream of new
// appenders cannot hold the next fsync back for long.
const maxRejoinYields = 16

func (w *WAL) start() {
	w.pending = newGroup(nil)
	w.room.L = &w.mu
	w.work = make(chan struct{}, 1)
	w.early = make(chan struct{}, 1)
	w.full = make(chan struct{}, 1)
	w.closing = make(chan struct{})
	w.written = make(chan *group, 64)
	w.prepared = make(chan preparedSegment)
	w.stopPrep = make(chan struct{})
	w.loops.Add(2)
	go w.syncLoop()
	go w.flushLoop()
	w.prep.Add(1)
	go w.prepareLoop()
}

// syncLoop makes groups durable, one sync cycle at a time.
func (w *WAL) syncLoop() {
	defer w.loops.Done()
	for w.waitForWork() {
		w.cycleMu.Lock()
		if w.runCycle() {
			w.letReleasedRejoin()
		}
		w.cycleMu.Unlock()
	}
}

// runCycle is one sync cycle: write the pending group, add the groups
// flushLoop wrote early, fsync once, release the waiters. Callers hold
// cycleMu: syncLoop, or an appender that found the pipeline idle. It
// reports whether there was anything to sync.
func (w *WAL) runCycle() bool {
	g, flushed := w.takeAndWrite(w.spare)
	batch := w.batch[:0]
	for ; w.received < flushed; w.received++ {
		batch = append(batch, <-w.written) // written before g: earlier in the file
	}
	if g != nil {
		w.spare, g.buf = g.buf, nil
		batch = append(batch, g)
	}
	w.batch = batch
	if len(batch) == 0 {
		return false // flushLoop took the pending group, and an earlier cycle synced it
	}
	err := w.failure()
	if err == nil {
		err = w.syncSegments(batch)
	}
	for _, g := range batch {
		w.complete(g, err)
	}
	return true
}

// syncSegments fdatasyncs each segment the batch wrote to, oldest first: a
// batch spans two segments when it crosses a rotation.
func (w *WAL) syncSegments(batch []*group) error {
	var last *segment
	for _, g := range batch {
		if g.seg == last {
			continue
		}
		last = g.seg
		if err := w.datasync(g.seg); err != nil {
			return w.fail(err)
		}
	}
	return nil
}

// letReleasedRejoin yields the processor to the appenders the last fsync
// released, for as long as they keep joining the pending group. Without
// this, syncLoop starts the next write and fsync before they are back: the
// writers split into two cohorts that take turns, each waiting for two
// fsyncs. Yielding merges the cohorts, so one fsync covers nearly every
// writer. It needs no timer: with nobody else to run, Gosched returns at once.
func (w *WAL) letReleasedRejoin() {
	last := -1
	for range maxRejoinYields {
		w.mu.Lock()
		n := len(w.pending.offsets)
		w.mu.Unlock()
		if n == last {
			return
		}
		last = n
		runtime.Gosched()
	}
}

// waitForWork waits until there are pending entries or groups flushLoop
// took and syncLoop has not received. It returns false once the WAL is
// closed and everything enqueued before Close is durable (or failed).
func (w *WAL) waitForWork() bool {
	for {
		w.mu.Lock()
		pending, flushed, closed := len(w.pending.offsets), w.flushed, w.closed.Load()
		w.mu.Unlock()
		if pending > 0 {
			w.holdOpen()
			return true
		}
		w.cycleMu.Lock()
		unsynced := flushed > w.received
		w.cycleMu.Unlock()
		if unsynced {
			return true
		}
		if closed {
			return false // nothing pending, and nothing new can arrive
		}
		select {
		case <-w.work:
		case <-w.closing:
		}
	}
}

// flushLoop writes the pending group early when it is big, so that its
// copy into the page cache overlaps with syncLoop's fsync.
func (w *WAL) flushLoop() {
	defer w.loops.Done()
	defer close(w.written)
	var spare []byte
	for {
		select {
		case <-w.early:
		case <-w.closing:
			return
		}
		if g := w.takeBigAndWrite(spare); g != nil {
			spare, g.buf = g.buf, nil
			w.written <- g
		}
	}
}

// takeAndWrite takes the pending group, if it has entries, and writes it.
// It also returns how many groups flushLoop has taken: those come before
// this one in the file.
func (w *WAL) takeAndWrite(spare []byte) (*group, int) {
	w.writeMu.Lock()
	defer w.writeMu.Unlock()
	w.mu.Lock()
	g := w.takePending(spare)
	flushed := w.flushed
	w.mu.Unlock()
	if g != nil {
		w.writeGroup(g)
	}
	return g, flushed
}

// takeBigAndWrite is takeAndWrite for flushLoop: it takes the pending group
// only if it is still big (syncLoop may have taken it meanwhile).
func (w *WAL) takeBigAndWrite(spare []byte) *group {
	w.writeMu.Lock()
	defer w.writeMu.Unlock()
	w.mu.Lock()
	var g *group
	if len(w.pending.buf) >= earlyWriteBytes {
		g = w.takePending(spare)
		w.flushed++
	}
	w.mu.Unlock()
	if g != nil {
		w.writeGroup(g)
	}
	return g
}

// takePending swaps in an empty group built on spare and returns the
// pending one, or nil if it is empty. Callers hold mu.
func (w *WAL) takePending(spare []byte) *group {
	g := w.pending
	if len(g.offsets) == 0 {
		return nil
	}
	w.padToBlock(g)
	w.pending = newGroup(spare)
	w.room.Broadcast()
	return g
}

// padToBlock ends g on a block boundary with a padding record. O_DIRECT
// writes whole blocks, and the next group then starts on a fresh block: no
// write ever covers a byte of an earlier group, so a torn write can only
// damage the unacknowledged group it belongs to (BookKeeper's journal pads
// the same way). The cost is the padding: up to a block per group, small
// next to the fsync. Callers hold mu.
func (w *WAL) padToBlock(g *group) {
	pad := paddingAfter(w.end, w.block)
	if pad == 0 {
		return
	}
	g.buf = appendPadding(g.buf, int(pad))
	w.end += pad
	g.end = w.end
	w.stats.padding.Add(uint64(pad))
}

// writeGroup writes g at its place in the file, unless the WAL has failed:
// after a failure nothing more is written, but the group still goes on to
// syncLoop so that its waiters hear the error.
func (w *WAL) writeGroup(g *group) {
	if err := w.failure(); err != nil {
		g.err = err
		return
	}
	if g.seg.f == nil {
		if err := w.activate(g.seg); err != nil {
			g.err = w.fail(err)
			return
		}
	}
	if err := w.writeAt(g.seg, g.buf, g.writeOff); err != nil {
		g.err = w.fail(err)
	}
}

// holdOpen waits, up to Options.MaxWait after its first entry joined, for
// the pending group to fill up. With the default MaxWait of zero it returns
// at once. Go's timers are coarse: waits under a millisecond may sleep
// longer than asked.
func (w *WAL) holdOpen() {
	if w.opts.MaxWait <= 0 {
		return
	}
	w.mu.Lock()
	full, opened := w.pending.isFull(w.opts), w.pending.opened
	w.mu.Unlock()
	wait := time.Until(opened.Add(w.opts.MaxWait))
	if full || wait <= 0 {
		return
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-w.full:
	case <-w.closing:
	}
}

// complete publishes a durable group to the index and releases its waiters,
// or fails them.
func (w *WAL) complete(g *group, err error) {
	if g.err == nil && err != nil {
		g.err = err
	}
	if g.err == nil {
		w.index.add(g.seg, g.offsets, g.end)
		w.stats.entries.Add(uint64(len(g.offsets)))
	}
	close(g.done)
}
