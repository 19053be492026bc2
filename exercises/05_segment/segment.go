//go:build !solution && !broken_no_dir_sync && !broken_no_file_sync && !broken_in_place

package segment

import (
	"errors"

	"walworkshop/exercises/internal/crashfs"
)

// errTODO is what every function returns until you write it.
var errTODO = errors.New("05_segment: not written yet (see README.md)")

// Prepare creates the segment file path, size bytes of zeros, so that a
// crash at any moment (a killed process or a power cut) leaves either no
// file named path or a complete one: never a half-prepared file under the
// segment's name. A leftover path+".tmp" is allowed; Open removes those.
//
// Write the zeros under path+".tmp", sync the file, close it, rename it to
// path, and sync path's directory (the rename is not durable before).
func Prepare(fsys crashfs.FS, path string, size int64) error {
	return errTODO
}

// FindEnd finds the end of the log in a segment's bytes: records
// (walrecord) from offset 0, then zeros. It returns end, the offset just
// past the last valid record, where the next record goes; and dirtyTo,
// the offset just past the last non-zero byte at or after end (end itself
// when only zeros follow), which recovery zeroes before appending, so that
// a torn write's leftovers can never be read as records later.
//
// If a valid record starts anywhere after end, the damage at end is not a
// torn tail: FindEnd returns an error wrapping ErrCorrupt that names the
// offset. Zeros never decode as a record: an all-zero header is not valid.
func FindEnd(seg []byte) (end, dirtyTo int, err error) {
	return 0, 0, errTODO
}
