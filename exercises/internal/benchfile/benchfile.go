// Package benchfile gives the exercises' benchmarks a real file on the disk
// under test, counting the write and sync syscalls made through it, so
// that `make exercise-bench` can set your code next to a stage's on the
// same workload and the same disk.
package benchfile

import (
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
)

// File is an *os.File that counts its Write and Sync calls.
type File struct {
	*os.File
	writes, syncs atomic.Uint64
}

// Create makes a fresh file in a directory next to the package (temporary
// folders are often tmpfs, where fsync is free and every number would be
// a lie) unless WALBENCH_DIR names another. It is removed when b ends.
func Create(b *testing.B) *File {
	parent := os.Getenv("WALBENCH_DIR")
	if parent == "" {
		parent = "."
	}
	dir, err := os.MkdirTemp(parent, ".bench-")
	if err != nil {
		b.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "bench.log"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		f.Close()
		os.RemoveAll(dir)
	})
	return &File{File: f}
}

func (f *File) Write(p []byte) (int, error) {
	f.writes.Add(1)
	return f.File.Write(p)
}

func (f *File) Sync() error {
	f.syncs.Add(1)
	return f.File.Sync()
}

// Report adds the kit's per-op metrics to b: fsyncs and writes per op, and
// entries per second, for entries appended in all.
func (f *File) Report(b *testing.B, entries int) {
	b.ReportMetric(float64(f.syncs.Load())/float64(b.N), "fsyncs/op")
	b.ReportMetric(float64(f.writes.Load())/float64(b.N), "writes/op")
	b.ReportMetric(float64(entries)/b.Elapsed().Seconds(), "entries/s")
}
