//go:build broken_in_place && !solution

package segment

import (
	"fmt"
	"path/filepath"

	"walworkshop/exercises/internal/crashfs"
)

// A broken variant, for the tests to catch: the segment is zero-filled
// under its real name, synced, and its directory synced. Once Prepare
// returns it is all right; a crash while it runs leaves a short segment
// under the real name, which recovery cannot tell from a damaged one.
func Prepare(fsys crashfs.FS, path string, size int64) error {
	f, err := createZeroed(fsys, path, size)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("segment: fsync %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("segment: close %s: %w", path, err)
	}
	if err := fsys.SyncDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("segment: fsync dir of %s: %w", path, err)
	}
	return nil
}
