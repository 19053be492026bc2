//go:build broken_no_file_sync && !solution

package segment

import (
	"fmt"
	"path/filepath"

	"walworkshop/exercises/internal/crashfs"
)

// A broken variant, for the tests to catch: the file is renamed and the
// directory synced, but the zeros were never synced. After a power cut the
// segment's name is there and its contents are not (on ext4, an empty or
// short file): a half-prepared segment under its real name.
func Prepare(fsys crashfs.FS, path string, size int64) error {
	tmp := path + ".tmp"
	f, err := createZeroed(fsys, tmp, size)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("segment: close %s: %w", tmp, err)
	}
	if err := fsys.Rename(tmp, path); err != nil {
		return fmt.Errorf("segment: rename %s: %w", tmp, err)
	}
	if err := fsys.SyncDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("segment: fsync dir of %s: %w", path, err)
	}
	return nil
}
