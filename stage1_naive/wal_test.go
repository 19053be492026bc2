package naive

import (
	"os"
	"testing"

	"walworkshop/internal/waltest"
)

// stage describes this package to the shared conformance and crash suite.
var stage = waltest.Stage{
	Name: "stage1_naive",
	Open: func(dir string) (waltest.WAL, error) { return Open(dir, Options{}) },
	OpenWithFaults: func(dir string, faults *waltest.Faults) (waltest.WAL, error) {
		return open(dir, Options{}, func(name string, flag int, perm os.FileMode) (logFile, error) {
			return faults.OpenFile(name, flag, perm)
		})
	},
	Stats:       func(w waltest.WAL) waltest.Stats { return waltest.Stats(w.(*WAL).Stats()) },
	ErrClosed:   ErrClosed,
	ErrCorrupt:  ErrCorrupt,
	ErrNotFound: ErrNotFound,
	ErrTooLarge: ErrTooLarge,
	ErrLocked:   ErrLocked,
	Codec:       codec,
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

func TestMain(m *testing.M) { waltest.Main(m, stage) }

func TestConformance(t *testing.T) { waltest.Run(t, stage) }

func FuzzDecodeRecord(f *testing.F) {
	waltest.FuzzCodec(f, codec)
}

func FuzzRecovery(f *testing.F) { waltest.FuzzRecovery(f, stage) }

func BenchmarkAppend(b *testing.B) { waltest.BenchmarkAppend(b, stage, 128) }

func BenchmarkAppendBatch100(b *testing.B) { waltest.BenchmarkAppendBatch(b, stage, 100, 128) }

func BenchmarkWriters(b *testing.B) { waltest.BenchmarkWriters(b, stage, 128) }
