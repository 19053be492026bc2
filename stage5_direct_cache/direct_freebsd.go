package directcache

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// directIO names how this platform bypasses the page cache, for Open's
// messages.
const directIO = "O_DIRECT"

// openDirect opens name with O_DIRECT. On UFS that bypasses the buffer
// cache for aligned transfers; ZFS before OpenZFS 2.3 accepts the flag and
// ignores it, so writes still go through its cache, and the fdatasync
// after them is what makes them durable, as everywhere.
func openDirect(open openFileFunc, name string, flag int, perm os.FileMode) (logFile, error) {
	return open(name, flag|unix.O_DIRECT, perm)
}

// queryDIOAlign: FreeBSD has no statx and no call that reports the
// alignment direct I/O needs, so the WAL uses fallbackBlock (4096), a
// multiple of every sector size in use.
func queryDIOAlign(string) (offset, mem uint32, err error) {
	return 0, 0, errNoAlignmentQuery
}

// dsyncWrites: this platform has no RWF_DSYNC; groups are written, then
// synced (groupsync.go).
const dsyncWrites = false

func pwriteDsync(*os.File, []byte, int64) (int, error) { return 0, errors.ErrUnsupported }

func deviceHasFUA(string) bool { return false }
