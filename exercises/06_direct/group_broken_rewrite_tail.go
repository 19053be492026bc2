//go:build broken_rewrite_tail && !solution

package direct

import (
	"fmt"

	"walworkshop/exercises/internal/walrecord"
)

// A broken variant, for the tests to catch: no padding; instead each
// group starts at the block the previous one ended in, rewriting that
// block's acknowledged bytes along with the new records. Every write is
// aligned and O_DIRECT takes it. But a torn write of the rewritten block
// (a power cut mid-write; devices promise no atomicity above a sector, and
// often not that) damages records acknowledged long ago.
type Writer struct {
	f     WriterAt
	block int64
	end   int64  // where the next record goes: anywhere in a block
	tail  []byte // the bytes of the last, partly filled block
}

func NewWriter(f WriterAt, block int64) (*Writer, error) {
	if err := checkBlock(block); err != nil {
		return nil, err
	}
	return &Writer{f: f, block: block}, nil
}

func (w *Writer) WriteGroup(entries [][]byte) error {
	if len(entries) == 0 {
		return nil
	}
	records := append([]byte(nil), w.tail...)
	for _, data := range entries {
		records = walrecord.Append(records, data)
	}
	start := w.end - int64(len(w.tail))
	total := roundUp(int64(len(records)), w.block)
	buf, err := AlignedBuffer(int(total))
	if err != nil {
		return err
	}
	copy(buf, records) // zeros after the records, up to the block
	if _, err := w.f.WriteAt(buf, start); err != nil {
		return fmt.Errorf("direct: write at offset %d: %w", start, err)
	}
	w.end = start + int64(len(records))
	w.tail = records[len(records)-int(w.end%w.block):]
	return nil
}
