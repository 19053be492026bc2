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

// dsyncWrite: RWF_DSYNC is Linux's; the probe does not time it here.
func dsyncWrite() (string, func(f *os.File, block []byte, off int64) error) { return "", nil }

// deviceFUA: whether the device advertises FUA is read from Linux's sysfs
// only; unknown here.
func deviceFUA(string) (fua, from string) { return "", "" }
