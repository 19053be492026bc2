package directcache

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// FirstIndex is the index of the oldest entry: 1 unless TruncateFront
// dropped older segments.
func (w *WAL) FirstIndex() uint64 { return w.index.first() }

// LastIndex is the index of the newest durable entry, 0 when empty.
func (w *WAL) LastIndex() uint64 { return w.index.last() }

// Read returns a copy of entry i, read through the page cache (pages.go).
// The checksum is verified again, so damage that happened after Open is
// reported as ErrCorrupt, never as wrong bytes.
func (w *WAL) Read(i uint64) ([]byte, error) {
	if w.closed.Load() {
		return nil, ErrClosed
	}
	seg, off, ok := w.index.lookup(i)
	if !ok {
		return nil, fmt.Errorf("%w: %d (the log holds %d..%d)", ErrNotFound, i, w.FirstIndex(), w.LastIndex())
	}
	return w.readRecord(w.pageReader(seg, off), seg, off, i)
}

// Replay calls fn for every entry from index from (or the first entry, if
// from is smaller) to the last entry at the time of the call, in order. It
// reads each segment sequentially, skipping the padding between groups, and
// verifies every checksum. It bypasses the page cache: one pass over the
// whole log would only push out the pages Read callers come back to. With
// no kernel read-ahead under O_DIRECT it keeps its own (readahead.go), a
// few megabytes in flight while fn runs. An error from fn stops the replay
// and is returned.
//
// data is fn's to read until fn returns, not to keep: it points into the
// read-ahead's buffers, which the next reads overwrite. A caller that keeps
// an entry copies it. Copying every entry here would cost each one an
// allocation and a copy, for callers that mostly decode and drop it.
func (w *WAL) Replay(from uint64, fn func(index uint64, data []byte) error) error {
	if w.closed.Load() {
		return ErrClosed
	}
	for _, s := range w.index.since(from) {
		if err := w.replaySpan(s, fn); err != nil {
			return err
		}
	}
	return nil
}

// replaySpan replays the entries of one segment. The deferred Close waits
// for the reads in flight, however the replay ends.
func (w *WAL) replaySpan(s span, fn func(index uint64, data []byte) error) error {
	start := s.offsets[0]
	r := newReadAhead(s.seg.f, start, s.end, w.block, readAheadChunk, readAheadDepth)
	defer r.Close()
	pos := start
	for n, off := range s.offsets {
		if err := r.Discard(off - pos); err != nil { // padding
			return w.readError(s.seg, pos, err)
		}
		data, err := w.replayRecord(r, s.seg, off, s.first+uint64(n))
		if err != nil {
			return err
		}
		pos = off + headerSize + int64(len(data))
		if err := fn(s.first+uint64(n), data); err != nil {
			return err
		}
	}
	return nil
}

// replayRecord is readRecord for Replay: the record comes from the
// read-ahead, and its payload is returned in place, valid until r's next
// call.
func (w *WAL) replayRecord(r *readAhead, seg *segment, off int64, index uint64) ([]byte, error) {
	h, err := r.next(headerSize)
	if err != nil {
		return nil, w.readError(seg, off, err)
	}
	header := [headerSize]byte(h) // a copy: the payload's next call may reuse h
	length, err := entryLength(seg, off, &header)
	if err != nil {
		return nil, err
	}
	data, err := r.next(length)
	if err != nil {
		return nil, w.readError(seg, off, err)
	}
	if err := verifyRecord(seg, off, index, &header, data); err != nil {
		return nil, err
	}
	return data, nil
}

// readRecord reads the record that starts at offset off of seg from r and
// verifies it. It returns a copy of the payload. The segment and offset are
// only for error messages.
func (w *WAL) readRecord(r io.Reader, seg *segment, off int64, index uint64) ([]byte, error) {
	var header [headerSize]byte
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return nil, w.readError(seg, off, err)
	}
	length, err := entryLength(seg, off, &header)
	if err != nil {
		return nil, err
	}
	data := make([]byte, length)
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, w.readError(seg, off, err)
	}
	if err := verifyRecord(seg, off, index, &header, data); err != nil {
		return nil, err
	}
	return data, nil
}

// entryLength is the payload length header gives, refused beyond
// MaxEntrySize before anything is read or allocated for it.
func entryLength(seg *segment, off int64, header *[headerSize]byte) (int, error) {
	_, length, _ := decodeHeader(header[:])
	if length > MaxEntrySize {
		return 0, fmt.Errorf("%w: %s: offset %d: length %d", ErrCorrupt, seg.path, off, length)
	}
	return int(length), nil
}

// verifyRecord checks that header and data are a whole record, and that it
// is entry index: its checksum, and the index it holds.
func verifyRecord(seg *segment, off int64, index uint64, header *[headerSize]byte, data []byte) error {
	sum, _, rec := decodeHeader(header[:])
	if checksum(header[4:], data) != sum {
		return fmt.Errorf("%w: %s: offset %d: checksum mismatch", ErrCorrupt, seg.path, off)
	}
	if rec.index != index {
		return fmt.Errorf("%w: %s: offset %d: holds entry %d, want %d", ErrCorrupt, seg.path, off, rec.index, index)
	}
	return nil
}

// readError names the file and offset. A read racing with Close is
// ErrClosed; one racing with TruncateFront, which closes the segments it
// drops, is ErrNotFound.
func (w *WAL) readError(seg *segment, off int64, err error) error {
	if errors.Is(err, os.ErrClosed) {
		if w.closed.Load() {
			return ErrClosed
		}
		return fmt.Errorf("%w: segment %s was truncated away", ErrNotFound, seg.path)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %s: offset %d: record cut short", ErrCorrupt, seg.path, off)
	}
	return fmt.Errorf("wal: read %s at offset %d: %w", seg.path, off, err)
}
