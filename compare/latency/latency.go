// Package latency records append latencies the way the harness reports
// them: one HdrHistogram per goroutine (a histogram is not safe for
// concurrent use, and a shared one would serialize the writers being
// measured), merged at the end into p50, p99, p99.9 and max.
//
// It also runs the open-loop workload (wrk2's model): operations are
// scheduled at a fixed rate, and each latency is measured from when the
// operation was meant to start, not from when a free worker got to it. A
// closed loop, where each writer waits for its previous append, hides a
// stall: the writers simply stop asking, and the stall shows up as one slow
// sample instead of as every request that queued behind it ("coordinated
// omission").
package latency

import (
	"fmt"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// Range and precision of the histograms: 1 µs to 100 s, 3 significant
// digits (a 1,234 µs latency is stored as 1,234 µs, not 1,200).
const (
	lowest  = int64(time.Microsecond)
	highest = int64(100 * time.Second)
	digits  = 3
)

// recordBatch is how many latencies a Recorder holds before it adds them
// to its histogram. A histogram of this range and precision is 152 KiB, and
// 256 writers' histograms do not fit in a processor's cache: recorded one
// at a time, each latency cost a cache miss or two (13% of the CPU time of
// 256 writers on stage 5, more than the log's own enqueue). Added a batch
// at a time, the histogram's few hot lines are fetched once per batch.
const recordBatch = 1024

// Recorder collects the latencies of one goroutine.
type Recorder struct {
	h       *hdrhistogram.Histogram
	pending []int64 // recorded, not yet in h
}

func NewRecorder() *Recorder {
	return &Recorder{h: hdrhistogram.New(lowest, highest, digits), pending: make([]int64, 0, recordBatch)}
}

// Record adds one latency, clamped to the histogram's range.
func (r *Recorder) Record(d time.Duration) {
	r.pending = append(r.pending, min(max(int64(d), lowest), highest))
	if len(r.pending) == recordBatch {
		r.flush()
	}
}

// flush adds the pending latencies to the histogram. They are within its
// range, so RecordValue cannot fail.
func (r *Recorder) flush() {
	for _, v := range r.pending {
		r.h.RecordValue(v)
	}
	r.pending = r.pending[:0]
}

// Summary is the merged distribution.
type Summary struct {
	Count                int64
	Mean, P50, P99, P999 time.Duration
	Max                  time.Duration
}

func (s Summary) String() string {
	return fmt.Sprintf("n=%d p50=%v p99=%v p99.9=%v max=%v", s.Count, s.P50, s.P99, s.P999, s.Max)
}

// Merge combines recorders into one summary.
func Merge(recorders ...*Recorder) Summary {
	all := hdrhistogram.New(lowest, highest, digits)
	for _, r := range recorders {
		r.flush()
		all.Merge(r.h)
	}
	q := func(p float64) time.Duration { return time.Duration(all.ValueAtQuantile(p)) }
	return Summary{
		Count: all.TotalCount(),
		Mean:  time.Duration(all.Mean()),
		P50:   q(50),
		P99:   q(99),
		P999:  q(99.9),
		Max:   time.Duration(all.Max()),
	}
}
