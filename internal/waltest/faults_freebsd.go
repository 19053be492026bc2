package waltest

import (
	"os"

	"golang.org/x/sys/unix"
)

// datasync is fsync(2) here: the stages call fdatasync by syscall number,
// and fsync syncs the same data and more, which is all these tests need.
func datasync(f *os.File) error { return f.Sync() }

// rawWriteAt writes where O_DIRECT might refuse: the simulated damage (half
// a write, zeroed spans) is not aligned. FreeBSD has no /proc/self/fd to
// reopen the file through, but it lets fcntl F_SETFL clear O_DIRECT on a
// descriptor: the write goes through the buffer cache, then O_DIRECT is set
// again. A WAL write racing with it loses nothing: it only goes buffered.
func (f *FaultyFile) rawWriteAt(p []byte, off int64) (int, error) {
	fd := f.File.Fd()
	flags, err := unix.FcntlInt(fd, unix.F_GETFL, 0)
	if err != nil || flags&unix.O_DIRECT == 0 {
		return f.File.WriteAt(p, off)
	}
	if _, err := unix.FcntlInt(fd, unix.F_SETFL, flags&^unix.O_DIRECT); err != nil {
		return 0, err
	}
	defer unix.FcntlInt(fd, unix.F_SETFL, flags)
	return f.File.WriteAt(p, off)
}
