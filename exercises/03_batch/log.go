// Package batch is exercise 03: AppendBatch as stage 2 does it, one write
// and one fsync for a whole batch, however many entries it holds.
//
// Stage 1 makes every entry pay a write of its header, a write of its
// payload and an fsync. The fsync is what costs (100 µs to several ms);
// the entries of a batch can share one. You write AppendBatch (batch.go)
// on the small Log below; the record format is the one of 02, provided by
// walrecord. README.md has the steps.
package batch

import (
	"errors"
	"sync"
)

// MaxEntrySize is the largest payload AppendBatch accepts.
const MaxEntrySize = 8 << 20

// ErrTooLarge is returned (wrapped) for a payload over MaxEntrySize.
var ErrTooLarge = errors.New("batch: entry too large")

// File is what the log writes to: an *os.File in production, a counting,
// fault-injecting file in the tests.
type File interface {
	Write(p []byte) (int, error)
	Sync() error
}

// Log appends records to one file. All methods are safe for concurrent use.
type Log struct {
	f File

	mu     sync.Mutex
	buf    []byte // the records of the batch being written, reused; guarded by mu
	next   uint64 // the index the next entry gets; guarded by mu
	failed error  // set after a failed write or sync; guarded by mu
}

// New returns a log writing to f, whose first entry gets index 1.
func New(f File) *Log { return &Log{f: f, next: 1} }

// Append appends one entry: a batch of one.
func (l *Log) Append(data []byte) (uint64, error) { return l.AppendBatch([][]byte{data}) }
