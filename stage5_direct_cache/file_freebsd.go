package directcache

import (
	"os"

	"golang.org/x/sys/unix"
)

// datasync is fdatasync(2), which FreeBSD has since 11.1: the data and the
// metadata needed to read it back, as on Linux. As on Linux, flushing the
// drive's write cache is the filesystem's part of that call (ZFS commits its
// intent log and flushes the device), not a separate call as on macOS; it
// is never weaker than fsync(2), which syncs the same data and more.
// golang.org/x/sys has the syscall number but no wrapper for it, so it is
// called by number.
func datasync(f *os.File) error {
	_, _, errno := unix.Syscall(unix.SYS_FDATASYNC, f.Fd(), 0, 0)
	if errno != 0 {
		return errno
	}
	return nil
}
