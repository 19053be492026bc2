package prealloc

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"walworkshop/compare/harness"
	"walworkshop/internal/waltest"
)

// stage describes this package to the shared conformance and crash suite,
// with default options but tiny segments, so that rotation, preparation and
// recovery across segments happen in every test.
var stage = describe("stage4_prealloc", Options{SegmentSize: 4096})

// The same suite with the other ways of preparing a segment.
var (
	fallocated = describe("stage4_prealloc/fallocate", Options{SegmentSize: 8192, Prealloc: PreallocFallocate})
	appended   = describe("stage4_prealloc/none", Options{SegmentSize: 4096, Prealloc: PreallocNone})
)

// tiny runs the suite with groups held open and kept tiny, so that
// waiting, backpressure and coalescing all happen in every test.
var tiny = describe("stage4_prealloc/tiny-groups", Options{
	SegmentSize:     4096,
	MaxGroupEntries: 3,
	MaxGroupBytes:   512,
	MaxWait:         200 * time.Microsecond,
})

func describe(name string, opts Options) waltest.Stage {
	return waltest.Stage{
		Name: name,
		Open: func(dir string) (waltest.WAL, error) { return Open(dir, opts) },
		OpenWithFaults: func(dir string, faults *waltest.Faults) (waltest.WAL, error) {
			return open(dir, opts, func(name string, flag int, perm os.FileMode) (logFile, error) {
				return faults.OpenFile(name, flag, perm)
			})
		},
		Stats: func(w waltest.WAL) waltest.Stats {
			s := w.(*WAL).Stats()
			return waltest.Stats{Entries: s.Entries, Writes: s.Writes, Syncs: s.Syncs, Bytes: s.Bytes}
		},
		ErrClosed:   ErrClosed,
		ErrCorrupt:  ErrCorrupt,
		ErrNotFound: ErrNotFound,
		ErrTooLarge: ErrTooLarge,
		ErrLocked:   ErrLocked,
		Codec:       codec,
		SegmentSize: opts.SegmentSize,
		TruncateFront: func(w waltest.WAL, i uint64) error {
			return w.(*WAL).TruncateFront(i)
		},
	}
}

// codec is the record format, for the fuzz target and the tests that
// build records by hand.
var codec = waltest.Codec{
	Encode: func(dst []byte, r waltest.Record) []byte {
		return appendRecord(dst, record{index: r.Index, durable: r.Durable, payload: r.Payload})
	},
	Decode: func(b []byte) (waltest.Record, int, bool) {
		r, size, ok := decodeRecord(b)
		return waltest.Record{Index: r.index, Durable: r.durable, Payload: r.payload}, size, ok
	},
}

func TestMain(m *testing.M) { waltest.Main(m, stage, fallocated, appended, tiny) }

func TestConformance(t *testing.T) { waltest.Run(t, stage) }

func TestConformanceFallocate(t *testing.T) { waltest.Run(t, fallocated) }

func TestConformanceNoPrealloc(t *testing.T) { waltest.Run(t, appended) }

func TestConformanceTinyGroups(t *testing.T) { waltest.Run(t, tiny) }

func FuzzDecodeRecord(f *testing.F) {
	waltest.FuzzCodec(f, codec)
}

func FuzzRecovery(f *testing.F) { waltest.FuzzRecovery(f, stage) }

// benchStage has the default options: the tests' tiny segments would make
// every benchmark a benchmark of rotation.
var benchStage = describe("stage4_prealloc", Options{})

func BenchmarkAppend(b *testing.B) { waltest.BenchmarkAppend(b, benchStage, 128) }

func BenchmarkAppendBatch100(b *testing.B) { waltest.BenchmarkAppendBatch(b, benchStage, 100, 128) }

// BenchmarkPrealloc compares the ways of preparing a segment, one writer.
func BenchmarkPrealloc(b *testing.B) {
	for _, p := range []Prealloc{PreallocZero, PreallocFallocate, PreallocNone} {
		b.Run(p.String(), func(b *testing.B) {
			waltest.BenchmarkAppend(b, describe("stage4_prealloc", Options{Prealloc: p}), 128)
		})
	}
}

func BenchmarkWriters(b *testing.B) { waltest.BenchmarkWriters(b, benchStage, 128) }

// BenchmarkWriters64K: large entries, where copying into the page cache
// and writing it back cost as much as the fsync.
func BenchmarkWriters64K(b *testing.B) { waltest.BenchmarkWriters(b, benchStage, 64<<10) }

// BenchmarkRotation measures append latency across segment rotations, with
// segments small enough (16 MiB for one writer, 64 MiB for 64) that a run
// of a few seconds crosses several while the next segment is zero-filled in
// the background. It reports p99, p99.9, the worst case, and how often a
// rotation had to wait for preparation. Run it with -benchtime=2000000x.
func BenchmarkRotation(b *testing.B) {
	for _, writers := range []int{1, 64} {
		segmentSize := rotationSegment * int64(writers)
		b.Run(fmt.Sprintf("writers=%d", writers), func(b *testing.B) {
			dir, err := os.MkdirTemp(".", ".bench-")
			if err != nil {
				b.Fatal(err)
			}
			defer os.RemoveAll(dir)
			w, err := Open(dir, Options{SegmentSize: min(segmentSize, 64<<20), Prealloc: rotationPrealloc})
			if err != nil {
				b.Fatal(err)
			}
			defer w.Close()
			if err := harness.Warmup(w, 128, harness.Settle); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			r, err := harness.ClosedLoop{Writers: writers, Size: 128, Entries: int64(b.N)}.Run(context.Background(), w)
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			micros := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
			b.ReportMetric(micros(r.Latency.P99), "p99-µs")
			b.ReportMetric(micros(r.Latency.P999), "p99.9-µs")
			b.ReportMetric(micros(r.Latency.Max), "max-µs")
			b.ReportMetric(float64(w.Stats().Segments), "segments")
			b.ReportMetric(float64(w.Stats().PrepWaits), "waits")
		})
	}
}

var (
	rotationSegment  int64 = 16 << 20
	rotationPrealloc       = PreallocZero
)
