package directcache

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// logFile is the part of *os.File the WAL uses, plus Datasync and
// WriteAtDsync. It is an interface for one reason: tests open the log
// through a wrapper that fails a chosen write or sync, to prove that the WAL
// stops after such a failure (see internal/waltest). Production code always
// gets an osFile.
type logFile interface {
	io.WriterAt
	io.ReaderAt
	Sync() error
	Datasync() error
	WriteAtDsync(p []byte, off int64) (int, error)
	Stat() (os.FileInfo, error)
	Fd() uintptr
	Close() error
}

// openFileFunc opens the log's files and directory; Open passes openOSFile.
type openFileFunc func(name string, flag int, perm os.FileMode) (logFile, error)

type osFile struct{ *os.File }

// Datasync makes the file's data durable, and the metadata needed to read
// it back. How depends on the platform: fdatasync(2) on Linux and FreeBSD,
// fcntl F_FULLFSYNC on macOS, where fsync(2) and fdatasync leave the data in
// the drive's cache (file_linux.go, file_darwin.go, file_freebsd.go).
func (f osFile) Datasync() error { return datasync(f.File) }

// WriteAtDsync writes p at off and returns once it is durable: pwritev2
// with RWF_DSYNC on Linux (direct_linux.go); elsewhere it is not offered.
func (f osFile) WriteAtDsync(p []byte, off int64) (int, error) {
	return pwriteDsync(f.File, p, off)
}

func openOSFile(name string, flag int, perm os.FileMode) (logFile, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return osFile{f}, nil
}

// syncDir makes a directory's entries durable: a segment renamed into
// place, or removed by TruncateFront, is only really there (or gone) after
// the directory itself is synced.
func (w *WAL) syncDir(dir string) error {
	d, err := w.openFile(dir, os.O_RDONLY, 0)
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

// makeDir creates dir, and every parent that is missing, with mode 0700 (a
// log holds every write its application ever made), and makes the path
// durable. A directory's entry is only durable once the directory that
// holds it is fsynced, like a file's: without that, a power cut can take
// away a log whose every entry was synced. The parent of dir is fsynced on
// every Open, because a directory that exists may be one an earlier Open
// created and crashed before syncing.
func (w *WAL) makeDir(dir string) error {
	var missing []string
	for d := filepath.Clean(dir); ; {
		_, err := os.Stat(d)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("wal: stat dir %s: %w", d, err)
		}
		missing = append(missing, d)
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	for i := len(missing) - 1; i >= 0; i-- {
		if err := os.Mkdir(missing[i], 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("wal: create dir %s: %w", missing[i], err)
		}
		if i > 0 {
			if err := w.syncDir(filepath.Dir(missing[i])); err != nil {
				return err
			}
		}
	}
	return w.syncDir(filepath.Dir(filepath.Clean(dir)))
}
