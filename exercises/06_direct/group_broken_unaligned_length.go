//go:build broken_unaligned_length && !solution

package direct

import (
	"fmt"

	"walworkshop/exercises/internal/walrecord"
)

// A broken variant, for the tests to catch: the group is written as it
// is, without padding. The buffer is aligned, but the length is not a
// whole number of blocks, and the next group starts mid-block: O_DIRECT
// answers EINVAL, and without O_DIRECT the next write would rewrite the
// block this one ended in.
func (w *Writer) WriteGroup(entries [][]byte) error {
	if len(entries) == 0 {
		return nil
	}
	size := 0
	for _, data := range entries {
		size += walrecord.Size(data)
	}
	buf, err := AlignedBuffer(size)
	if err != nil {
		return err
	}
	buf = buf[:0]
	for _, data := range entries {
		buf = walrecord.Append(buf, data)
	}
	if _, err := w.f.WriteAt(buf, w.end); err != nil {
		return fmt.Errorf("direct: write at offset %d: %w", w.end, err)
	}
	w.end += int64(size)
	return nil
}
