//go:build broken_no_dir_sync && !solution

package segment

import (
	"fmt"

	"walworkshop/exercises/internal/crashfs"
)

// A broken variant, for the tests to catch: no directory sync after the
// rename. Prepare returns, the writer appends into the segment, fsyncs it
// and acknowledges; a power cut then takes the rename back, and with it
// the segment and every entry acknowledged in it. A killed process would
// not show it: only a power cut forgets an unsynced directory entry.
func Prepare(fsys crashfs.FS, path string, size int64) error {
	tmp := path + ".tmp"
	f, err := createZeroed(fsys, tmp, size)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("segment: fsync %s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("segment: close %s: %w", tmp, err)
	}
	if err := fsys.Rename(tmp, path); err != nil {
		return fmt.Errorf("segment: rename %s: %w", tmp, err)
	}
	return nil
}
