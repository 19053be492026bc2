package groupcommit

import (
	"bufio"
	"fmt"
	"io"
)

// recoverLog scans the log from the start. It returns the offset of every
// valid record and the offset just past the last one: the place where the
// next record goes. Anything after that offset is a torn tail; if a valid
// record hides behind the damage instead, it returns ErrCorrupt.
func recoverLog(f logFile, path string) (offsets []int64, end int64, err error) {
	info, err := f.Stat()
	if err != nil {
		return nil, 0, fmt.Errorf("wal: stat %s: %w", path, err)
	}
	size := info.Size()
	r := bufio.NewReaderSize(io.NewSectionReader(f, 0, size), 1<<20)
	var header [headerSize]byte
	var payload []byte
	for size-end >= headerSize {
		if _, err := io.ReadFull(r, header[:]); err != nil {
			return nil, 0, fmt.Errorf("wal: read %s at offset %d: %w", path, end, err)
		}
		sum, length := decodeHeader(header[:])
		if length > MaxEntrySize || end+headerSize+int64(length) > size {
			break
		}
		payload = resize(payload, int(length))
		if _, err := io.ReadFull(r, payload); err != nil {
			return nil, 0, fmt.Errorf("wal: read %s at offset %d: %w", path, end, err)
		}
		if checksum(length, payload) != sum {
			break
		}
		offsets = append(offsets, end)
		end += headerSize + int64(length)
	}
	if end == size {
		return offsets, end, nil
	}
	next, found, err := findRecord(f, end+1, size)
	if err != nil {
		return nil, 0, fmt.Errorf("wal: read %s after offset %d: %w", path, end, err)
	}
	if found {
		return nil, 0, fmt.Errorf("%w: %s: offset %d: damaged record, but a valid record follows at offset %d",
			ErrCorrupt, path, end, next)
	}
	return offsets, end, nil // a torn tail: the caller cuts it off
}

// findRecord looks for a valid record starting anywhere in [from, size).
// It is the difference between a torn tail (nothing valid follows the
// damage: an unacknowledged write was cut short) and corruption in the
// middle of the log (acknowledged records follow: refusing is the only safe
// answer). It runs only when recovery found damage, so it may be slow.
func findRecord(f io.ReaderAt, from, size int64) (int64, bool, error) {
	window := make([]byte, 1<<20)
	var record []byte
	for base := from; size-base >= headerSize; {
		n, err := f.ReadAt(window, base)
		if err != nil && err != io.EOF {
			return 0, false, err
		}
		w := window[:n]
		for i := 0; i+headerSize <= len(w); i++ {
			_, length := decodeHeader(w[i:])
			off := base + int64(i)
			if length > MaxEntrySize || off+headerSize+int64(length) > size {
				continue // cannot be a record: it would not fit in the file
			}
			candidate := w[i:]
			if len(candidate) < headerSize+int(length) {
				record = resize(record, headerSize+int(length))
				if _, err := f.ReadAt(record, off); err != nil {
					return 0, false, err
				}
				candidate = record
			}
			if _, _, ok := decodeRecord(candidate); ok {
				return off, true, nil
			}
		}
		// The next window starts at the first position this one could not test.
		base += int64(len(w) - headerSize + 1)
	}
	return 0, false, nil
}

// resize returns b with length n, reusing its memory when it is big enough.
func resize(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	return b[:n]
}
