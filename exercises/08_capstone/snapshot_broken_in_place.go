//go:build broken_snapshot_in_place && !solution

package capstone

import (
	"fmt"
	"path/filepath"

	"walworkshop/exercises/internal/crashfs"
)

// A broken variant, for the tests to catch: the snapshot is written over
// the old one, in place, with no sync, no rename, no directory sync. A
// kill between the truncation Create does and the end of the write leaves
// no snapshot at all, only a short file; a power cut can leave the old
// snapshot's name with nothing behind it, while the log was already
// truncated on the strength of the new one.
func writeSnapshot(fsys crashfs.FS, dir string, index uint64, data map[string]string) error {
	path := filepath.Join(dir, snapshotName)
	f, err := fsys.Create(path)
	if err != nil {
		return fmt.Errorf("capstone: create %s: %w", path, err)
	}
	if _, err := f.Write(encodeSnapshot(index, data)); err != nil {
		f.Close()
		return fmt.Errorf("capstone: write %s: %w", path, err)
	}
	return f.Close()
}
