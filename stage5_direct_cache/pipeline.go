package directcache

import "time"

// The pipeline: appenders only encode and wait; a sync cycle does the I/O.
//
//	appenders ──enqueue──▶ pending group ──runCycle: write, fsync──▶ release the group's waiters
//
// A sync cycle (runCycle) takes every entry pending, writes it and covers it
// with one fsync. syncLoop, the dedicated sync goroutine (BookKeeper's
// ForceWriteThread, pebble's LogWriter flushLoop), runs one cycle after
// another. While its fsync runs, the next group collects the appenders that
// arrive meanwhile, so with N waiting writers one fsync makes many entries
// durable instead of one. That is all of group commit; refinements.go adds
// three measured refinements on top.
//
// Why no appender is acknowledged early: a cycle starts its fsync only after
// the writes of every group it covers have returned, and a group's waiters
// are released only when that fsync has returned success. Writes happen in
// the order groups are taken (writeMu), so the file never holds a later
// group without the earlier ones, and groups are published to the index in
// file order.
//
// # Locks
//
// Taken in this order, never the other way round (a goroutine holding one
// may take those below it):
//
//	truncateMu  one TruncateFront at a time; it then takes only index.mu
//	cycleMu     the right to run a sync cycle; held across its write and fsync
//	writeMu     from taking a group to the end of its write: writes in order,
//	            segments taken from the preparer in order
//	mu          the pending group, and the indices and offsets enqueue hands out
//	index.mu    the durable entries, for readers (index.go)
//	cache.mu    the read cache (cache.go); Read takes it holding no other lock
//
// Appenders only TryLock cycleMu, so none waits behind an fsync for it. The
// preparer (prepare.go) holds no lock while it works; it takes mu only to
// check whether the WAL failed.

func (w *WAL) start() {
	w.pending = newGroup(nil)
	w.room.L = &w.mu
	w.work = make(chan struct{}, 1)
	w.big = make(chan struct{}, 1)
	w.full = make(chan struct{}, 1)
	w.closing = make(chan struct{})
	w.earlyWritten = make(chan *group, 64)
	w.loops.Add(2)
	go w.syncLoop()
	go w.earlyWriteLoop()
	w.prep = w.newSegmentPreparer()
	w.prep.start(w.nextNum)
}

// syncLoop makes groups durable, one sync cycle at a time.
func (w *WAL) syncLoop() {
	defer w.loops.Done()
	for w.waitForWork() {
		w.cycleMu.Lock()
		if released := w.runCycle(); released > 0 {
			w.letReleasedRejoin(released)
		}
		w.cycleMu.Unlock()
	}
}

// runCycle is one sync cycle: write the pending group, add the groups
// earlyWriteLoop wrote before it, fsync once, release the waiters. Callers
// hold cycleMu: syncLoop, or an appender that found the pipeline idle. It
// returns how many appenders it released: 0 if there was nothing to sync.
func (w *WAL) runCycle() (released int) {
	g, earlyTaken := w.takeAndWrite(w.spare)
	batch := w.receiveEarlyWritten(w.batch[:0], earlyTaken) // earlier in the file than g
	if g != nil {
		w.spare, g.buf = g.buf, nil
		batch = append(batch, g)
	}
	w.batch = batch
	if len(batch) == 0 {
		return 0 // earlyWriteLoop took the pending group, and an earlier cycle synced it
	}
	err := w.failedErr()
	if err == nil {
		err = w.syncSegments(batch)
	}
	w.arrivalsAtRelease = w.arrivals.Load()
	for _, g := range batch {
		w.complete(g, err)
		released += g.waiters
	}
	return released
}

// syncSegments fdatasyncs each segment the batch wrote to, oldest first: a
// batch spans two segments when it crosses a rotation. Groups written with
// RWF_DSYNC were durable when their write returned, and need none.
func (w *WAL) syncSegments(batch []*group) error {
	if w.dsync {
		return nil
	}
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

// waitForWork waits until there are pending entries or groups earlyWriteLoop
// took and syncLoop has not received. It returns false once the WAL is
// closed and everything enqueued before Close is durable (or failed).
func (w *WAL) waitForWork() bool {
	for {
		w.mu.Lock()
		pending, earlyTaken, closed := len(w.pending.offsets), w.earlyTaken, w.closed.Load()
		w.mu.Unlock()
		if pending > 0 {
			w.holdOpen()
			return true
		}
		w.cycleMu.Lock()
		unsynced := earlyTaken > w.earlyReceived
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

// takeAndWrite takes the pending group, if it has entries, and writes it.
// It also returns how many groups earlyWriteLoop has taken: those come
// before this one in the file.
func (w *WAL) takeAndWrite(spare []byte) (*group, int) {
	w.writeMu.Lock()
	defer w.writeMu.Unlock()
	w.mu.Lock()
	g := w.takePending(spare)
	earlyTaken := w.earlyTaken
	w.mu.Unlock()
	if g != nil {
		w.writeGroup(g)
	}
	return g, earlyTaken
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

// writeGroup writes g at its place in the file, unless the WAL has failed:
// after a failure nothing more is written, but the group still goes on to
// its sync cycle so that its waiters hear the error.
func (w *WAL) writeGroup(g *group) {
	if err := w.failedErr(); err != nil {
		g.err = err
		return
	}
	if g.seg.f == nil {
		if err := w.activate(g.seg); err != nil {
			g.err = w.fail(err)
			return
		}
	}
	write := w.writeAt
	if w.dsync {
		write = w.writeDsyncAt // durable on return: syncSegments skips it (groupsync.go)
	}
	if err := write(g.seg, g.buf, g.writeOff); err != nil {
		g.err = w.fail(err)
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
