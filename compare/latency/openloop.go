package latency

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// OpenLoop calls op rate times per second for duration, from workers
// goroutines, and measures each call from its scheduled start. When op
// stalls and every worker is busy, the schedule does not wait: later calls
// start late and their latency includes the wait, as it would for clients
// that keep arriving. workers bounds the calls in flight; make it large
// enough for rate x latency (Little's law) or the loop measures its own
// queue. It returns the summary and the first error op returned.
func OpenLoop(rate float64, duration time.Duration, workers int, op func() error) (Summary, error) {
	if workers < 1 {
		return Summary{}, fmt.Errorf("latency: open loop needs workers >= 1, not %d", workers)
	}
	recorders := make([]*Recorder, workers)
	for w := range recorders {
		recorders[w] = NewRecorder()
	}
	err := OpenLoopInto(rate, duration, recorders, op)
	return Merge(recorders...), err
}

// OpenLoopInto is OpenLoop with one worker per recorder, each recording
// into its own.
func OpenLoopInto(rate float64, duration time.Duration, recorders []*Recorder, op func() error) error {
	workers := len(recorders)
	if rate <= 0 || duration <= 0 || workers < 1 {
		return fmt.Errorf("latency: open loop needs rate > 0, duration > 0 and workers >= 1 (got %v, %v, %d)", rate, duration, workers)
	}
	interval := time.Duration(float64(time.Second) / rate)
	total := int64(duration / interval)
	start := time.Now()
	var next atomic.Int64
	var firstErr error
	var errOnce sync.Once
	var wg sync.WaitGroup
	for w := range recorders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= total {
					return
				}
				scheduled := start.Add(time.Duration(i) * interval)
				if wait := time.Until(scheduled); wait > 0 {
					time.Sleep(wait)
				}
				if err := op(); err != nil {
					errOnce.Do(func() { firstErr = err })
				}
				recorders[w].Record(time.Since(scheduled))
			}
		}()
	}
	wg.Wait()
	return firstErr
}
