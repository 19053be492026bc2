package directcache

import (
	"os"

	"golang.org/x/sys/unix"
)

// datasync is fdatasync(2). On Linux it flushes the drive's volatile write
// cache too (a cache flush, or FUA writes, unless the filesystem is mounted
// with barriers off): when it returns, the data survives a power cut.
func datasync(f *os.File) error { return unix.Fdatasync(int(f.Fd())) }
