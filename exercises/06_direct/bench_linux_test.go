package direct

import (
	"testing"

	"golang.org/x/sys/unix"
)

// BenchmarkAppend is stage 5's benchmark of the same name: one writer,
// one 128-byte entry per op, each a group padded to the block, written
// with O_DIRECT and made durable with fdatasync. `make exercise-bench
// EX=06` runs both; padded-bytes/op is what the padding costs.
func BenchmarkAppend(b *testing.B) {
	f, _ := openDirect(b)
	counted := &countingWriterAt{f: f}
	w, err := NewWriter(counted, MemAlign)
	if err != nil {
		b.Fatal(err)
	}
	group := [][]byte{make([]byte, 128)}
	b.SetBytes(128)
	b.ResetTimer()
	for range b.N {
		if err := w.WriteGroup(group); err != nil {
			b.Fatal(err)
		}
		if err := unix.Fdatasync(int(f.Fd())); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
	b.ReportMetric(float64(counted.bytes)/float64(b.N), "bytes-written/op")
}

// countingWriterAt counts the bytes handed to WriteAt: entries, headers
// and padding.
type countingWriterAt struct {
	f     WriterAt
	bytes int64
}

func (c *countingWriterAt) WriteAt(p []byte, off int64) (int, error) {
	c.bytes += int64(len(p))
	return c.f.WriteAt(p, off)
}
