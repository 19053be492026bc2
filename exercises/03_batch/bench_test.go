package batch

import (
	"testing"

	"walworkshop/exercises/internal/benchfile"
)

// BenchmarkAppendBatch100 is stage 2's benchmark of the same name: batches
// of 100 entries of 128 bytes on a real file; one op is one batch.
// `make exercise-bench EX=03` runs both.
func BenchmarkAppendBatch100(b *testing.B) {
	f := benchfile.Create(b)
	l := New(f)
	batch := make([][]byte, 100)
	for i := range batch {
		batch[i] = make([]byte, 128)
	}
	b.SetBytes(100 * 128)
	b.ResetTimer()
	for range b.N {
		if _, err := l.AppendBatch(batch); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	f.Report(b, b.N*100)
}
