package probe

import (
	"os"

	"golang.org/x/sys/unix"
)

// directIO names how this platform bypasses the page cache.
const directIO = "O_DIRECT"

// syncCalls: on Linux fdatasync(2) makes a write durable, drive cache
// included; there is no weaker call worth timing next to it.
func syncCalls() (durable syncCall, undurable []syncCall) {
	return syncCall{"fdatasync", func(f *os.File) error { return unix.Fdatasync(int(f.Fd())) }}, nil
}

func openDirect(name string, flag int, perm os.FileMode) (*os.File, error) {
	return os.OpenFile(name, flag|unix.O_DIRECT, perm)
}
