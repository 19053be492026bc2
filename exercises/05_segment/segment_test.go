package segment

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"walworkshop/exercises/internal/crashfs"
	"walworkshop/exercises/internal/walrecord"
)

const segSize = 1 << 20 // four zero-fill chunks of the reference

// requireSegment checks that img holds path as a complete prepared
// segment: size zero bytes.
func requireSegment(t *testing.T, img *crashfs.Mem, path, when string) {
	t.Helper()
	data, err := img.ReadFile(path)
	require.NoError(t, err, "%s: the segment is not there", when)
	require.Len(t, data, segSize, "%s: the segment has the wrong size", when)
	require.True(t, bytes.Equal(data, make([]byte, segSize)), "%s: the segment is not all zeros", when)
}

func TestStep1_PrepareZeroFills(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "00000000000000000001.seg")
	require.NoError(t, Prepare(crashfs.OS{}, path, segSize))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Len(t, data, segSize)
	assert.True(t, bytes.Equal(data, make([]byte, segSize)), "all zeros")
	names, err := filepath.Glob(filepath.Join(dir, "*"))
	require.NoError(t, err)
	assert.Equal(t, []string{path}, names, "nothing else is left in the directory")
}

func TestStep2_PrepareSurvivesPowerCut(t *testing.T) {
	fsys := crashfs.NewMem()
	path := filepath.Join("wal", "00000000000000000001.seg")
	require.NoError(t, Prepare(fsys, path, segSize))
	requireSegment(t, fsys.PowerImage(), path,
		"after Prepare returned and the power was cut (is the file synced? its directory, after the rename?)")
}

func TestStep3_PrepareIsAtomic(t *testing.T) {
	fsys := crashfs.NewMem()
	path := filepath.Join("wal", "00000000000000000001.seg")
	ops := 0
	fsys.BeforeEach(func(op string) {
		ops++
		for kind, img := range map[string]*crashfs.Mem{"kill -9": fsys.KillImage(), "power cut": fsys.PowerImage()} {
			if _, err := img.ReadFile(path); err == nil {
				requireSegment(t, img, path, fmt.Sprintf("%s before %q", kind, op))
			}
		}
	})
	require.NoError(t, Prepare(fsys, path, segSize))
	t.Logf("%d crash points, each checked after a kill -9 and after a power cut", ops)
	assert.GreaterOrEqual(t, ops, 4, "create, write, sync, rename, sync dir: at least that many steps")
}

// records encodes n entries of the log followed by zeros up to segSize.
func records(n int) (seg []byte, offsets []int) {
	for i := range n {
		offsets = append(offsets, len(seg))
		seg = walrecord.Append(seg, fmt.Appendf(nil, "entry %d", i))
	}
	return append(seg, make([]byte, segSize-len(seg))...), offsets
}

func TestStep4_FindEndInZeros(t *testing.T) {
	end, dirtyTo, err := FindEnd(make([]byte, segSize))
	require.NoError(t, err)
	assert.Equal(t, [2]int{0, 0}, [2]int{end, dirtyTo}, "a fresh segment: the log is empty, nothing to clean")

	seg, offsets := records(10)
	logEnd := offsets[9] + walrecord.Size([]byte("entry 9"))
	end, dirtyTo, err = FindEnd(seg)
	require.NoError(t, err)
	assert.Equal(t, logEnd, end, "the zeros after the last record end the log")
	assert.Equal(t, logEnd, dirtyTo, "only zeros follow")

	seg = append(seg[:logEnd], make([]byte, walrecord.HeaderSize)...)
	end, _, err = FindEnd(seg)
	require.NoError(t, err)
	assert.Equal(t, logEnd, end, "an all-zero header is not an empty record")
}

func TestStep5_FindEndTellsTornTailFromDamage(t *testing.T) {
	seg, offsets := records(10)
	logEnd := offsets[9] + walrecord.Size([]byte("entry 9"))
	torn := walrecord.Append(nil, []byte("never acknowledged"))
	copy(seg[logEnd:], torn[:len(torn)-4])

	end, dirtyTo, err := FindEnd(seg)
	require.NoError(t, err, "a torn tail followed by zeros is not corruption")
	assert.Equal(t, logEnd, end, "end is after the last whole record")
	assert.Equal(t, logEnd+len(torn)-4, dirtyTo, "dirtyTo is after the torn write's last non-zero byte")

	seg, offsets = records(10)
	seg[offsets[4]+walrecord.HeaderSize] ^= 1
	_, _, err = FindEnd(seg)
	require.ErrorIs(t, err, ErrCorrupt, "damage in the fifth of ten records")
	assert.Contains(t, err.Error(), fmt.Sprintf("offset %d", offsets[4]), "the error names the offset")

	seg, offsets = records(10)
	clear(seg[offsets[4] : offsets[4]+walrecord.HeaderSize])
	_, _, err = FindEnd(seg)
	require.ErrorIs(t, err, ErrCorrupt, "a zeroed header in the middle is damage, not the end")
}
