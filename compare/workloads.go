package main

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"walworkshop/compare/latency"
)

// A cell is one measurement: one workload on one stage.
type cell struct {
	Workload   string  `json:"workload"`
	Stage      string  `json:"stage"`
	Writers    int     `json:"writers"`
	EntrySize  int     `json:"entry_size"`
	Entries    int64   `json:"entries"`
	Seconds    float64 `json:"seconds"`
	EntriesPS  float64 `json:"entries_per_s"`
	MBps       float64 `json:"mb_per_s"`
	P50us      float64 `json:"p50_us"`
	P99us      float64 `json:"p99_us"`
	P999us     float64 `json:"p999_us"`
	SyncsPerK  float64 `json:"syncs_per_1000"`
	WritesPerK float64 `json:"writes_per_1000"`
	SpeedupVs1 float64 `json:"speedup_vs_stage1"` // filled in by the report

	// The reads workload only (reads.go): the trace replayed, and the share
	// of reads served by the stage's own cache. nil where it cannot be
	// counted: no cache, or the kernel's page cache, which keeps no score.
	Trace    string   `json:"trace,omitempty"`
	HitRatio *float64 `json:"hit_ratio,omitempty"`
}

// durableWriters: writers goroutines, each appending one entry of size
// bytes and waiting for it, for d (closed loop).
func durableWriters(s stage, dir string, writers, size int, d time.Duration) (cell, error) {
	return measure(s, dir, "writers", writers, size, func(w wal, rec []*latency.Recorder) (int64, error) {
		var n atomic.Int64
		var firstErr error
		var once sync.Once
		deadline := time.Now().Add(d)
		var wg sync.WaitGroup
		for g := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				data := make([]byte, size)
				for time.Now().Before(deadline) {
					start := time.Now()
					if _, err := w.Append(data); err != nil {
						once.Do(func() { firstErr = err })
						return
					}
					rec[g].Record(time.Since(start))
					n.Add(1)
				}
			}()
		}
		wg.Wait()
		return n.Load(), firstErr
	})
}

// openLoopWorkers bounds the appends in flight in the open loop: enough
// for 5,000/s at 50 ms each (Little's law), so a slow stage's queue shows
// up as latency rather than as a loop that stops offering load.
const openLoopWorkers = 256

// openLoop offers rate appends of 128 B per second, whatever the stage
// does, and measures each from its scheduled start (wrk2's model). A stage
// that cannot keep up shows it as latency that grows through the cell.
func openLoop(s stage, dir string, rate float64, d time.Duration) (cell, error) {
	return measure(s, dir, "openloop", openLoopWorkers, 128, func(w wal, rec []*latency.Recorder) (int64, error) {
		data := make([]byte, 128)
		var n atomic.Int64
		err := latency.OpenLoopInto(rate, d, rec, func() error {
			_, err := w.Append(data)
			n.Add(1)
			return err
		})
		return n.Load(), err
	})
}

// seedReplay is the seed workshop's experiment: 1,000 entries of 128 B from
// one writer in batches of 100 (its "optimized" WAL: 17,857 writes/s, but
// unsynced; its naive one: 238 writes/s).
func seedReplay(s stage, dir string) (cell, error) {
	return measure(s, dir, "seed", 1, 128, func(w wal, rec []*latency.Recorder) (int64, error) {
		batch := make([][]byte, 100)
		for i := range batch {
			batch[i] = make([]byte, 128)
		}
		for range 10 {
			start := time.Now()
			if _, err := w.AppendBatch(batch); err != nil {
				return 0, err
			}
			rec[0].Record(time.Since(start))
		}
		return 1000, nil
	})
}

// openFresh opens the stage in a new directory under parent; done closes
// the WAL and removes the directory.
func openFresh(s stage, parent string) (w wal, done func(), err error) {
	dir, err := os.MkdirTemp(parent, ".compare-")
	if err != nil {
		return nil, nil, err
	}
	if w, err = s.open(dir); err != nil {
		os.RemoveAll(dir)
		return nil, nil, fmt.Errorf("%s: open: %w", s.name, err)
	}
	return w, func() { w.Close(); os.RemoveAll(dir) }, nil
}

// settle is the pause between the warm-up append and the measurement.
var settle = 500 * time.Millisecond

// measure opens the stage in a fresh directory, runs fn, and fills a cell.
func measure(s stage, parent, workload string, writers, size int, fn func(wal, []*latency.Recorder) (int64, error)) (cell, error) {
	w, done, err := openFresh(s, parent)
	if err != nil {
		return cell{}, err
	}
	defer done()
	// One append, then a pause: a stage that prepares its next segment in
	// the background (stage 4) starts doing so now, and a cell of a second
	// or two would otherwise charge a whole segment's preparation to a
	// fraction of its writes. Rotations inside a cell are still measured.
	if _, err := w.Append(make([]byte, size)); err != nil {
		return cell{}, fmt.Errorf("%s: warm-up append: %w", s.name, err)
	}
	time.Sleep(settle)
	rec := make([]*latency.Recorder, writers)
	for i := range rec {
		rec[i] = latency.NewRecorder()
	}
	syncs0, writes0 := w.counts()
	start := time.Now()
	n, err := fn(w, rec)
	secs := time.Since(start).Seconds()
	if err != nil {
		return cell{}, fmt.Errorf("%s %s: %w", s.name, workload, err)
	}
	syncs1, writes1 := w.counts()
	sum := latency.Merge(rec...)
	us := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
	return cell{
		Workload: workload, Stage: s.name, Writers: writers, EntrySize: size,
		Entries: n, Seconds: secs,
		EntriesPS:  float64(n) / secs,
		MBps:       float64(n) * float64(size) / 1e6 / secs,
		P50us:      us(sum.P50),
		P99us:      us(sum.P99),
		P999us:     us(sum.P999),
		SyncsPerK:  perThousand(syncs1-syncs0, n),
		WritesPerK: perThousand(writes1-writes0, n),
	}, nil
}

func perThousand(x uint64, n int64) float64 {
	if n == 0 {
		return 0
	}
	return float64(x) * 1000 / float64(n)
}
