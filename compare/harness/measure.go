package harness

import (
	"fmt"
	"time"

	"walworkshop/compare/latency"
)

// Settle is the pause Warmup makes after its append.
const Settle = 500 * time.Millisecond

// Warmup is how every cell starts: one append of size bytes, then a pause
// of settle. A stage that prepares its next segment in the background
// (stage 4 on) starts doing so at the first append, and a cell of a second
// or two would otherwise charge a whole segment's preparation to a fraction
// of its appends; pebble preallocates its log at its first write. Rotations
// inside a cell are still measured. Tests pass a settle of 0.
func Warmup(log Log, size int, settle time.Duration) error {
	if _, err := log.Append(make([]byte, size)); err != nil {
		return fmt.Errorf("warm-up append: %w", err)
	}
	time.Sleep(settle)
	return nil
}

// Result is what Measure measured.
type Result struct {
	Entries int64
	Elapsed time.Duration
	Latency latency.Summary
	// Counts are the syscalls issued while measuring; Counted says whether
	// the log counts them at all (see Counter).
	Counts  Counts
	Counted bool
	// CPU is the user + system CPU time the whole process used while
	// measuring (processCPU): what the log cost the machine, beside what
	// it took on the clock.
	CPU time.Duration
}

// PerSecond is the throughput in entries/s.
func (r Result) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Entries) / r.Elapsed.Seconds()
}

// PerThousand turns a syscall count into "per 1,000 entries", the unit the
// kit uses everywhere (the original Java workshop's 1,000 vs 10 fsyncs).
func (r Result) PerThousand(n uint64) float64 {
	if r.Entries == 0 {
		return 0
	}
	return float64(n) * 1000 / float64(r.Entries)
}

// A Workload drives a log for one cell: it records the latency of each
// operation of goroutine g in rec[g] and returns how many entries it
// appended (or read).
type Workload func(rec []*latency.Recorder) (entries int64, err error)

// Measure runs work with one latency recorder for each of its goroutines,
// and returns what it did, how long it took, the merged latencies and the
// syscalls log issued meanwhile, and the CPU time the process used. The
// clock stops when work returns: every counted entry falls inside the
// measured time.
func Measure(log Log, goroutines int, work Workload) (Result, error) {
	rec := make([]*latency.Recorder, goroutines)
	for i := range rec {
		rec[i] = latency.NewRecorder()
	}
	counter, counted := log.(Counter)
	var before Counts
	if counted {
		before = counter.Counts()
	}
	cpuBefore, err := processCPU()
	if err != nil {
		return Result{}, fmt.Errorf("harness: getrusage: %w", err)
	}
	start := time.Now()
	n, err := work(rec)
	r := Result{Entries: n, Elapsed: time.Since(start), Counted: counted}
	if err != nil {
		return Result{}, err
	}
	cpuAfter, err := processCPU()
	if err != nil {
		return Result{}, fmt.Errorf("harness: getrusage: %w", err)
	}
	r.CPU = cpuAfter - cpuBefore
	if counted {
		after := counter.Counts()
		r.Counts = Counts{Syncs: after.Syncs - before.Syncs, Writes: after.Writes - before.Writes}
	}
	r.Latency = latency.Merge(rec...)
	return r, nil
}
