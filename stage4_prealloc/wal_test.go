package prealloc

import (
	"os"
	"testing"
	"time"

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
		SegmentSize: opts.SegmentSize,
		TruncateFront: func(w waltest.WAL, i uint64) error {
			return w.(*WAL).TruncateFront(i)
		},
	}
}

func TestMain(m *testing.M) { waltest.Main(m, stage, fallocated, appended, tiny) }

func TestConformance(t *testing.T) { waltest.Run(t, stage) }

func TestConformanceFallocate(t *testing.T) { waltest.Run(t, fallocated) }

func TestConformanceNoPrealloc(t *testing.T) { waltest.Run(t, appended) }

func TestConformanceTinyGroups(t *testing.T) { waltest.Run(t, tiny) }

func FuzzDecodeRecord(f *testing.F) {
	waltest.FuzzCodec(f, waltest.Codec{Encode: appendRecord, Decode: decodeRecord})
}

func FuzzRecovery(f *testing.F) { waltest.FuzzRecovery(f, stage) }

func BenchmarkAppend(b *testing.B) { waltest.BenchmarkAppend(b, stage, 128) }

func BenchmarkAppendBatch100(b *testing.B) { waltest.BenchmarkAppendBatch(b, stage, 100, 128) }

func BenchmarkWriters(b *testing.B) { waltest.BenchmarkWriters(b, stage, 128) }
