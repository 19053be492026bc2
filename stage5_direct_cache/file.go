package directcache

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// logFile is the part of *os.File the WAL uses, plus fdatasync. It is an
// interface for one reason: tests open the log through a wrapper that fails
// a chosen write or sync, to prove that the WAL stops after such a failure
// (see internal/waltest). Production code always gets an osFile.
type logFile interface {
	io.WriterAt
	io.ReaderAt
	Sync() error
	Datasync() error
	Stat() (os.FileInfo, error)
	Fd() uintptr
	Close() error
}

// openFileFunc opens the log's files and directory; Open passes openOSFile.
type openFileFunc func(name string, flag int, perm os.FileMode) (logFile, error)

type osFile struct{ *os.File }

func (f osFile) Datasync() error { return unix.Fdatasync(int(f.Fd())) }

func openOSFile(name string, flag int, perm os.FileMode) (logFile, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return osFile{f}, nil
}

// syncDir makes the directory's entries durable: a segment renamed into
// place, or removed by TruncateFront, is only really there (or gone) after
// the directory itself is synced.
func (w *WAL) syncDir() error {
	d, err := w.openFile(w.dir, os.O_RDONLY, 0)
	if err != nil {
		return fmt.Errorf("wal: open dir %s: %w", w.dir, err)
	}
	defer d.Close()
	w.stats.syncs.Add(1)
	if err := d.Sync(); err != nil {
		return fmt.Errorf("wal: fsync dir %s: %w", w.dir, err)
	}
	return nil
}
