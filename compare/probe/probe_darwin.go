package probe

import (
	"os"

	"golang.org/x/sys/unix"
)

// directIO names how this platform bypasses the page cache.
const directIO = "F_NOCACHE"

// syncCalls: on macOS F_FULLFSYNC makes a write durable, and is what the
// stages use. Plain fsync(2) is timed too: it returns once the drive has
// the data, in its volatile cache, and is often much faster. That gap is the lesson: "fsync returned" is not "on disk"
// on every platform. F_BARRIERFSYNC (ordering, not durability) is not
// timed: nothing here could use it in place of F_FULLFSYNC.
func syncCalls() (durable syncCall, undurable []syncCall) {
	full := func(f *os.File) error {
		_, err := unix.FcntlInt(f.Fd(), unix.F_FULLFSYNC, 0)
		return err
	}
	plain := func(f *os.File) error { return unix.Fsync(int(f.Fd())) }
	return syncCall{"F_FULLFSYNC", full}, []syncCall{{"fsync", plain}}
}

// openDirect opens name and sets F_NOCACHE: macOS has no O_DIRECT.
func openDirect(name string, flag int, perm os.FileMode) (*os.File, error) {
	f, err := os.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	if _, err := unix.FcntlInt(f.Fd(), unix.F_NOCACHE, 1); err != nil {
		f.Close()
		return nil, &os.PathError{Op: "fcntl F_NOCACHE", Path: name, Err: err}
	}
	return f, nil
}

// dsyncWrite: RWF_DSYNC is Linux's; the probe does not time it here.
func dsyncWrite() (string, func(f *os.File, block []byte, off int64) error) { return "", nil }

// deviceFUA: whether the device advertises FUA is read from Linux's sysfs
// only; unknown here.
func deviceFUA(string) (fua, from string) { return "", "" }
