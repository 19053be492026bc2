package waltest

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
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
	w := openForBench(b, s)
	data := make([]byte, size)
	before := s.Stats(w)
	b.SetBytes(int64(size))
	b.ResetTimer()
	for range b.N {
		if _, err := w.Append(data); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportSyscalls(b, s.Stats(w), before, b.N)
}

// BenchmarkAppendBatch appends batches of n entries of size bytes; one op is
// one batch.
func BenchmarkAppendBatch(b *testing.B, s Stage, n, size int) {
	w := openForBench(b, s)
	batch := make([][]byte, n)
	for i := range batch {
		batch[i] = make([]byte, size)
	}
	before := s.Stats(w)
	b.SetBytes(int64(n * size))
	b.ResetTimer()
	for range b.N {
		if _, err := w.AppendBatch(batch); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportSyscalls(b, s.Stats(w), before, b.N*n)
}

func reportSyscalls(b *testing.B, after, before Stats, entries int) {
	b.ReportMetric(float64(after.Syncs-before.Syncs)/float64(b.N), "fsyncs/op")
	b.ReportMetric(float64(after.Writes-before.Writes)/float64(b.N), "writes/op")
	b.ReportMetric(float64(entries)/b.Elapsed().Seconds(), "entries/s")
}

// BenchmarkWriters runs sub-benchmarks with 1, 16, 64 and 256 goroutines,
// each appending one entry of size bytes and waiting for it before the next:
// the workload group commit is for. One op is one entry.
func BenchmarkWriters(b *testing.B, s Stage, size int) {
	for _, writers := range []int{1, 16, 64, 256} {
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			w := openForBench(b, s)
			data := make([]byte, size)
			before := s.Stats(w)
			var next atomic.Int64
			var wg sync.WaitGroup
			b.SetBytes(int64(size))
			b.ResetTimer()
			for range writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for next.Add(1) <= int64(b.N) {
						if _, err := w.Append(data); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.StopTimer()
			reportSyscalls(b, s.Stats(w), before, b.N)
		})
	}
}
