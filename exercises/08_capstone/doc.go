// Package capstone is exercise 08: a durable key-value store on stage 5,
// with snapshots, that survives kill -9 and power cuts.
//
//	dir/
//	  wal/       the stage 5 log: one entry per Put or Delete (kvop)
//	  snapshot   the whole map as of some log index (snapshot_format.go)
//
// Every change goes to the log first and is applied once it is durable
// (exercise 01). A snapshot writes the whole map, as of the last applied
// index, to a file, so that the log below that index can go: TruncateFront
// drops whole segments. Open loads the snapshot and replays the log after
// it. Both halves must survive a crash at any moment: the snapshot is
// written under a temporary name, synced, renamed into place and its
// directory synced; and the log is truncated only below a snapshot that
// is already durable.
//
// You write Store in store.go. README.md has the steps.
package capstone

import "walworkshop/exercises/internal/crashfs"

// Options configures a Store. The zero value is a good default.
type Options struct {
	// SegmentSize is the log's segment size. Default 1 MiB: small, so that
	// snapshots let TruncateFront drop segments soon.
	SegmentSize int64
	// FS holds the snapshot. Default crashfs.OS{}; the tests pass a
	// crashfs.Mem, to see what a crash at each step would leave.
	FS crashfs.FS
}

func (o Options) withDefaults() Options {
	if o.SegmentSize <= 0 {
		o.SegmentSize = 1 << 20
	}
	if o.FS == nil {
		o.FS = crashfs.OS{}
	}
	return o
}

const (
	walDir       = "wal"      // the log's directory, inside the store's
	snapshotName = "snapshot" // the snapshot's file name, inside the store's directory
)
