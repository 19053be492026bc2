//go:build solution || broken_no_dir_sync || broken_no_file_sync || broken_in_place

package segment

import (
	"fmt"

	"walworkshop/exercises/internal/crashfs"
)

// zeroChunk is how much of a segment one write zero-fills.
const zeroChunk = 256 << 10

// createZeroed creates name and writes size zero bytes into it. The file
// is left open, unsynced: the caller decides what makes it durable.
func createZeroed(fsys crashfs.FS, name string, size int64) (crashfs.File, error) {
	f, err := fsys.Create(name)
	if err != nil {
		return nil, fmt.Errorf("segment: create %s: %w", name, err)
	}
	zeros := make([]byte, min(size, zeroChunk))
	for off := int64(0); off < size; off += int64(len(zeros)) {
		chunk := zeros[:min(int64(len(zeros)), size-off)]
		if _, err := f.Write(chunk); err != nil {
			f.Close()
			return nil, fmt.Errorf("segment: zero-fill %s at offset %d: %w", name, off, err)
		}
	}
	return f, nil
}
