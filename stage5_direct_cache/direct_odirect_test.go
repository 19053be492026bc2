//go:build linux || freebsd

package directcache

import (
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

// openRefusingDirectIO opens files as a filesystem that refuses O_DIRECT
// does (tmpfs before Linux 6.6): EINVAL for any open that asks for it. On
// macOS, which has no O_DIRECT, direct_darwin_test.go does it its own way.
func openRefusingDirectIO(*testing.T) openFileFunc {
	return func(name string, flag int, perm os.FileMode) (logFile, error) {
		if flag&unix.O_DIRECT != 0 {
			return nil, &os.PathError{Op: "open", Path: name, Err: unix.EINVAL}
		}
		return openOSFile(name, flag, perm)
	}
}

// openForDirectIO reports whether f's descriptor carries O_DIRECT.
func openForDirectIO(t *testing.T, f logFile) bool {
	t.Helper()
	flags, err := unix.FcntlInt(f.Fd(), unix.F_GETFL, 0)
	if err != nil {
		t.Fatal(err)
	}
	return flags&unix.O_DIRECT != 0
}
