package groupcommit

import (
	"bufio"
	"fmt"
	"io"
)

// recoverLog scans the log from the start. It returns the offset of every
// valid record and the offset just past the last one: the place where the
// next record goes. Each record must carry the index that follows the one
// before it. Anything after the last such record is a torn tail, unless a
// record after the damage proves that the damaged entry had been durable:
// then the damage hit acknowledged data, and recoverLog returns ErrCorrupt.
func recoverLog(f logFile, path string) (offsets []int64, end int64, err error) {
	info, err := f.Stat()
	if err != nil {
		return nil, 0, fmt.Errorf("wal: stat %s: %w", path, err)
	}
	size := info.Size()
	r := bufio.NewReaderSize(io.NewSectionReader(f, 0, size), 1<<20)
	var header [headerSize]byte
	var payload []byte
	next := uint64(1) // the index the next record must carry
	for size-end >= headerSize {
		if _, err := io.ReadFull(r, header[:]); err != nil {
			return nil, 0, fmt.Errorf("wal: read %s at offset %d: %w", path, end, err)
		}
		sum, length, rec := decodeHeader(header[:])
		if !plausible(length, rec) || rec.index != next || end+headerSize+int64(length) > size {
			break
		}
		payload = resize(payload, int(length))
		if _, err := io.ReadFull(r, payload); err != nil {
			return nil, 0, fmt.Errorf("wal: read %s at offset %d: %w", path, end, err)
		}
		if checksum(header[4:], payload) != sum {
			break
		}
		offsets = append(offsets, end)
		end += headerSize + int64(length)
		next++
	}
	if end == size {
		return offsets, end, nil
	}
	proof, found, err := findProof(f, end, size, next)
	if err != nil {
		return nil, 0, fmt.Errorf("wal: read %s after offset %d: %w", path, end, err)
	}
	if found {
		return nil, 0, fmt.Errorf("%w: %s: offset %d: entry %d is damaged, but the record of entry %d at offset %d was written after entry %d was durable",
			ErrCorrupt, path, end, next, proof.rec.index, proof.off, proof.rec.durable)
	}
	return offsets, end, nil // a torn tail: the caller cuts it off
}

// A proof is a record, found after damage, that was written after the
// damaged entry had been made durable.
type proof struct {
	off int64
	rec record
}

// findProof looks in [from, size) for a record whose durable field is at
// least damaged, the index of the first entry recovery could not read.
//
// This is the difference between a torn tail and damage to acknowledged
// data. A crash, even a power cut that wrote pages back in any order, can
// only damage what no sync had covered yet. Every record written after
// entry d was durable says durable >= d. So if the damaged entry was never
// acknowledged, no record anywhere says durable >= damaged: whatever valid
// records follow the damage belong to the same unacknowledged writes, and
// cutting them loses nothing that was promised. If one does say it, the
// damaged entry had been acknowledged, and refusing to open is the only
// safe answer.
//
// It runs only when recovery found damage, so it may be slow: it tries
// every byte offset, and skips over the valid records it finds (a record
// inside a payload is payload, not log).
func findProof(f io.ReaderAt, from, size int64, damaged uint64) (proof, bool, error) {
	window := make([]byte, 1<<20)
	var long []byte
	for base := from; size-base >= headerSize; {
		n, err := f.ReadAt(window, base)
		if err != nil && err != io.EOF {
			return proof{}, false, err
		}
		if n < headerSize {
			break
		}
		w := window[:n]
		i := 0
		for ; i+headerSize <= len(w); i++ {
			_, length, h := decodeHeader(w[i:])
			off := base + int64(i)
			if !plausible(length, h) || off+headerSize+int64(length) > size {
				continue // cannot be a record
			}
			candidate := w[i:]
			if len(candidate) < headerSize+int(length) {
				long = resize(long, headerSize+int(length))
				if _, err := f.ReadAt(long, off); err != nil {
					return proof{}, false, err
				}
				candidate = long
			}
			rec, recSize, ok := decodeRecord(candidate)
			if !ok {
				continue
			}
			if rec.durable >= damaged {
				return proof{off: off, rec: rec}, true, nil
			}
			i += recSize - 1
		}
		// The next window starts at the first position this one did not test.
		base += int64(i)
	}
	return proof{}, false, nil
}

// resize returns b with length n, reusing its memory when it is big enough.
func resize(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	return b[:n]
}
