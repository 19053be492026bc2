package directcache

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// datasync on macOS is fcntl F_FULLFSYNC, the only call there that makes
// data durable. fsync(2) (and fdatasync, which macOS also has) hands the
// data to the drive and returns: the drive may hold it in its volatile cache
// for seconds, and a power cut loses it. F_FULLFSYNC also asks the drive to
// flush that cache, and costs accordingly. Go's (*os.File).Sync uses it
// too, so the directory syncs are as strong. PostgreSQL's wal_sync_method =
// fsync_writethrough is the same call.
//
// F_BARRIERFSYNC is cheaper and tempting: it keeps the writes before it
// ahead of the writes after it, but it does not wait for them to be on
// stable storage. Order is not durability: an entry acknowledged after a
// barrier can still be lost, so it is not used here.
//
// Where the filesystem does not support F_FULLFSYNC (SMB shares answer
// ENOTSUP), fsync(2) is the strongest call there is: it is used, as Go's
// Sync does.
func datasync(f *os.File) error {
	_, err := unix.FcntlInt(f.Fd(), unix.F_FULLFSYNC, 0)
	if errors.Is(err, unix.ENOTSUP) {
		return unix.Fsync(int(f.Fd()))
	}
	return err
}
