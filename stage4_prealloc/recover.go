package prealloc

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// recover opens the segments in order, rebuilds the index from the records
// that form one unbroken log, and repairs what a crash left after them.
//
// The log is broken where a segment's records stop before its zeros do,
// where a segment does not follow the one before it (a number or an index
// missing, a header damaged, data in a segment whose header is zeros), or
// at the end. Up to the break, every segment is kept. What lies after it
// was never acknowledged unless a record there says so (findProof); then
// the break is damage to acknowledged data, and Open returns ErrCorrupt.
// Otherwise the break is a torn tail: the rest of its segment is zeroed,
// the segments after it are removed, and appends continue at the break.
func (w *WAL) recover() error {
	nums, err := listSegments(w.dir)
	if err != nil {
		return err
	}
	var segs []*segment
	kept := 0 // segs[:kept] are the log
	defer func() {
		for _, seg := range segs[kept:] {
			seg.f.Close() // closed again after removal: harmless
		}
	}()
	for _, num := range nums {
		seg, err := w.openSegment(num)
		if err != nil {
			return err
		}
		segs = append(segs, seg)
	}
	b := findBreak(segs)
	kept = b.kept
	if b.damaged != 0 {
		if err := findProofAfter(b, segs); err != nil {
			return err
		}
	}
	for _, seg := range segs[:kept] {
		// What the log keeps may be what a killed process wrote and never
		// synced: it is in the page cache, not yet on the disk. Sync it
		// before anything new is written that counts on it being durable.
		if err := w.datasync(seg); err != nil {
			return err
		}
		w.index.add(seg, nil, seg.end)
	}
	if err := w.removeSegments(segs[kept:]); err != nil {
		return err
	}
	w.nextIndex, w.nextNum = 1, 1
	if kept > 0 {
		w.active = segs[kept-1]
		w.end, w.nextIndex, w.nextNum = w.active.end, w.active.last()+1, w.active.num+1
		return w.cleanTail(w.active)
	}
	return nil
}

// A logBreak is where the unbroken log ends.
type logBreak struct {
	kept int // how many segments, from the first, hold the log
	// damaged is the index the log expected where it broke, or 0 if it
	// ended cleanly (in zeros, followed only by unused segments).
	damaged uint64
	path    string // the file and offset of the break, for the error
	off     int64
	why     string
}

// findBreak walks the opened segments and returns where the log breaks.
func findBreak(segs []*segment) logBreak {
	var prev *segment
	for i, seg := range segs {
		next := uint64(1) // the first segment of a new log starts at 1
		if prev != nil {
			next = prev.last() + 1
		}
		b := logBreak{kept: i, damaged: next, path: seg.path}
		switch {
		case seg.unused && seg.dirtyTo == 0:
			if anyInUse(segs[i+1:]) {
				b.why = "a segment whose header is zeros comes before one in use"
				return b
			}
			return logBreak{kept: i} // prepared segments never used
		case seg.unused:
			b.why = "zeroed segment header, but data follows"
			return b
		case !seg.headerOK:
			b.why = "bad segment header"
			return b
		case prev != nil && seg.num != prev.num+1:
			b.why = fmt.Sprintf("segment %d is missing", prev.num+1)
			return b
		case prev != nil && seg.first != next:
			b.why = fmt.Sprintf("starts at entry %d, but %s ends at entry %d", seg.first, filepath.Base(prev.path), prev.last())
			return b
		case seg.dirtyTo > seg.end:
			return logBreak{kept: i + 1, damaged: seg.last() + 1, path: seg.path, off: seg.end, why: "damaged record"}
		}
		prev = seg
	}
	return logBreak{kept: len(segs)}
}

func anyInUse(segs []*segment) bool {
	for _, seg := range segs {
		if !seg.unused || seg.dirtyTo > 0 {
			return true
		}
	}
	return false
}

