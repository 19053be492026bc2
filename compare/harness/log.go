package harness

import (
	"errors"
	"fmt"
	"os"
	"time"
)

// Log is what the harness measures. Append returns only once data is
// durable (synced): that promise is what makes the logs comparable. The
// index it returns is the entry's, where the log numbers its entries.
type Log interface {
	Append(data []byte) (uint64, error)
	Close() error
}

// Counts are the write and sync syscalls a log has issued so far.
type Counts struct {
	Syncs, Writes uint64
}

// Counter is implemented by the logs that count their own syscalls: the
// kit's stages (their Stats) and pebble (a wrapper around its file).
// tidwall/wal opens its files itself, so it cannot.
type Counter interface {
	Counts() Counts
}

// OpenFresh opens a log in a new directory under parent, named after name.
// done closes the log and removes the directory.
func OpenFresh[L Log](parent, name string, open func(dir string) (L, error)) (log L, done func() error, err error) {
	dir, err := os.MkdirTemp(parent, ".compare-")
	if err != nil {
		return log, nil, err
	}
	if log, err = open(dir); err != nil {
		return log, nil, errors.Join(fmt.Errorf("%s: open %s: %w", name, dir, err), os.RemoveAll(dir))
	}
	return log, func() error { return errors.Join(log.Close(), os.RemoveAll(dir)) }, nil
}

// Fresh measures a log the way every cell is measured: opened by open in a
// new directory under parent, warmed up (Warmup, with an entry of size bytes
// and settle), measured by measure, then closed and its directory removed.
func Fresh[L Log](parent, name string, open func(dir string) (L, error), size int, settle time.Duration, measure func(L) (Result, error)) (Result, error) {
	log, done, err := OpenFresh(parent, name, open)
	if err != nil {
		return Result{}, err
	}
	if err := Warmup(log, size, settle); err != nil {
		return Result{}, errors.Join(fmt.Errorf("%s: %w", name, err), done())
	}
	r, err := measure(log)
	if err != nil {
		return Result{}, errors.Join(fmt.Errorf("%s: %w", name, err), done())
	}
	if err := done(); err != nil {
		return Result{}, fmt.Errorf("%s: close: %w", name, err)
	}
	return r, nil
}
