package directcache

import "golang.org/x/sys/unix"

// allocateCall names what allocate does, for its errors.
const allocateCall = "fallocate"

// allocate reserves size bytes for f with fallocate(2), mode 0: the blocks
// are allocated and the file size becomes size; reading them gives zeros.
func allocate(f logFile, size int64) error {
	return unix.Fallocate(int(f.Fd()), 0, 0, size)
}
