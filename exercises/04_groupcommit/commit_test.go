package groupcommit

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"walworkshop/exercises/internal/faultfile"
	"walworkshop/exercises/internal/walrecord"
)

// Every test entry is entrySize bytes, so entry i's record ends at
// i*recordSize: Durable can be checked against an index without decoding.
const (
	entrySize  = 16
	recordSize = walrecord.HeaderSize + entrySize
)

func entry(i int) []byte { return fmt.Appendf(nil, "entry %010d", i) }

// syncDelay is how long the test file's Sync takes: long enough for
// concurrent appenders to pile up behind it, as they do behind a disk.
const syncDelay = time.Millisecond

func newLog(t *testing.T, f *faultfile.File) *Log {
	t.Helper()
	l, err := New(f)
	require.NoError(t, err)
	return l
}

// appendConcurrently runs writers goroutines that append total entries
// between them. check, if not nil, runs after each successful Append.
func appendConcurrently(t *testing.T, l *Log, writers, total int, check func(index uint64)) {
	t.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)); i <= total; i = int(next.Add(1)) {
				index, err := l.Append(entry(i))
				if !assert.NoError(t, err) {
					return
				}
				if check != nil {
					check(index)
				}
			}
		}()
	}
	wg.Wait()
}

func TestStep1_AppendIsDurable(t *testing.T) {
	f := faultfile.New(0)
	l := newLog(t, f)
	for i := 1; i <= 10; i++ {
		index, err := l.Append(entry(i))
		require.NoError(t, err)
		require.Equal(t, uint64(i), index, "indices start at 1 and are consecutive")
		got, _ := walrecord.Entries(f.Durable())
		require.Len(t, got, i, "when Append returns, its entry is durable")
		assert.Equal(t, entry(i), got[i-1])
	}
	require.NoError(t, l.Close())
}

func TestStep2_WritersShareSyncs(t *testing.T) {
	f := faultfile.New(syncDelay)
	l := newLog(t, f)
	var mu sync.Mutex
	seen := map[uint64]bool{}
	appendConcurrently(t, l, 64, 1000, func(index uint64) {
		mu.Lock()
		defer mu.Unlock()
		assert.False(t, seen[index], "index %d returned twice", index)
		seen[index] = true
	})
	require.NoError(t, l.Close())

	got, _ := walrecord.Entries(f.Durable())
	assert.Len(t, got, 1000, "every entry is durable")
	assert.Len(t, seen, 1000, "indices 1 to 1000, each once")
	t.Logf("64 writers, 1,000 entries: %d syncs, %d writes", f.Syncs(), f.Writes())
	assert.LessOrEqual(t, f.Syncs(), 200,
		"64 writers waiting on a slow sync: one sync should cover many of them (stage 1 needs 1,000)")
	assert.LessOrEqual(t, f.Writes(), 200, "and one write per group, not per entry")
}

func TestStep3_NoAckBeforeSync(t *testing.T) {
	f := faultfile.New(2 * syncDelay)
	l := newLog(t, f)
	appendConcurrently(t, l, 16, 320, func(index uint64) {
		assert.GreaterOrEqual(t, f.DurableLen(), int(index)*recordSize,
			"Append(...) returned index %d before the sync covering it returned", index)
	})
	require.NoError(t, l.Close())
}

func TestStep4_FailStop(t *testing.T) {
	f := faultfile.New(syncDelay)
	f.FailSync(3)
	l := newLog(t, f)
	var mu sync.Mutex
	var acked []uint64
	var failures atomic.Int64
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				index, err := l.Append(entry(w*1000 + i))
				if err != nil {
					failures.Add(1)
					return
				}
				mu.Lock()
				acked = append(acked, index)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()

	require.Equal(t, int64(8), failures.Load(), "after the failed sync every writer gets an error")
	_, err := l.Append(entry(0))
	require.Error(t, err, "the log stays failed")
	assert.Zero(t, f.SyncsAfterFailure(), "a failed sync is never retried")
	for _, index := range acked {
		assert.GreaterOrEqual(t, f.DurableLen(), int(index)*recordSize,
			"entry %d was acknowledged, and the failed sync lost it", index)
	}
	l.Close()
}

func TestStep5_Close(t *testing.T) {
	f := faultfile.New(syncDelay)
	l := newLog(t, f)
	var wg sync.WaitGroup
	var acked, closed atomic.Int64
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				index, err := l.Append(entry(w*1000 + i))
				if errors.Is(err, ErrClosed) {
					closed.Add(1)
					return
				}
				if !assert.NoError(t, err) {
					return
				}
				acked.Add(1)
				assert.GreaterOrEqual(t, f.DurableLen(), int(index)*recordSize)
			}
		}()
	}
	for acked.Load() < 50 {
		time.Sleep(time.Millisecond)
	}
	require.NoError(t, l.Close())
	wg.Wait()
	assert.Equal(t, int64(16), closed.Load(), "after Close every Append returns ErrClosed")
	_, err := l.Append(entry(0))
	assert.ErrorIs(t, err, ErrClosed)
	assert.ErrorIs(t, l.Close(), ErrClosed, "a second Close")
	got, _ := walrecord.Entries(f.Durable())
	assert.GreaterOrEqual(t, len(got), int(acked.Load()), "what Close waited for is durable")
}
