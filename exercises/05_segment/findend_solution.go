//go:build solution || broken_no_dir_sync || broken_no_file_sync || broken_in_place

package segment

import (
	"encoding/binary"
	"fmt"

	"walworkshop/exercises/internal/walrecord"
)

const headerSize = walrecord.HeaderSize

func FindEnd(seg []byte) (end, dirtyTo int, err error) {
	for {
		_, size, _, ok := walrecord.Decode(seg[end:])
		if !ok {
			break
		}
		end += size
	}
	// Normally only zeros follow, and this loop runs at memory speed.
	// Otherwise look for a valid record at every offset after end: the
	// damage may have destroyed the length that says where the next is.
	for i := end + 1; i+headerSize <= len(seg); i++ {
		if binary.LittleEndian.Uint64(seg[i:]) == 0 {
			// An all-zero header is never a record: skip to the first
			// header that could hold a non-zero byte.
			i = max(i, firstNonZero(seg, i+headerSize)-headerSize)
			continue
		}
		if _, _, _, ok := walrecord.Decode(seg[i:]); ok {
			return 0, 0, fmt.Errorf("%w: offset %d: damaged record, but a valid record follows at offset %d",
				ErrCorrupt, end, i)
		}
	}
	return end, end + lastNonZero(seg[end:]) + 1, nil
}

// firstNonZero is the position of the first non-zero byte of b at or after
// from, or len(b); eight bytes at a time while it can.
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

// lastNonZero is the position of the last non-zero byte of b, or -1.
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
