//go:build solution || broken_truncate_first

package capstone

import (
	"fmt"
	"path/filepath"

	"walworkshop/exercises/internal/crashfs"
)

// writeSnapshot replaces dir/snapshot with the snapshot of data as of
// index, so that a crash at any moment leaves the old snapshot or the new
// one, whole: written under a temporary name and synced (the bytes), then
// renamed over the old one (atomic), then the directory synced (the rename
// survives a power cut only from then on). Exercise 05 in one function.
func writeSnapshot(fsys crashfs.FS, dir string, index uint64, data map[string]string) error {
	path := filepath.Join(dir, snapshotName)
	tmp := path + ".tmp"
	f, err := fsys.Create(tmp)
	if err != nil {
		return fmt.Errorf("capstone: create %s: %w", tmp, err)
	}
	if _, err := f.Write(encodeSnapshot(index, data)); err != nil {
		f.Close()
		return fmt.Errorf("capstone: write %s: %w", tmp, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("capstone: fsync %s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("capstone: close %s: %w", tmp, err)
	}
	if err := fsys.Rename(tmp, path); err != nil {
		return fmt.Errorf("capstone: rename %s: %w", tmp, err)
	}
	if err := fsys.SyncDir(dir); err != nil {
		return fmt.Errorf("capstone: fsync dir %s: %w", dir, err)
	}
	return nil
}
