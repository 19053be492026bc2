package batch

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"walworkshop/exercises/internal/faultfile"
	"walworkshop/exercises/internal/walrecord"
)

func entries(n, from int) [][]byte {
	batch := make([][]byte, n)
	for i := range batch {
		batch[i] = fmt.Appendf(nil, "entry %d", from+i)
	}
	return batch
}

// appendThousand appends 1,000 entries in batches of 100.
func appendThousand(t *testing.T, l *Log) {
	t.Helper()
	for b := range 10 {
		first, err := l.AppendBatch(entries(100, b*100))
		require.NoError(t, err)
		require.Equal(t, uint64(b*100+1), first, "AppendBatch returns the index of the batch's first entry")
	}
}

func TestStep1_RecordsInOrder(t *testing.T) {
	f := faultfile.New(0)
	l := New(f)
	first, err := l.AppendBatch(entries(3, 0))
	require.NoError(t, err)
	assert.Equal(t, uint64(1), first, "indices start at 1")
	first, err = l.Append([]byte("entry 3"))
	require.NoError(t, err)
	assert.Equal(t, uint64(4), first, "indices are consecutive")
	first, err = l.AppendBatch(entries(2, 4))
	require.NoError(t, err)
	assert.Equal(t, uint64(5), first)

	got, end := walrecord.Entries(f.Durable())
	assert.Equal(t, entries(6, 0), got, "the durable file holds every entry, in order, as records")
	assert.Equal(t, len(f.Written()), end, "and nothing but records")
}

func TestStep2_OneWritePerBatch(t *testing.T) {
	f := faultfile.New(0)
	appendThousand(t, New(f))
	assert.Equal(t, 10, f.Writes(), "1,000 entries in batches of 100: one write per batch")
}

func TestStep3_OneSyncPerBatch(t *testing.T) {
	f := faultfile.New(0)
	appendThousand(t, New(f))
	assert.Equal(t, 10, f.Syncs(), "1,000 entries in batches of 100: one sync per batch")
	got, _ := walrecord.Entries(f.Durable())
	assert.Len(t, got, 1000, "and every entry is durable")
}

func TestStep4_EmptyAndTooLargeBatches(t *testing.T) {
	f := faultfile.New(0)
	l := New(f)
	_, err := l.AppendBatch(entries(2, 0))
	require.NoError(t, err)
	writes, syncs := f.Writes(), f.Syncs()

	next, err := l.AppendBatch(nil)
	require.NoError(t, err)
	assert.Equal(t, uint64(3), next, "an empty batch returns the index the next entry gets")
	assert.Equal(t, [2]int{writes, syncs}, [2]int{f.Writes(), f.Syncs()}, "an empty batch costs no syscall")

	_, err = l.AppendBatch([][]byte{[]byte("fine"), make([]byte, MaxEntrySize+1)})
	require.ErrorIs(t, err, ErrTooLarge)
	assert.Equal(t, [2]int{writes, syncs}, [2]int{f.Writes(), f.Syncs()}, "a batch with a too-large entry writes nothing")

	first, err := l.Append([]byte("after"))
	require.NoError(t, err, "ErrTooLarge leaves the log usable")
	assert.Equal(t, uint64(3), first, "and takes no index")
}

func TestStep5_FailStop(t *testing.T) {
	f := faultfile.New(0)
	f.FailSync(2)
	l := New(f)
	_, err := l.AppendBatch(entries(5, 0))
	require.NoError(t, err)
	_, err = l.AppendBatch(entries(5, 5))
	require.ErrorIs(t, err, faultfile.ErrInjected, "the failed sync's error reaches the caller, wrapped")
	_, err = l.AppendBatch(entries(5, 10))
	require.Error(t, err, "after a failed sync, every append fails")
	_, err = l.AppendBatch(nil)
	require.Error(t, err, "even an empty one")

	assert.Zero(t, f.SyncsAfterFailure(), "a failed sync is never retried")
	got, _ := walrecord.Entries(f.Durable())
	assert.Equal(t, entries(5, 0), got, "what was acknowledged is durable")
}
