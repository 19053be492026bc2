//go:build solution

package segment

import (
	"fmt"
	"path/filepath"

	"walworkshop/exercises/internal/crashfs"
)

// Prepare is etcd's file pipeline and stage 4's prepareSegment: build the
// file under a name recovery ignores, make its bytes durable, and only
// then give it its real name, durably. A crash before the rename leaves a
// .tmp file; after the directory sync, a complete segment; in between,
// either, depending on whether the directory entry reached the disk.
func Prepare(fsys crashfs.FS, path string, size int64) error {
	tmp := path + ".tmp"
	f, err := createZeroed(fsys, tmp, size)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil { // the zeros, and the file's size
		f.Close()
		return fmt.Errorf("segment: fsync %s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("segment: close %s: %w", tmp, err)
	}
	if err := fsys.Rename(tmp, path); err != nil {
		return fmt.Errorf("segment: rename %s: %w", tmp, err)
	}
	// The rename changed the directory, not the file: until the directory
	// is synced, a power cut can undo it.
	if err := fsys.SyncDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("segment: fsync dir of %s: %w", path, err)
	}
	return nil
}
