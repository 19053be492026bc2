package waltest

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

func datasync(f *os.File) error { return unix.Fdatasync(int(f.Fd())) }

// rawWriteAt writes where O_DIRECT would refuse: the simulated damage (half
// a write, zeroed spans) is not aligned. A file opened with O_DIRECT is
// written through a second, buffered descriptor of the same file, opened
// through /proc/self/fd (the file may have been renamed since it was
// opened, so its name will not do).
func (f *FaultyFile) rawWriteAt(p []byte, off int64) (int, error) {
	flags, err := unix.FcntlInt(f.File.Fd(), unix.F_GETFL, 0)
	if err != nil || flags&unix.O_DIRECT == 0 {
		return f.File.WriteAt(p, off)
	}
	plain, err := os.OpenFile(fmt.Sprintf("/proc/self/fd/%d", f.File.Fd()), os.O_WRONLY, 0)
	if err != nil {
		return 0, err
	}
	defer plain.Close()
	return plain.WriteAt(p, off)
}
