package probe

import (
	"os"

	"golang.org/x/sys/unix"
)

// directIO names how this platform bypasses the page cache.
const directIO = "O_DIRECT"

// syncCalls: on FreeBSD fdatasync(2), called by number (golang.org/x/sys
// has no wrapper), is the stages' sync; no weaker call is timed.
func syncCalls() (durable syncCall, undurable []syncCall) {
	return syncCall{"fdatasync", fdatasync}, nil
}

func fdatasync(f *os.File) error {
	_, _, errno := unix.Syscall(unix.SYS_FDATASYNC, f.Fd(), 0, 0)
	if errno != 0 {
		return errno
	}
	return nil
}

func openDirect(name string, flag int, perm os.FileMode) (*os.File, error) {
	return os.OpenFile(name, flag|unix.O_DIRECT, perm)
}
