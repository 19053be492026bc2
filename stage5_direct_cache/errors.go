package directcache

import "errors"

var (
	// ErrClosed is returned by every call after Close, and by Appends that
	// Close interrupted before they were durable.
	ErrClosed = errors.New("wal: closed")
	// ErrCorrupt means a record in the middle of the log failed its checksum.
	// The error text names the file and the offset.
	ErrCorrupt = errors.New("wal: corrupt record")
	// ErrNotFound is returned for an index outside [FirstIndex, LastIndex].
	ErrNotFound = errors.New("wal: index not found")
	// ErrTooLarge is returned for a payload over MaxEntrySize. Nothing is
	// written and the WAL stays usable.
	ErrTooLarge = errors.New("wal: entry too large")
	// ErrLocked is returned by Open when another WAL, in this process or
	// another, has the log open. The error text names the directory and,
	// where it can, the process that holds it.
	ErrLocked = errors.New("wal: log is locked")
)
