package main

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/cockroachdb/pebble/v2/record"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/prometheus/client_golang/prometheus"

	"walworkshop/compare/harness"
)

var pebbleImpl = impl{name: "pebble", open: openPebble}

// pebbleWAL drives pebble's record.LogWriter the way pebble's own commit
// pipeline drives it. Followed, in github.com/cockroachdb/pebble/v2 v2.1.7:
//
//   - commit.go, commitPipeline.Commit and prepare: take a slot on
//     logSyncQSem (capacity record.SyncConcurrency-1) before the commit
//     mutex; under commitPipeline.mu write the record with a WaitGroup that
//     was Add(1)ed beforehand; wait on it after the mutex is released.
//   - db.go, DB.commitWrite, and wal/standalone_manager.go, WriteRecord: the
//     write is LogWriter.SyncRecord(p, wg, err).
//   - wal/standalone_manager.go, create: FS.Create the log, sync the
//     directory, wrap the file in vfs.NewSyncingFile (preallocation,
//     fdatasync), then record.NewLogWriter.
//   - open.go: the LogWriterConfig (an fsync latency histogram, QueueSemChan
//     set to logSyncQSem, WriteWALSyncOffsets).
//   - record/log_writer.go, syncQueue.pop: after the fsync the flush loop
//     calls wg.Done and then receives one value from QueueSemChan for every
//     record it synced. So we acquire a slot and the LogWriter releases it.
//
// The point of the whole design: while one fsync is in flight, every record
// that arrives is copied into the current 32 KiB block, and the next fsync
// covers all of them (group commit without a leader election).
type pebbleWAL struct {
	// mu plays commitPipeline.mu: LogWriter needs external synchronisation
	// of SyncRecord, and the mutex is held only for the in-memory copy.
	mu   sync.Mutex
	w    *record.LogWriter
	sem  chan struct{}
	file *countingFile
}

const (
	// pebbleLogNum is the WAL's file number; pebble names logs "%06d.log".
	pebbleLogNum = 1
	// pebblePrealloc is what DB.walPreallocateSize (db.go) gives for the
	// default 4 MiB memtable: 110% of it.
	pebblePrealloc = (4 << 20) * 11 / 10
)

func openPebble(dir string) (harness.Log, error) {
	fs := vfs.Default
	f, err := fs.Create(fs.PathJoin(dir, "000001.log"), "pebble-wal")
	if err != nil {
		return nil, err
	}
	if err := syncDir(fs, dir); err != nil {
		f.Close()
		return nil, err
	}
	p := &pebbleWAL{
		sem: make(chan struct{}, record.SyncConcurrency-1),
		// WALBytesPerSync defaults to 0 (no background sync_file_range) and
		// NoSyncOnClose to false: pebble's defaults.
		file: &countingFile{f: vfs.NewSyncingFile(f, vfs.SyncingFileOptions{
			PreallocateSize: pebblePrealloc,
		})},
	}
	p.w = record.NewLogWriter(p.file, pebbleLogNum, record.LogWriterConfig{
		// Observed after every sync, as in pebble; same buckets as
		// pebble.FsyncLatencyBuckets (metrics.go).
		WALFsyncLatency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "wal_fsync_latency",
			Buckets: append(
				prometheus.LinearBuckets(0, float64(100*time.Microsecond), 50),
				prometheus.ExponentialBucketsRange(float64(5*time.Millisecond), float64(10*time.Second), 50)...),
		}),
		QueueSemChan: p.sem,
		// Must be non-nil: NewLogWriter calls it. A new DB with pebble's
		// default FormatMajorVersion (FormatMinSupported) writes the older
		// recyclable chunk format, so false.
		WriteWALSyncOffsets: func() bool { return false },
	})
	return p, nil
}

// Append returns the record's offset in the log, pebble's only position.
func (p *pebbleWAL) Append(data []byte) (uint64, error) {
	var wg sync.WaitGroup
	var syncErr error
	wg.Add(1)
	// Reserve our place in the LogWriter's fixed-size sync queue before
	// taking the mutex, as Commit does. syncQueue.pop gives it back.
	p.sem <- struct{}{}
	p.mu.Lock()
	offset, err := p.w.SyncRecord(data, &wg, &syncErr)
	p.mu.Unlock()
	if err != nil {
		// SyncRecord failed before queuing the WaitGroup, so nothing will
		// pop our slot: give it back here (pebble panics instead).
		<-p.sem
		return 0, err
	}
	wg.Wait() // outside the mutex: the next writer fills the block meanwhile
	return uint64(offset), syncErr
}

func (p *pebbleWAL) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.w.Close() // writes the EOF trailer, syncs, closes the file
}

func (p *pebbleWAL) Counts() harness.Counts {
	return harness.Counts{Syncs: p.file.syncs.Load(), Writes: p.file.writes.Load()}
}

func syncDir(fs vfs.FS, dir string) error {
	d, err := fs.OpenDir(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// countingFile counts the writes and syncs the LogWriter issues. NewLogWriter
// only uses its writer as an io.Writer, a Sync()er and an io.Closer.
type countingFile struct {
	f             vfs.File
	writes, syncs atomic.Uint64
}

func (c *countingFile) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.f.Write(p)
}

// Sync is the syncing file's Sync, which is fdatasync on Linux.
func (c *countingFile) Sync() error {
	c.syncs.Add(1)
	return c.f.Sync()
}

func (c *countingFile) Close() error { return c.f.Close() }
