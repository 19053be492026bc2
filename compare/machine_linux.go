package main

import "golang.org/x/sys/unix"

// filesystem names the filesystem type of dir; tmpfs makes fsync free and
// every number here meaningless, so the report warns about it.
func filesystem(dir string) string {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return "unknown"
	}
	switch st.Type {
	case unix.EXT4_SUPER_MAGIC:
		return "ext2/3/4"
	case unix.XFS_SUPER_MAGIC:
		return "xfs"
	case unix.BTRFS_SUPER_MAGIC:
		return "btrfs"
	case unix.TMPFS_MAGIC:
		return "tmpfs (fsync is free here: these numbers do not describe a disk)"
	}
	return "other"
}
