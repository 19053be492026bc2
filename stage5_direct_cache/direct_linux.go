package directcache

import (
	"os"

	"golang.org/x/sys/unix"
)

// directIO names how this platform bypasses the page cache, for Open's
// messages.
const directIO = "O_DIRECT"

// openDirect opens name with O_DIRECT: from then on every read and write
// of the descriptor must be aligned, or fails with EINVAL.
func openDirect(open openFileFunc, name string, flag int, perm os.FileMode) (logFile, error) {
	return open(name, flag|unix.O_DIRECT, perm)
}

// queryDIOAlign asks statx for STATX_DIOALIGN (Linux 6.1 and later): the
// alignment the filesystem needs of file offsets and lengths, and of
// buffer addresses. An older kernel, or a filesystem that does not fill it
// in, returns no mask bit, and the caller falls back.
func queryDIOAlign(path string) (offset, mem uint32, err error) {
	var stx unix.Statx_t
	if err := unix.Statx(unix.AT_FDCWD, path, 0, unix.STATX_DIOALIGN, &stx); err != nil {
		return 0, 0, err
	}
	if stx.Mask&unix.STATX_DIOALIGN == 0 {
		return 0, 0, errNoAlignmentQuery
	}
	return stx.Dio_offset_align, stx.Dio_mem_align, nil
}
