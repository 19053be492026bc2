package prealloc

import (
	"runtime"
	"time"
)

// Three refinements of the group commit in pipeline.go, each measured (see
// the README). None changes what is durable when; they only save
// hand-offs, fsyncs or time:
//
//   - An idle pipeline is run by the appender itself (enqueueOrRunCycle):
//     handing off to syncLoop and back costs two goroutine wake-ups, a
//     fifth of an fsync on a virtual machine. So a lone writer makes the
//     syscalls of stage 2 and no hand-off, and the pipeline only engages
//     when there is someone to share with (RocksDB's write leader,
//     PostgreSQL's XLogFlush do the same).
//   - After releasing a group, syncLoop yields (letReleasedRejoin) so the
//     released appenders join the next group before its fsync starts.
//   - earlyWriteLoop writes group k+1 while the fsync of group k is
//     running, once the pending group is large (earlyWriteBytes): copying a
//     few KiB into the page cache takes microseconds and is not worth a
//     hand-off, copying megabytes is worth overlapping with the disk. The
//     cycle that syncs such a group receives it over earlyWritten after its
//     write returned, so its fsync still covers the group's bytes.

// earlyWriteBytes is how large the pending group must grow before
// earlyWriteLoop writes it while syncLoop is busy.
const earlyWriteBytes = 64 << 10

// rejoinPatience is how long letReleasedRejoin waits for the next
// released appender to come back before it starts the next cycle without
// the rest. A woken appender is back within a few microseconds of CPU; one
// that has not come back in this long is busy elsewhere, and the fsync
// should not wait for it.
const rejoinPatience = 20 * time.Microsecond

// enqueueOrRunCycle adds entries to the pending group (enqueueLocked) and,
// if nobody is syncing and nothing else is pending, runs the sync cycle
// itself instead of waking syncLoop. It returns the group to wait for.
func (w *WAL) enqueueOrRunCycle(entries [][]byte) (*group, uint64, error) {
	runHere := w.opts.MaxWait == 0 && w.cycleMu.TryLock()
	w.mu.Lock()
	if runHere && len(w.pending.offsets) > 0 {
		// Others are queued already: syncLoop has been woken for them, and
		// this appender waits with them.
		runHere = false
		w.cycleMu.Unlock()
	}
	g, first, err := w.enqueueLocked(entries, !runHere)
	w.mu.Unlock()
	if runHere {
		if g != nil {
			w.runCycle()
		}
		w.cycleMu.Unlock()
	}
	return g, first, err
}

// letReleasedRejoin yields the processor to the appenders the last cycle
// released until they are all back, or until they stop coming back.
// Without this, syncLoop starts the next write and fsync before they are
// back: the writers split into two cohorts that take turns, each waiting
// for two fsyncs. Yielding merges the cohorts, so one fsync covers nearly
// every writer.
//
// Three details matter, each found in a profile at 256 and 1,024 writers:
//   - Appenders are counted as they arrive (w.arrivals), not as they sit in
//     the pending group, which earlyWriteLoop may take meanwhile.
//   - The count is read without mu: with hundreds of appenders queued for
//     mu, syncLoop would queue behind them.
//   - "Stopped coming back" is measured in time, not in yields: while the
//     other processor still runs released appenders, this one can yield and
//     find nobody new several times in a row. Stopping at the first such
//     yield left about 110 of 256 writers out of every group.
//
// Each arrival restarts the patience, and at most released of them are
// awaited, so the wait is bounded.
func (w *WAL) letReleasedRejoin(released int) {
	last, lastChange := -1, time.Now()
	for {
		back := int(w.arrivals.Load() - w.arrivalsAtRelease)
		if back >= released {
			return
		}
		now := time.Now()
		if back != last {
			last, lastChange = back, now
		} else if now.Sub(lastChange) > rejoinPatience {
			return
		}
		runtime.Gosched()
	}
}

// earlyWriteLoop writes the pending group early when it is big, so that its
// copy into the page cache overlaps with syncLoop's fsync. It never syncs:
// the next cycle's fsync covers what it wrote.
func (w *WAL) earlyWriteLoop() {
	defer w.loops.Done()
	defer close(w.earlyWritten)
	var spare []byte
	for {
		select {
		case <-w.big:
		case <-w.closing:
			return
		}
		if g := w.takeBigAndWrite(spare); g != nil {
			spare, g.buf = g.buf, nil
			w.earlyWritten <- g
		}
	}
}

// takeBigAndWrite is takeAndWrite for earlyWriteLoop: it takes the pending
// group only if it is still big (syncLoop may have taken it meanwhile).
func (w *WAL) takeBigAndWrite(spare []byte) *group {
	w.writeMu.Lock()
	defer w.writeMu.Unlock()
	w.mu.Lock()
	var g *group
	if len(w.pending.buf) >= earlyWriteBytes {
		g = w.takePending(spare)
		w.earlyTaken++
	}
	w.mu.Unlock()
	if g != nil {
		w.writeGroup(g)
	}
	return g
}

// receiveEarlyWritten appends to batch the groups earlyWriteLoop has
// written and the cycles have not yet received, up to earlyTaken in all.
// They come before the pending group in the file. Callers hold cycleMu.
func (w *WAL) receiveEarlyWritten(batch []*group, earlyTaken int) []*group {
	for ; w.earlyReceived < earlyTaken; w.earlyReceived++ {
		batch = append(batch, <-w.earlyWritten)
	}
	return batch
}
