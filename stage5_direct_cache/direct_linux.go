package directcache

import (
	"fmt"
	"io"
	"os"
	"strings"

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

// dsyncWrites: Linux has pwritev2 with RWF_DSYNC (since 4.7).
const dsyncWrites = true

// pwriteDsync writes p at off with RWF_DSYNC: the call returns once p is
// durable, as if the write were followed by fdatasync of its range.
func pwriteDsync(f *os.File, p []byte, off int64) (int, error) {
	n, err := unix.Pwritev2(int(f.Fd()), [][]byte{p}, off, unix.RWF_DSYNC)
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		return n, &os.PathError{Op: "pwritev2 RWF_DSYNC", Path: f.Name(), Err: err}
	}
	return n, nil
}

// deviceHasFUA reports whether the block device that holds dir advertises
// FUA writes, from sysfs: /sys/dev/block/MAJ:MIN/queue/fua for a whole
// disk, the same under its parent for a partition. Unknown counts as no.
func deviceHasFUA(dir string) bool {
	var st unix.Stat_t
	if err := unix.Stat(dir, &st); err != nil {
		return false
	}
	dev := fmt.Sprintf("/sys/dev/block/%d:%d", unix.Major(st.Dev), unix.Minor(st.Dev))
	for _, name := range []string{dev + "/queue/fua", dev + "/../queue/fua"} {
		if b, err := os.ReadFile(name); err == nil {
			return strings.TrimSpace(string(b)) == "1"
		}
	}
	return false
}
