package groupcommit

import (
	"fmt"
	"io"
	"os"
)

// logFile is the part of *os.File the WAL uses. It is an interface for one
// reason: tests open the log through a wrapper that fails a chosen write or
// sync, to prove that the WAL stops after such a failure (see
// internal/waltest). Production code always gets a plain *os.File.
type logFile interface {
	io.WriterAt
	io.ReaderAt
	Sync() error
	Truncate(size int64) error
	Stat() (os.FileInfo, error)
	Close() error
}

// openFileFunc opens the log file; Open passes openOSFile.
type openFileFunc func(name string, flag int, perm os.FileMode) (logFile, error)

func openOSFile(name string, flag int, perm os.FileMode) (logFile, error) {
	return os.OpenFile(name, flag, perm)
}

// syncDir makes a directory's entries durable. A new file's data can be
// fsynced and still vanish after a crash if the directory entry that names
// it was never synced.
func (w *WAL) syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("wal: open dir %s: %w", dir, err)
	}
	defer d.Close()
	w.stats.syncs.Add(1)
	if err := d.Sync(); err != nil {
		return fmt.Errorf("wal: fsync dir %s: %w", dir, err)
	}
	return nil
}
