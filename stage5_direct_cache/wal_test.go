package directcache

import (
	"os"
	"testing"
	"time"

	"walworkshop/internal/waltest"
)

// stage describes this package to the shared conformance and crash suite,
// with default options but tiny segments, so that rotation, preparation and
// recovery across segments happen in every test, and a cache of four pages,
// so that reads evict all the time.
var stage = describe("stage5_direct_cache", Options{SegmentSize: 4096, CacheBytes: 4 * pageSize})

// The same suite with the other ways of preparing a segment, with the LRU
// cache, and through the page cache (the path for filesystems that refuse
// O_DIRECT; its blocks are 4 KiB, so its segments are larger).
var (
	fallocated = describe("stage5_direct_cache/fallocate", Options{SegmentSize: 8192, Prealloc: PreallocFallocate, Cache: CacheLRU})
	appended   = describe("stage5_direct_cache/none", Options{SegmentSize: 4096, Prealloc: PreallocNone})
	buffered   = describe("stage5_direct_cache/buffered", Options{SegmentSize: 16384, BufferedIO: true, CacheBytes: 4 * pageSize})
)

// tiny runs the suite with groups held open and kept tiny, so that
// waiting, backpressure and coalescing all happen in every test.
var tiny = describe("stage5_direct_cache/tiny-groups", Options{
	SegmentSize:     4096,
	CacheBytes:      -1,
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

// variants are every configuration the suite runs; dsync_linux_test.go adds
// one where the platform has RWF_DSYNC.
var variants = []waltest.Stage{stage, fallocated, appended, buffered, tiny}

func TestMain(m *testing.M) { waltest.Main(m, variants...) }

func TestConformance(t *testing.T) { waltest.Run(t, stage) }

func TestConformanceFallocate(t *testing.T) { waltest.Run(t, fallocated) }

func TestConformanceNoPrealloc(t *testing.T) { waltest.Run(t, appended) }

func TestConformanceBuffered(t *testing.T) { waltest.Run(t, buffered) }

func TestConformanceTinyGroups(t *testing.T) { waltest.Run(t, tiny) }

func FuzzDecodeRecord(f *testing.F) {
	waltest.FuzzCodec(f, codec)
}

func FuzzDecodeAny(f *testing.F) { fuzzDecodeAny(f) }

func FuzzRecovery(f *testing.F) { waltest.FuzzRecovery(f, stage) }

// benchStage has the default options: the tests' tiny segments would make
// every benchmark a benchmark of rotation.
var benchStage = describe("stage5_direct_cache", Options{})

func BenchmarkAppend(b *testing.B) { waltest.BenchmarkAppend(b, benchStage, 128) }

func BenchmarkAppendBatch100(b *testing.B) { waltest.BenchmarkAppendBatch(b, benchStage, 100, 128) }

func BenchmarkWriters(b *testing.B) { waltest.BenchmarkWriters(b, benchStage, 128) }

// BenchmarkWriters64K: large entries, where copying into the page cache
// and writing it back cost as much as the fsync.
func BenchmarkWriters64K(b *testing.B) { waltest.BenchmarkWriters(b, benchStage, 64<<10) }

// BenchmarkReplay: a 64 MiB log of 4 KiB entries read back by Replay, with
// its read-ahead (readahead.go).
func BenchmarkReplay(b *testing.B) { waltest.BenchmarkReplay(b, benchStage, 4096) }

// BenchmarkRead reads entries by index: from the cache (every entry's page
// is resident after a first pass) and from the disk with O_DIRECT (no
// cache, and no kernel page cache either). The ratio is what the cache buys.
func BenchmarkRead(b *testing.B) {
	for _, c := range []struct {
		name  string
		cache int64
	}{{"cached", 64 << 20}, {"uncached", -1}} {
		b.Run(c.name, func(b *testing.B) {
			dir, err := os.MkdirTemp(".", ".bench-")
			if err != nil {
				b.Fatal(err)
			}
			defer os.RemoveAll(dir)
			w, err := Open(dir, Options{CacheBytes: c.cache})
			if err != nil {
				b.Fatal(err)
			}
			defer w.Close()
			const entries = 10000
			batch := make([][]byte, entries)
			for i := range batch {
				batch[i] = make([]byte, 128)
			}
			if _, err := w.AppendBatch(batch); err != nil {
				b.Fatal(err)
			}
			for i := uint64(1); i <= entries; i++ { // warm the cache
				if _, err := w.Read(i); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for i := range b.N {
				if _, err := w.Read(uint64(i%entries) + 1); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			s := w.Stats()
			b.ReportMetric(float64(s.CacheHits)/float64(s.CacheHits+s.CacheMisses), "hit-ratio")
			if !s.DirectIO {
				b.Log("O_DIRECT refused here: uncached reads come from the kernel's page cache")
			}
		})
	}
}
