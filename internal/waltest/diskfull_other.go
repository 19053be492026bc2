//go:build !freebsd

package waltest

import "golang.org/x/sys/unix"

// fileSizeLimit is an RLIMIT_FSIZE of limit bytes (Linux and macOS; the
// FreeBSD one is in diskfull_freebsd.go).
func fileSizeLimit(limit uint64) *unix.Rlimit {
	return &unix.Rlimit{Cur: limit, Max: limit}
}
