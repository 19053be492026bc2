package waltest

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"walworkshop/compare/harness"
)

// openForBench opens the stage in a fresh directory on the disk under test,
// closed when the benchmark ends.
func openForBench(b *testing.B, s Stage) WAL {
	w, err := s.Open(benchDir(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { w.Close() })
	return w
}

// benchDir returns a directory on the disk under test. Temporary folders are
// often on tmpfs, where fsync is free and every number would be a lie, so
// benchmarks write next to the package unless WALBENCH_DIR says otherwise.
func benchDir(b *testing.B) string {
	parent := os.Getenv("WALBENCH_DIR")
	if parent == "" {
		parent = "."
	}
	dir, err := os.MkdirTemp(parent, ".bench-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// BenchmarkAppend appends one entry of size bytes per op from one goroutine.
func BenchmarkAppend(b *testing.B, s Stage, size int) {
	data := make([]byte, size)
	benchmarkOps(b, s, 1, size, func(w WAL) error {
		_, err := w.Append(data)
		return err
	})
}

// BenchmarkAppendBatch appends batches of n entries of size bytes; one op is
// one batch.
func BenchmarkAppendBatch(b *testing.B, s Stage, n, size int) {
	batch := make([][]byte, n)
	for i := range batch {
		batch[i] = make([]byte, size)
	}
	benchmarkOps(b, s, n, size, func(w WAL) error {
		_, err := w.AppendBatch(batch)
		return err
	})
}

// benchmarkOps times b.N calls of op from one goroutine, each appending
// entries entries of size bytes.
func benchmarkOps(b *testing.B, s Stage, entries, size int, op func(WAL) error) {
	w := openForBench(b, s)
	before := s.Stats(w)
	b.SetBytes(int64(entries * size))
	b.ResetTimer()
	for range b.N {
		if err := op(w); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	after := s.Stats(w)
	reportCounts(b, after.Syncs-before.Syncs, after.Writes-before.Writes, int64(b.N*entries))
}

// reportCounts reports the syncs and writes of b.N ops that appended
// entries, and the entries per second.
func reportCounts(b *testing.B, syncs, writes uint64, entries int64) {
	b.ReportMetric(float64(syncs)/float64(b.N), "fsyncs/op")
	b.ReportMetric(float64(writes)/float64(b.N), "writes/op")
	b.ReportMetric(float64(entries)/b.Elapsed().Seconds(), "entries/s")
}

// BenchmarkWriters runs sub-benchmarks with 1, 16, 64, 256 and 1024 goroutines,
// each appending one entry of size bytes and waiting for it before the next:
// the workload group commit is for, measured by the harness's closed loop
// (compare/harness) after its warm-up, as `make compare` measures it. One op
// is one entry.
func BenchmarkWriters(b *testing.B, s Stage, size int) {
	for _, writers := range []int{1, 16, 64, 256, 1024} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			log := countedWAL{openForBench(b, s), s}
			if err := harness.Warmup(log, size, harness.Settle); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(size))
			b.ResetTimer()
			r, err := harness.ClosedLoop{Writers: writers, Size: size, Entries: int64(b.N)}.Run(context.Background(), log)
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			reportCounts(b, r.Counts.Syncs, r.Counts.Writes, r.Entries)
			b.ReportMetric(float64(r.Latency.P99)/float64(time.Microsecond), "p99-µs")
		})
	}
}

// countedWAL is a stage's WAL as the harness counts it: by its Stats.
type countedWAL struct {
	WAL
	s Stage
}

func (c countedWAL) Counts() harness.Counts {
	st := c.s.Stats(c.WAL)
	return harness.Counts{Syncs: st.Syncs, Writes: st.Writes}
}

// BenchmarkReplay writes a log of 64 MiB in entries of size bytes, then
// replays it whole; one op is one Replay, so MB/s is the replay's read
// rate. Writing happens before the timer starts.
func BenchmarkReplay(b *testing.B, s Stage, size int) {
	const logBytes = 64 << 20
	w := openForBench(b, s)
	batch := make([][]byte, max(1, (1<<20)/size))
	for i := range batch {
		batch[i] = make([]byte, size)
	}
	for written := 0; written < logBytes; written += len(batch) * size {
		if _, err := w.AppendBatch(batch); err != nil {
			b.Fatal(err)
		}
	}
	want := w.LastIndex()
	b.SetBytes(int64(want) * int64(size))
	b.ResetTimer()
	for range b.N {
		var n uint64
		if err := w.Replay(1, func(uint64, []byte) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		if n != want {
			b.Fatalf("replayed %d of %d entries", n, want)
		}
	}
}
