package directcache

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// recover opens the segments in order, checks that they form one unbroken
// log, rebuilds the index, removes prepared segments that were never used,
// and cleans the torn tail of the last segment.
func (w *WAL) recover() error {
	nums, err := listSegments(w.dir)
	if err != nil {
		return err
	}
	var used []*segment
	var unused []*segment
	defer func() {
		for _, seg := range unused {
			seg.f.Close() // closed again after removal: harmless
		}
	}()
	for _, num := range nums {
		seg, inUse, err := w.openSegment(num)
		if err != nil {
			return err
		}
		if !inUse {
			unused = append(unused, seg)
			continue
		}
		if len(unused) > 0 {
			seg.f.Close()
			return fmt.Errorf("%w: %s: offset 0: segment in use after unused segment %s",
				ErrCorrupt, seg.path, unused[0].path)
		}
		if err := checkFollows(used, seg); err != nil {
			seg.f.Close()
			return err
		}
		used = append(used, seg)
		w.index.add(seg, nil, seg.end)
	}
	if err := w.removeUnused(unused); err != nil {
		return err
	}
	w.nextIndex, w.nextNum = 1, 1
	if len(used) > 0 {
		w.active = used[len(used)-1]
		w.nextIndex, w.nextNum = w.active.last()+1, w.active.num+1
		w.end, err = w.cleanTail(w.active)
		return err
	}
	return nil
}

// openSegment opens segment num and scans its records. inUse is false for a
// prepared segment that was never written to (an all-zero header).
func (w *WAL) openSegment(num uint64) (seg *segment, inUse bool, err error) {
	path := filepath.Join(w.dir, segmentName(num))
	f, err := w.openSegmentFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, false, fmt.Errorf("wal: open %s: %w", path, err)
	}
	seg = &segment{num: num, path: path, f: f}
	header := make([]byte, segmentHeaderSize)
	n, err := f.ReadAt(header, 0)
	if err != nil && err != io.EOF {
		f.Close()
		return nil, false, fmt.Errorf("wal: read %s at offset 0: %w", path, err)
	}
	gotNum, first, unused, ok := decodeSegmentHeader(header[:n])
	if unused {
		// A zero header means "never used" only if the whole file is zeros.
		// A lost first block in front of records is damage, and deleting
		// the file as unused would silently drop acknowledged entries.
		if err := checkAllZero(f, path); err != nil {
			f.Close()
			return nil, false, err
		}
		return seg, false, nil
	}
	if !ok || gotNum != num {
		f.Close()
		return nil, false, fmt.Errorf("%w: %s: offset 0: bad segment header", ErrCorrupt, path)
	}
	seg.first = first
	if seg.offsets, seg.end, seg.dirtyTo, err = scanSegment(f, path); err != nil {
		f.Close()
		return nil, false, err
	}
	return seg, true, nil
}

// checkAllZero returns ErrCorrupt unless every byte of the file is zero.
func checkAllZero(f logFile, path string) error {
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("wal: stat %s: %w", path, err)
	}
	_, _, dirtyTo, err := scanAfter(f, 0, info.Size())
	if err != nil {
		return fmt.Errorf("wal: read %s: %w", path, err)
	}
	if dirtyTo > 0 {
		return fmt.Errorf("%w: %s: offset 0: zeroed segment header, but data follows up to offset %d",
			ErrCorrupt, path, dirtyTo)
	}
	return nil
}

// checkFollows checks that seg continues the log after the segments before
// it: the next number, starting at the next index, and the segment before
// it ended cleanly. Anything else means acknowledged entries are missing.
func checkFollows(before []*segment, seg *segment) error {
	if len(before) == 0 {
		return nil
	}
	prev := before[len(before)-1]
	switch {
	case seg.num != prev.num+1:
		return fmt.Errorf("%w: %s: offset 0: segment %d is missing", ErrCorrupt, seg.path, prev.num+1)
	case prev.dirtyTo > prev.end:
		return fmt.Errorf("%w: %s: offset %d: damaged record, and segment %d follows",
			ErrCorrupt, prev.path, prev.end, seg.num)
	case seg.first != prev.last()+1:
		return fmt.Errorf("%w: %s: offset 0: starts at entry %d, but %s ends at entry %d",
			ErrCorrupt, seg.path, seg.first, filepath.Base(prev.path), prev.last())
	}
	return nil
}

// scanSegment scans the records after the segment header. It returns their
// offsets, the end of the last valid one, and dirtyTo: the end of the last
// non-zero byte after it (equal to end when the rest is zeros). A valid
// record after damage is ErrCorrupt.
func scanSegment(f logFile, path string) (offsets []int64, end, dirtyTo int64, err error) {
	info, err := f.Stat()
	if err != nil {
		return nil, 0, 0, fmt.Errorf("wal: stat %s: %w", path, err)
	}
	size := info.Size()
	end = segmentHeaderSize
	r := bufio.NewReaderSize(io.NewSectionReader(f, end, size-end), 1<<20)
	var header [headerSize]byte
	var payload []byte
	for size-end >= headerSize {
		if _, err := io.ReadFull(r, header[:]); err != nil {
			return nil, 0, 0, fmt.Errorf("wal: read %s at offset %d: %w", path, end, err)
		}
		sum, length := decodeHeader(header[:])
		n, padding := payloadLength(length)
		if n > MaxEntrySize || end+headerSize+int64(n) > size {
			break
		}
		payload = resize(payload, int(n))
		if _, err := io.ReadFull(r, payload); err != nil {
			return nil, 0, 0, fmt.Errorf("wal: read %s at offset %d: %w", path, end, err)
		}
		if checksum(length, payload) != sum {
			break
		}
		if !padding {
			offsets = append(offsets, end)
		}
		end += headerSize + int64(n)
	}
	next, found, dirtyTo, err := scanAfter(f, end, size)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("wal: read %s after offset %d: %w", path, end, err)
	}
	if found {
		return nil, 0, 0, fmt.Errorf("%w: %s: offset %d: damaged record, but a valid record follows at offset %d",
			ErrCorrupt, path, end, next)
	}
	return offsets, end, dirtyTo, nil
}

