package direct

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"walworkshop/exercises/internal/walrecord"
)

const testBlock = 512

func address(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }

// write is one WriteAt the recorder saw.
type write struct {
	off, len int64
	addr     uintptr
}

// recorder is a WriterAt that keeps every write and the bytes they left.
type recorder struct {
	writes []write
	data   []byte
}

func (r *recorder) WriteAt(p []byte, off int64) (int, error) {
	r.writes = append(r.writes, write{off: off, len: int64(len(p)), addr: address(p)})
	if end := off + int64(len(p)); end > int64(len(r.data)) {
		r.data = append(r.data, make([]byte, end-int64(len(r.data)))...)
	}
	copy(r.data[off:], p)
	return len(p), nil
}

// randomGroups is 200 groups of 1 to 12 entries of 0 to 700 bytes: group
// sizes that end anywhere in a block, now and then a few bytes short of it.
func randomGroups() [][][]byte {
	r := rand.New(rand.NewPCG(6, 6))
	groups := make([][][]byte, 200)
	for g := range groups {
		for range 1 + r.IntN(12) {
			groups[g] = append(groups[g], fmt.Appendf(nil, "%0*d", r.IntN(700), g))
		}
	}
	return groups
}

// writeGroups writes randomGroups through a Writer on a recorder.
func writeGroups(t *testing.T) (*recorder, [][][]byte) {
	t.Helper()
	r := &recorder{}
	w, err := NewWriter(r, testBlock)
	require.NoError(t, err)
	groups := randomGroups()
	for _, g := range groups {
		require.NoError(t, w.WriteGroup(g))
	}
	require.NoError(t, w.WriteGroup(nil))
	return r, groups
}

func TestStep1_AlignedBuffer(t *testing.T) {
	for _, n := range []int{1, 100, 4095, 4096, 5000, 1 << 20} {
		b, err := AlignedBuffer(n)
		require.NoError(t, err)
		assert.Len(t, b, n)
		assert.Zero(t, address(b)%MemAlign, "the buffer of %d bytes starts at %#x", n, address(b))
	}
	b, err := AlignedBuffer(0)
	require.NoError(t, err)
	assert.Empty(t, b)
	_, err = AlignedBuffer(-1)
	assert.Error(t, err)
}

func TestStep2_PaddingAfter(t *testing.T) {
	for _, tc := range []struct{ end, block, want int64 }{
		{0, 512, 0},
		{512, 512, 0},
		{100, 512, 412},
		{504, 512, 8},       // exactly room for a padding header
		{505, 512, 7 + 512}, // 7 bytes cannot hold one: to the boundary after
		{511, 512, 1 + 512},
		{513, 512, 511},
		{4000, 4096, 96},
		{4090, 4096, 6 + 4096},
	} {
		assert.Equal(t, tc.want, PaddingAfter(tc.end, tc.block), "PaddingAfter(%d, %d)", tc.end, tc.block)
	}
}

func TestStep3_WritesAreAligned(t *testing.T) {
	_, err := NewWriter(&recorder{}, 1000)
	require.ErrorIs(t, err, ErrBadBlock)
	r, groups := writeGroups(t)
	require.Len(t, r.writes, len(groups), "one write per group, none for an empty one")
	for i, wr := range r.writes {
		require.Zero(t, wr.off%testBlock, "write %d at offset %d: not on a %d-byte block", i, wr.off, testBlock)
		require.Zero(t, wr.len%testBlock, "write %d of %d bytes: not whole blocks", i, wr.len)
		require.Zero(t, wr.addr%MemAlign, "write %d from address %#x: not aligned to %d", i, wr.addr, MemAlign)
	}
}

func TestStep4_NoWriteTouchesAcknowledgedBytes(t *testing.T) {
	r, _ := writeGroups(t)
	require.NotEmpty(t, r.writes)
	written := int64(0) // every byte before this belongs to an earlier, acknowledged group
	for i, wr := range r.writes {
		require.GreaterOrEqual(t, wr.off, written,
			"write %d covers [%d, %d), but bytes up to %d belong to earlier groups", i, wr.off, wr.off+wr.len, written)
		written = wr.off + wr.len
	}
}

func TestStep5_GroupsReadBack(t *testing.T) {
	r, groups := writeGroups(t)
	var want [][]byte
	for _, g := range groups {
		want = append(want, g...)
	}
	got, end := walrecord.Entries(r.data)
	require.Equal(t, len(want), len(got), "every entry decodes, padding skipped")
	assert.Equal(t, want, got)
	assert.Equal(t, len(r.data), end, "the padding takes the log to the end of the last block, as records")
}
