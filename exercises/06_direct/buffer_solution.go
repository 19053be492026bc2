//go:build solution || broken_rewrite_tail || broken_unaligned_length

package direct

import (
	"fmt"
	"unsafe"

	"walworkshop/exercises/internal/walrecord"
)

// AlignedBuffer takes MemAlign bytes more than asked and starts the slice
// at the first aligned address inside. The capacity is cut at n, so that
// an append past it reallocates (unaligned) instead of writing on.
func AlignedBuffer(n int) ([]byte, error) {
	if n < 0 {
		return nil, fmt.Errorf("direct: aligned buffer of %d bytes", n)
	}
	b := make([]byte, n+MemAlign)
	skip := (MemAlign - int(uintptr(unsafe.Pointer(unsafe.SliceData(b)))%MemAlign)) % MemAlign
	return b[skip : skip+n : skip+n], nil
}

func PaddingAfter(end, block int64) int64 {
	gap := roundUp(end, block) - end
	if gap > 0 && gap < walrecord.HeaderSize {
		gap += block // too small for a padding header: pad to the boundary after
	}
	return gap
}

func roundUp(x, block int64) int64 { return (x + block - 1) / block * block }

func checkBlock(block int64) error {
	if block <= 0 || MemAlign%block != 0 {
		return fmt.Errorf("%w: %d", ErrBadBlock, block)
	}
	return nil
}
