package directcache

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// lockName is the file in the log's directory whose lock says who owns the
// log. Two WALs appending to one log would interleave their records and
// each trust its own index: the log has one owner or it is corrupt.
const lockName = "LOCK"

// A dirLock is an exclusive flock on the LOCK file of a log directory.
//
// flock, not fcntl's record locks: a record lock belongs to the process, so
// a second Open in the same process would be granted it again, and closing
// any descriptor of the file would drop it. An flock belongs to the open
// file, so a second Open is refused in this process as in any other, and
// the kernel drops it when the descriptor goes away, which also happens
// when the process is killed: a crash leaves no stale lock behind.
type dirLock struct {
	f *os.File
}

// lockDir takes the lock of the log in dir, or returns an error wrapping
// ErrLocked that names the directory and, where it can, the holder.
func lockDir(dir string) (*dirLock, error) {
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("wal: open lock file %s: %w", path, err)
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		holder := lockHolder(f)
		f.Close()
		if errors.Is(err, unix.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s is in use by %s", ErrLocked, dir, holder)
		}
		return nil, fmt.Errorf("wal: lock %s: %w", path, err)
	}
	// The holder's pid is only for the error message above, so it is not
	// synced: after a crash there is no lock to explain.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &dirLock{f: f}, nil
}

// lockHolder describes the process whose pid the lock file holds.
func lockHolder(f *os.File) string {
	b := make([]byte, 32)
	n, _ := f.ReadAt(b, 0)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b[:n])))
	switch {
	case err != nil:
		return "another WAL"
	case pid == os.Getpid():
		return "another WAL in this process"
	default:
		return fmt.Sprintf("process %d", pid)
	}
}

// release gives up the lock. Closing the descriptor releases the flock.
func (l *dirLock) release() error {
	if err := l.f.Close(); err != nil {
		return fmt.Errorf("wal: release lock %s: %w", l.f.Name(), err)
	}
	return nil
}
