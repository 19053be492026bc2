//go:build solution

package direct

import (
	"fmt"

	"walworkshop/exercises/internal/walrecord"
)

// WriteGroup is stage 5's padToBlock and writeGroup. The buffer is sized
// before anything is appended to it: an append that outgrew it would move
// the records to a fresh, unaligned array, and O_DIRECT would refuse it.
func (w *Writer) WriteGroup(entries [][]byte) error {
	if len(entries) == 0 {
		return nil
	}
	size := int64(0)
	for _, data := range entries {
		size += int64(walrecord.Size(data))
	}
	total := size + PaddingAfter(size, w.block) // w.end is on a boundary
	if int64(cap(w.buf)) < total {
		buf, err := AlignedBuffer(int(total))
		if err != nil {
			return err
		}
		w.buf = buf
	}
	buf := w.buf[:0]
	for _, data := range entries {
		buf = walrecord.Append(buf, data)
	}
	if pad := total - size; pad > 0 {
		buf = walrecord.AppendPadding(buf, int(pad))
	}
	if _, err := w.f.WriteAt(buf, w.end); err != nil {
		return fmt.Errorf("direct: write of %d bytes at offset %d: %w", len(buf), w.end, err)
	}
	w.end += total
	return nil
}