// scanAfter looks at [from, size) after the last valid record. Normally it
// is all zeros (preallocated space), and the scan runs at memory speed.
// Otherwise it looks for a valid record starting anywhere after from: the
// difference between a torn tail (nothing valid follows) and damage in the
// middle of the log. dirtyTo is the end of the last non-zero byte.
func scanAfter(f io.ReaderAt, from, size int64) (next int64, found bool, dirtyTo int64, err error) {
	dirtyTo = from
	window := make([]byte, 1<<20)
	var record []byte
	for base := from; base < size; {
		n, err := f.ReadAt(window, base)
		if err != nil && err != io.EOF {
			return 0, false, 0, err
		}
		w := window[:n]
		if last := lastNonZero(w); last >= 0 {
			dirtyTo = max(dirtyTo, base+int64(last)+1)
		}
		for i := 0; i+headerSize <= len(w); i++ {
			if binary.LittleEndian.Uint64(w[i:]) == 0 {
				// An all-zero header is never a record: skip to the first
				// header that could hold a non-zero byte.
				i = max(i, firstNonZero(w, i+headerSize)-headerSize)
				continue
			}
			off := base + int64(i)
			_, length := decodeHeader(w[i:])
			n, _ := payloadLength(length)
			if n > MaxEntrySize || off+headerSize+int64(n) > size {
				continue // cannot be a record: it would not fit in the file
			}
			candidate := w[i:]
			if len(candidate) < headerSize+int(n) {
				record = resize(record, headerSize+int(n))
				if _, err := f.ReadAt(record, off); err != nil {
					return 0, false, 0, err
				}
				candidate = record
			}
			// Only an entry is evidence of data past the damage: a torn
			// group's own padding can survive it, and every group starts
			// with an entry.
			if _, _, ok := decodeRecord(candidate); ok {
				return off, true, dirtyTo, nil
			}
		}
		if n < len(window) {
			break
		}
		// The next window starts at the first position this one could not test.
		base += int64(n - headerSize + 1)
	}
	return 0, false, dirtyTo, nil
}

func firstNonZero(b []byte, from int) int {
	i := from
	for i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:]) == 0 {
		i += 8
	}
	for i < len(b) && b[i] == 0 {
		i++
	}
	return i
}

// lastNonZero returns the position of the last non-zero byte of b, or -1.
func lastNonZero(b []byte) int {
	i := len(b)
	for i >= 8 && binary.LittleEndian.Uint64(b[i-8:]) == 0 {
		i -= 8
	}
	for i > 0 && b[i-1] == 0 {
		i--
	}
	return i - 1
}

// cleanTail readies the active segment for appends and returns where the
// next group goes. It zeroes what a torn write left after the last valid
// record: appends overwrite that space, and zeroing it first means the
// leftovers of an unacknowledged write can never be read as records after
// later appends shorten the gap. And if the torn group's valid records end
// inside a block, it pads them to the block boundary, where the next group
// must start (O_DIRECT) and where a gap of zeros would end the log.
//
// This is the one place that rewrites bytes already on disk: those of the
// block holding the end of the valid records. They are rewritten with the
// bytes read from the disk, so a torn rewrite leaves each sector as it was
// or as it was again; and they belong to the group the crash tore, which
// was never acknowledged.
func (w *WAL) cleanTail(seg *segment) (int64, error) {
	padEnd := seg.end + paddingAfter(seg.end, w.block)
	if seg.dirtyTo <= seg.end && padEnd == seg.end {
		return seg.end, nil
	}
	start := roundDown(seg.end, w.block)
	buf := alignedBuffer(int(roundUp(max(seg.dirtyTo, padEnd), w.block) - start))
	kept := buf[:seg.end-start]
	if _, err := seg.f.ReadAt(kept, start); err != nil {
		return 0, fmt.Errorf("wal: read %s at offset %d: %w", seg.path, start, err)
	}
	if padEnd > seg.end {
		appendPadding(kept, int(padEnd-seg.end)) // in place: buf has the room
	}
	if err := w.writeAt(seg, buf, start); err != nil {
		return 0, err
	}
	return padEnd, w.datasync(seg)
}

// removeUnused deletes prepared segments that were never written to;
// prepareLoop makes fresh ones.
func (w *WAL) removeUnused(unused []*segment) error {
	if len(unused) == 0 {
		return nil
	}
	for _, seg := range unused {
		seg.f.Close()
		if err := os.Remove(seg.path); err != nil {
			return fmt.Errorf("wal: remove unused segment %s: %w", seg.path, err)
		}
	}
	return w.syncDir()
}

// resize returns b with length n, reusing its memory when it is big enough.
func resize(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	return b[:n]
}
