package prealloc

import "fmt"

// Rotation: when the next batch does not fit in the active segment, the
// pending group moves to a new segment. A group never spans two segments,
// so enqueue first waits until the pending group has been taken.

// encodedSize is how many bytes entries take on disk.
func encodedSize(entries [][]byte) int64 {
	n := int64(0)
	for _, data := range entries {
		n += headerSize + int64(len(data))
	}
	return n
}

// mustRotate reports whether need more bytes must go to a new segment. A
// segment with no record yet takes any batch: one larger than a segment gets
// a segment of its own, which grows past SegmentSize. Callers hold mu.
func (w *WAL) mustRotate(need int64) bool {
	if w.active == nil {
		return true
	}
	return w.end > segmentHeaderSize && w.end+need > w.opts.SegmentSize
}

// rotate starts the next segment for the pending group, which is empty. Its
// file is handed over by the preparer when the group is written. Callers
// hold mu.
func (w *WAL) rotate() {
	num := w.nextNum
	if w.active != nil {
		num = w.active.num + 1
	}
	seg := &segment{num: num, first: w.nextIndex}
	w.active, w.end = seg, segmentHeaderSize
	g := w.pending
	g.seg, g.writeOff = seg, 0
	g.buf = append(g.buf[:0], encodeSegmentHeader(num, w.nextIndex)...)
}

// activate gives seg the file the preparer made ready for it, waiting if
// the preparation has not finished. Called under writeMu, so segments are
// activated in order.
func (w *WAL) activate(seg *segment) error {
	p := w.prep.take()
	if p.err != nil {
		return p.err
	}
	seg.f, seg.path = p.f, p.path
	if p.num != seg.num {
		return fmt.Errorf("wal: prepared segment %d, but segment %d is next", p.num, seg.num)
	}
	return nil
}
