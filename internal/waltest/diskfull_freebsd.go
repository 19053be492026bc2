package waltest

import "golang.org/x/sys/unix"

// fileSizeLimit is an RLIMIT_FSIZE of limit bytes; FreeBSD's rlim_t is
// signed.
func fileSizeLimit(limit uint64) *unix.Rlimit {
	return &unix.Rlimit{Cur: int64(limit), Max: int64(limit)}
}
