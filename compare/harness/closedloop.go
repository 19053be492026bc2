package harness

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"walworkshop/compare/latency"
)

// ClosedLoop is the durable-writers workload: Writers goroutines, each
// appending one entry of Size bytes and waiting for it to be durable before
// the next. It is the load group commit is for: with N writers, at most N
// appends are ever in flight, and a log that shares one sync among them
// gets up to N times the throughput of one that syncs each.
type ClosedLoop struct {
	Writers int
	Size    int
	// The loop stops after Duration or, when Entries > 0, once Entries
	// appends have started (a benchmark's b.N), whichever comes first; a
	// zero Duration means no time limit. Every writer appends at least
	// once (up to Entries).
	Duration time.Duration
	Entries  int64
}

// Run measures the loop on log; cancelling ctx ends it early, with ctx's
// error. Its latencies are those of each Append, from call to return.
func (cl ClosedLoop) Run(ctx context.Context, log Log) (Result, error) {
	if cl.Writers < 1 || cl.Duration <= 0 && cl.Entries <= 0 {
		return Result{}, errors.New("harness: a closed loop needs writers >= 1 and a duration or a number of entries")
	}
	r, err := Measure(log, cl.Writers, func(rec []*latency.Recorder) (int64, error) {
		return cl.append(ctx, log, rec)
	})
	if err == nil {
		err = ctx.Err()
	}
	return r, err
}

func (cl ClosedLoop) append(ctx context.Context, log Log, rec []*latency.Recorder) (int64, error) {
	var stop atomic.Bool
	if cl.Duration > 0 {
		timer := time.AfterFunc(cl.Duration, func() { stop.Store(true) })
		defer timer.Stop()
	}
	defer context.AfterFunc(ctx, func() { stop.Store(true) })()

	var started, done atomic.Int64
	var firstErr error
	var once sync.Once
	var wg sync.WaitGroup
	for g := range cl.Writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			data := make([]byte, cl.Size)
			// Latencies are read off the monotonic clock alone, as offsets
			// from base: time.Now also reads the wall clock, a third clock
			// read per append that the log would be charged for.
			base := time.Now()
			// The first append is not checked against the clock: on a
			// loaded machine a writer may only get to run once the time is
			// up, and a cell with no entries measures nothing.
			for i := 0; i == 0 || !stop.Load(); i++ {
				if cl.Entries > 0 && started.Add(1) > cl.Entries {
					return
				}
				start := time.Since(base)
				if _, err := log.Append(data); err != nil {
					once.Do(func() { firstErr = err })
					stop.Store(true) // one failure ends the cell for everyone
					return
				}
				rec[g].Record(time.Since(base) - start)
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	return done.Load(), firstErr
}
