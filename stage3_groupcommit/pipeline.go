package groupcommit

import "time"

// The pipeline: two goroutines, each owning one kind of I/O.
//
//	appenders ──enqueue──▶ pending group ──flushLoop: write(2)──▶ written ──syncLoop: fsync──▶ done
//
// flushLoop writes group k+1 while syncLoop is still in the fsync of group
// k, so the next write never waits for the disk (BookKeeper's JournalThread
// and ForceWriteThread). syncLoop takes every group written so far and
// covers them all with one fsync.
//
// Why no appender is acknowledged early: a group reaches syncLoop only
// after its write(2) returned, so the fsync that syncLoop starts afterwards
// covers all of its bytes; the group's waiters are released only when that
// fsync has returned success. Groups are written, synced and published to
// the index in file order, so a later entry is never durable-and-visible
// before an earlier one.

func (w *WAL) start() {
	w.pending = newGroup(nil)
	w.room.L = &w.mu
	w.work = make(chan struct{}, 1)
	w.full = make(chan struct{}, 1)
	w.closing = make(chan struct{})
	w.written = make(chan *group, 1024)
	w.syncDone = make(chan struct{})
	go w.flushLoop()
	go w.syncLoop()
}

// flushLoop takes the pending group, writes it and hands it to syncLoop.
// After a failure it stops writing but still hands groups on, so that their
// waiters hear the error.
func (w *WAL) flushLoop() {
	defer close(w.written)
	var spare []byte
	for {
		g := w.takeGroup(spare)
		if g == nil {
			return
		}
		if err := w.failure(); err != nil {
			g.err = err
		} else if err := w.write(g.buf); err != nil {
			g.err = w.fail(err)
		}
		spare, g.buf = g.buf, nil
		w.written <- g
	}
}

// takeGroup waits until the pending group has entries (and, with MaxWait,
// until it fills up or has waited long enough), then swaps in an empty group
// built on spare. It returns nil once Close was called and nothing is left.
func (w *WAL) takeGroup(spare []byte) *group {
	for {
		w.mu.Lock()
		g := w.pending
		if len(g.offsets) > 0 {
			w.mu.Unlock()
			w.holdOpen(g)
			w.mu.Lock()
			w.pending = newGroup(spare)
			w.room.Broadcast()
			w.mu.Unlock()
			return g
		}
		w.mu.Unlock()
		select {
		case <-w.work:
		case <-w.closing:
			w.mu.Lock()
			empty := len(w.pending.offsets) == 0
			w.mu.Unlock()
			if empty {
				return nil
			}
		}
	}
}

// holdOpen waits, up to Options.MaxWait after its first entry joined, for g
// to fill up. With the default MaxWait of zero it returns at once.
func (w *WAL) holdOpen(g *group) {
	if w.opts.MaxWait <= 0 {
		return
	}
	w.mu.Lock()
	full, opened := g.isFull(w.opts), g.opened
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

// syncLoop makes written groups durable: one fsync for every group written
// since the last one, then it releases their waiters.
func (w *WAL) syncLoop() {
	defer close(w.syncDone)
	var batch []*group
	for g := range w.written {
		batch = append(batch[:0], g)
		batch = drain(w.written, batch)
		err := w.failure()
		if err == nil && batch[len(batch)-1].err == nil {
			if err = w.sync(); err != nil {
				err = w.fail(err)
			}
		}
		for _, g := range batch {
			w.complete(g, err)
		}
	}
}

// drain appends to batch every group already waiting on c, without blocking.
func drain(c <-chan *group, batch []*group) []*group {
	for {
		select {
		case g, ok := <-c:
			if !ok {
				return batch
			}
			batch = append(batch, g)
		default:
			return batch
		}
	}
}

// complete publishes a durable group to the index and releases its waiters,
// or fails them.
func (w *WAL) complete(g *group, err error) {
	if g.err == nil && err != nil {
		g.err = err
	}
	if g.err == nil {
		w.index.add(g.offsets, g.end)
		w.stats.entries.Add(uint64(len(g.offsets)))
	}
	close(g.done)
}
