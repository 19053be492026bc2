package directcache

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// directIO names how this platform bypasses the page cache, for Open's
// messages.
const directIO = "F_NOCACHE"

// openDirect opens name and turns its caching off with fcntl F_NOCACHE:
// macOS has no O_DIRECT flag for open. With F_NOCACHE, reads and writes
// that are aligned go straight between the buffer and the device (unaligned
// ones would still pass through the cache: the WAL writes none). It is about
// the cache only: durability still comes from F_FULLFSYNC (file_darwin.go).
func openDirect(open openFileFunc, name string, flag int, perm os.FileMode) (logFile, error) {
	f, err := open(name, flag, perm)
	if err != nil {
		return nil, err
	}
	if _, err := unix.FcntlInt(f.Fd(), unix.F_NOCACHE, 1); err != nil {
		f.Close()
		return nil, &os.PathError{Op: "fcntl F_NOCACHE", Path: name, Err: err}
	}
	return f, nil
}

// queryDIOAlign: macOS has no call that reports the alignment uncached I/O
// needs, so the WAL uses fallbackBlock (4096): the page size on Intel Macs,
// a quarter of it on Apple silicon, and a multiple of every sector size.
func queryDIOAlign(string) (offset, mem uint32, err error) {
	return 0, 0, errNoAlignmentQuery
}

// dsyncWrites: this platform has no RWF_DSYNC; groups are written, then
// synced (groupsync.go).
const dsyncWrites = false

func pwriteDsync(*os.File, []byte, int64) (int, error) { return 0, errors.ErrUnsupported }

func deviceHasFUA(string) bool { return false }
