package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// forgetPages drops the kernel's cached pages of f (posix_fadvise
// DONTNEED), so the next read of them goes to the disk.
func forgetPages(f *os.File) error {
	return unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED)
}
