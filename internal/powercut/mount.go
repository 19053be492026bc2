package powercut

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fuse"
)

// ErrUnavailable says that this machine cannot mount the filesystem: it is
// not Linux, it has no /dev/fuse, or this process may not mount.
var ErrUnavailable = errors.New("powercut: cannot mount a FUSE filesystem here")

// Mount mounts fs on dir, an existing directory, and serves it until
// unmount is called. It calls mount(2) itself, as fusermount would (which
// this needs no more): that takes root, or CAP_SYS_ADMIN.
//
// Locks are left to the kernel: without FUSE_FLOCK_LOCKS and
// FUSE_POSIX_LOCKS, flock and fcntl locks on the mount work, between the
// processes of this machine, without the filesystem hearing of them.
func (fs *FS) Mount(dir string) (unmount func() error, err error) {
	if runtime.GOOS != "linux" {
		return nil, fmt.Errorf("%w: it needs Linux, and this is %s", ErrUnavailable, runtime.GOOS)
	}
	if _, err := os.Stat("/dev/fuse"); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	server, err := fuse.NewServer(fs, dir, &fuse.MountOptions{
		DirectMountStrict:  true,
		DisableReadDirPlus: true, // ReadDir suffices; Lookup gives the attributes
		FsName:             "powercut",
		Name:               "powercut",
	})
	if errors.Is(err, syscall.EPERM) || errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.ENODEV) {
		return nil, fmt.Errorf("%w: mount %s: %v (mounting takes root or CAP_SYS_ADMIN, and the fuse module)", ErrUnavailable, dir, err)
	}
	if err != nil {
		return nil, fmt.Errorf("powercut: mount %s: %w", dir, err)
	}
	go server.Serve()
	if err := server.WaitMount(); err != nil {
		server.Unmount()
		return nil, fmt.Errorf("powercut: mount %s: %w", dir, err)
	}
	return server.Unmount, nil
}
