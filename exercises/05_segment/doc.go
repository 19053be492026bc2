// Package segment is exercise 05: stage 4's preallocated segment, made
// crash-safely, and the scan that finds where the log ends inside it.
//
// Stage 4 writes records into files that were zero-filled and synced
// before use, so that fdatasync has no file size or block allocation to
// commit. Two things must then hold. A segment must never appear under its
// name half-prepared, whatever moment the power is cut: it is prepared
// under a temporary name and renamed into place, and the rename counts
// only once the directory is synced. And recovery must find the end of the
// log in the zeros: an all-zero header is never a record, and a torn tail
// (bytes after the last valid record) must be told from damage before
// acknowledged records.
//
// You write Prepare and FindEnd in segment.go, against crashfs.FS: the
// tests run them on the real file system and on crashfs.Mem, which knows
// what a power cut keeps. README.md has the steps.
package segment

import "errors"

// ErrCorrupt is returned (wrapped) by FindEnd for damage that a valid
// record follows.
var ErrCorrupt = errors.New("segment: corrupt segment")
