// Package groupcommit is exercise 04: the commit loop of stage 3, which
// lets concurrent appenders share one write and one fsync.
//
//	appenders ─enqueue─▶ [pending group] ─syncLoop: write, fsync─▶ release the group's waiters
//
// While the disk is busy with one group's fsync, the next group collects
// every appender that arrives meanwhile, so N waiting writers need far
// fewer than N fsyncs. Two rules make it honest: a waiter is released only
// after the fsync that covers its bytes returned success, and after a
// failed write or fsync the log is failed for good (no retried fsync).
//
// You write Log, New, Append and Close in commit.go. README.md has the
// steps.
package groupcommit

import "errors"

// MaxEntrySize is the largest payload Append accepts.
const MaxEntrySize = 8 << 20

var (
	// ErrClosed is returned by every call after Close.
	ErrClosed = errors.New("groupcommit: closed")
	// ErrTooLarge is returned (wrapped) for a payload over MaxEntrySize.
	ErrTooLarge = errors.New("groupcommit: entry too large")
)

// File is what the log writes to: an *os.File in production, a counting,
// fault-injecting file with a slow Sync in the tests.
type File interface {
	Write(p []byte) (int, error)
	Sync() error
}