// findProofAfter looks for a record, after the break, that was written once
// the entry the break lost was durable, and returns ErrCorrupt if it finds
// one. A crash can only damage what no sync covered, and every record
// written after entry d was durable says durable >= d: so without such a
// record nothing after the break was ever acknowledged, and cutting it
// loses nothing that was promised.
func findProofAfter(b logBreak, segs []*segment) error {
	for i, seg := range segs {
		from := int64(0)
		switch {
		case i < b.kept-1:
			continue
		case i == b.kept-1:
			from = seg.end // the break is inside this kept segment
		}
		info, err := seg.f.Stat()
		if err != nil {
			return fmt.Errorf("wal: stat %s: %w", seg.path, err)
		}
		p, found, _, err := scanAfter(seg.f, from, info.Size(), b.damaged)
		if err != nil {
			return fmt.Errorf("wal: read %s after offset %d: %w", seg.path, from, err)
		}
		if found {
			return fmt.Errorf("%w: %s: offset %d: %s at entry %d, but the record of entry %d in %s at offset %d was written after entry %d was durable",
				ErrCorrupt, b.path, b.off, b.why, b.damaged, p.rec.index, filepath.Base(seg.path), p.off, p.rec.durable)
		}
	}
	return nil
}

// openSegment opens segment num, reads its header and, if it is in use,
// scans its records.
func (w *WAL) openSegment(num uint64) (*segment, error) {
	path := filepath.Join(w.dir, segmentName(num))
	f, err := w.openFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("wal: open %s: %w", path, err)
	}
	seg := &segment{num: num, path: path, f: f}
	header := make([]byte, segmentHeaderSize)
	n, err := f.ReadAt(header, 0)
	if err != nil && err != io.EOF {
		f.Close()
		return nil, fmt.Errorf("wal: read %s at offset 0: %w", path, err)
	}
	gotNum, first, unused, ok := decodeSegmentHeader(header[:n])
	seg.unused, seg.headerOK = unused, ok && gotNum == num
	err = nil // a file shorter than a header is a bad header, not a failed read
	if seg.unused {
		// A zero header means "never used" only if the whole file is zeros.
		seg.dirtyTo, err = dirtyEnd(f, 0)
	} else if seg.headerOK {
		seg.first = first
		seg.offsets, seg.end, seg.dirtyTo, err = scanSegment(f, first)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("wal: read %s: %w", path, err)
	}
	return seg, nil
}

// dirtyEnd returns the end of the last non-zero byte of f after from, or
// from if there is none.
func dirtyEnd(f logFile, from int64) (int64, error) {
	info, err := f.Stat()
	if err != nil {
		return 0, err
	}
	_, _, dirtyTo, err := scanAfter(f, from, info.Size(), 0)
	return dirtyTo, err
}

// scanSegment scans the records after the segment header; the first must
// be entry first, and each the entry after the one before it. It returns
// their offsets, the end of the last valid one, and dirtyTo: the end of the
// last non-zero byte after it (equal to end when the rest is zeros).
func scanSegment(f logFile, first uint64) (offsets []int64, end, dirtyTo int64, err error) {
	info, err := f.Stat()
	if err != nil {
		return nil, 0, 0, err
	}
	size := info.Size()
	end = segmentHeaderSize
	r := bufio.NewReaderSize(io.NewSectionReader(f, end, size-end), 1<<20)
	var header [headerSize]byte
	var payload []byte
	for next := first; size-end >= headerSize; next++ {
		if _, err := io.ReadFull(r, header[:]); err != nil {
			return nil, 0, 0, fmt.Errorf("offset %d: %w", end, err)
		}
		sum, length, rec := decodeHeader(header[:])
		if !plausible(length, rec) || rec.index != next || end+headerSize+int64(length) > size {
			break
		}
		payload = resize(payload, int(length))
		if _, err := io.ReadFull(r, payload); err != nil {
			return nil, 0, 0, fmt.Errorf("offset %d: %w", end, err)
		}
		if checksum(header[4:], payload) != sum {
			break
		}
		offsets = append(offsets, end)
		end += headerSize + int64(length)
	}
	dirtyTo, err = dirtyEnd(f, end)
	return offsets, end, dirtyTo, err
}

