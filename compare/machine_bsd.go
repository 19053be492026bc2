//go:build darwin || freebsd

package main

import "golang.org/x/sys/unix"

// filesystem names the filesystem type of dir, as statfs spells it (apfs,
// ufs, zfs, ...); tmpfs makes fsync free and every number here
// meaningless, so the report warns about it.
func filesystem(dir string) string {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return "unknown"
	}
	name := unix.ByteSliceToString(st.Fstypename[:])
	if name == "tmpfs" {
		return "tmpfs (fsync is free here: these numbers do not describe a disk)"
	}
	return name
}
