package directcache

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// openRefusingDirectIO opens files as a filesystem that refuses direct I/O
// would. On macOS F_NOCACHE is set by fcntl after the open, out of reach of
// an openFileFunc, so it refuses the open of the probe file instead, with
// the EINVAL the probe's F_NOCACHE would return.
func openRefusingDirectIO(*testing.T) openFileFunc {
	return func(name string, flag int, perm os.FileMode) (logFile, error) {
		if strings.HasSuffix(name, probeName) {
			return nil, &os.PathError{Op: "fcntl F_NOCACHE", Path: name, Err: unix.EINVAL}
		}
		return openOSFile(name, flag, perm)
	}
}

// openForDirectIO would report whether f has F_NOCACHE set, but macOS has
// no fcntl that reads it back.
func openForDirectIO(t *testing.T, _ logFile) bool {
	t.Skip("macOS: F_NOCACHE cannot be read back from a descriptor")
	return false
}