// A proof is a record, found after damage, that was written after the
// damaged entry had been made durable.
type proof struct {
	off int64
	rec record
}

// scanAfter looks at [from, size) after the last valid record. Normally it
// is all zeros (preallocated space), and the scan runs at memory speed.
// Otherwise it tries every byte offset for a record whose durable field is
// at least damaged (0: look for none), skipping over the valid records it
// finds (a record inside a payload is payload, not log). dirtyTo is the
// end of the last non-zero byte, or from.
func scanAfter(f io.ReaderAt, from, size int64, damaged uint64) (p proof, found bool, dirtyTo int64, err error) {
	dirtyTo = from
	window := make([]byte, 1<<20)
	var long []byte
	for base := from; base < size; {
		n, err := f.ReadAt(window, base)
		if err != nil && err != io.EOF {
			return proof{}, false, 0, err
		}
		w := window[:n]
		if last := lastNonZero(w); last >= 0 {
			dirtyTo = max(dirtyTo, base+int64(last)+1)
		}
		i := 0
		for ; damaged > 0 && i+headerSize <= len(w); i++ {
			if binary.LittleEndian.Uint64(w[i:]) == 0 {
				// A record's header holds a non-zero index: no record
				// starts where the next headerSize bytes are all zeros.
				// Skip to the first start that could hold one.
				if j := firstNonZero(w, i); j-i >= headerSize {
					i = j - headerSize
					continue
				}
			}
			off := base + int64(i)
			_, length, h := decodeHeader(w[i:])
			if !plausible(length, h) || off+headerSize+int64(length) > size {
				continue // cannot be a record
			}
			candidate := w[i:]
			if len(candidate) < headerSize+int(length) {
				long = resize(long, headerSize+int(length))
				if _, err := f.ReadAt(long, off); err != nil {
					return proof{}, false, 0, err
				}
				candidate = long
			}
			rec, recSize, ok := decodeRecord(candidate)
			if !ok {
				continue
			}
			if rec.durable >= damaged {
				return proof{off: off, rec: rec}, true, dirtyTo, nil
			}
			i += recSize - 1
		}
		if n < len(window) || n < headerSize {
			break
		}
		// The next window starts at the first position this one did not
		// test, or right after it when nothing was tested.
		base += max(int64(i), int64(n-headerSize+1))
	}
	return proof{}, false, dirtyTo, nil
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

// cleanTail zeroes what a torn write left after the last valid record of
// the active segment. Appends overwrite that space; zeroing it first means
// the leftovers of an unacknowledged write can never be read as records
// after later appends shorten the gap.
func (w *WAL) cleanTail(seg *segment) error {
	if seg.dirtyTo <= seg.end {
		return nil
	}
	if err := w.writeAt(seg, make([]byte, seg.dirtyTo-seg.end), seg.end); err != nil {
		return err
	}
	return w.datasync(seg)
}

// removeSegments deletes the segments after the log: prepared segments
// never written to (prepareLoop makes fresh ones), and those a torn tail
// left behind, which hold only entries nobody was told were durable. One
// directory sync covers them all: if a crash keeps some of them, the next
// Open finds them after the log again and removes them again.
func (w *WAL) removeSegments(segs []*segment) error {
	if len(segs) == 0 {
		return nil
	}
	for _, seg := range segs {
		seg.f.Close()
		if err := os.Remove(seg.path); err != nil {
			return fmt.Errorf("wal: remove segment %s after the log: %w", seg.path, err)
		}
	}
	return w.syncDir(w.dir)
}

// resize returns b with length n, reusing its memory when it is big enough.
func resize(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	return b[:n]
}
