package groupcommit

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
)

// FirstIndex is the index of the oldest entry: always 1 in this stage.
func (w *WAL) FirstIndex() uint64 { return 1 }

// LastIndex is the index of the newest durable entry, 0 when empty.
func (w *WAL) LastIndex() uint64 { return w.index.last() }

// Read returns a copy of entry i. The checksum is verified again, so damage
// that happened after Open is reported as ErrCorrupt, never as wrong bytes.
func (w *WAL) Read(i uint64) ([]byte, error) {
	if w.closed.Load() {
		return nil, ErrClosed
	}
	off, ok := w.index.lookup(i)
	if !ok {
		return nil, fmt.Errorf("%w: %d (last is %d)", ErrNotFound, i, w.index.last())
	}
	return w.readRecord(io.NewSectionReader(w.f, off, headerSize+MaxEntrySize), off, i)
}

// Replay calls fn for every entry from index from (or the first entry, if
// from is smaller) to the last entry at the time of the call, in order. It
// reads the file sequentially and verifies every checksum. An error from fn
// stops the replay and is returned.
func (w *WAL) Replay(from uint64, fn func(index uint64, data []byte) error) error {
	if w.closed.Load() {
		return ErrClosed
	}
	from = max(from, w.FirstIndex())
	offsets, end := w.index.since(from)
	if len(offsets) == 0 {
		return nil
	}
	r := bufio.NewReaderSize(io.NewSectionReader(w.f, offsets[0], end-offsets[0]), 1<<20)
	for n, off := range offsets {
		data, err := w.readRecord(r, off, from+uint64(n))
		if err != nil {
			return err
		}
		if err := fn(from+uint64(n), data); err != nil {
			return err
		}
	}
	return nil
}

// readRecord reads the record that starts at offset off from r and verifies
// it: its checksum, and that it is entry index. The offset is only for
// error messages.
func (w *WAL) readRecord(r io.Reader, off int64, index uint64) ([]byte, error) {
	var header [headerSize]byte
	if _, err := io.ReadFull(r, header[:]); err != nil {
		return nil, w.readError(off, err)
	}
	sum, length, rec := decodeHeader(header[:])
	if length > MaxEntrySize {
		return nil, fmt.Errorf("%w: %s: offset %d: length %d", ErrCorrupt, w.path, off, length)
	}
	data := make([]byte, length)
	if _, err := io.ReadFull(r, data); err != nil {
		return nil, w.readError(off, err)
	}
	if checksum(header[4:], data) != sum {
		return nil, fmt.Errorf("%w: %s: offset %d: checksum mismatch", ErrCorrupt, w.path, off)
	}
	if rec.index != index {
		return nil, fmt.Errorf("%w: %s: offset %d: holds entry %d, want %d", ErrCorrupt, w.path, off, rec.index, index)
	}
	return data, nil
}

// readError names the file and offset, and turns a read racing with Close
// into ErrClosed.
func (w *WAL) readError(off int64, err error) error {
	if errors.Is(err, os.ErrClosed) {
		return ErrClosed
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %s: offset %d: record cut short", ErrCorrupt, w.path, off)
	}
	return fmt.Errorf("wal: read %s at offset %d: %w", w.path, off, err)
}
