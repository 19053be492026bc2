package prealloc

import (
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// allocateCall names what allocate does, for its errors.
const allocateCall = "posix_fallocate"

// allocate reserves size bytes for f with posix_fallocate(2): the blocks
// are allocated and the file size becomes size, as with Linux's fallocate.
// golang.org/x/sys has the syscall number but no wrapper, so it is called
// by number; the offset and length each pass in one register, which holds
// on the 64-bit platforms the kit supports.
//
// ZFS cannot reserve blocks (every write allocates anew) and answers
// EINVAL: the error says so, and PreallocZero is the option to use there.
func allocate(f logFile, size int64) error {
	if unsafe.Sizeof(uintptr(0)) < 8 {
		return errors.New("posix_fallocate is only called on 64-bit platforms here")
	}
	r, _, errno := unix.Syscall(unix.SYS_POSIX_FALLOCATE, f.Fd(), 0, uintptr(size))
	if errno == 0 && r != 0 {
		// posix_fallocate returns its error rather than setting errno.
		errno = unix.Errno(r)
	}
	switch {
	case errno == unix.EINVAL || errno == unix.EOPNOTSUPP:
		return fmt.Errorf("%w: this filesystem cannot preallocate (ZFS cannot); use PreallocZero", errno)
	case errno != 0:
		return errno
	}
	return nil
}
