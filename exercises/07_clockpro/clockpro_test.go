package clockpro

import (
	"bytes"
	"container/list"
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	cachePages  = 100
	traceLength = 30_000
)

// lru is the baseline: drop the page read longest ago.
type lru struct {
	capacity int
	order    *list.List // front: most recent
	elems    map[uint64]*list.Element
}

type lruEntry struct {
	key   uint64
	value []byte
}

func newLRU(capacity int) *lru {
	return &lru{capacity: capacity, order: list.New(), elems: map[uint64]*list.Element{}}
}

func (l *lru) Get(key uint64) ([]byte, bool) {
	e, ok := l.elems[key]
	if !ok {
		return nil, false
	}
	l.order.MoveToFront(e)
	return e.Value.(*lruEntry).value, true
}

func (l *lru) Put(key uint64, value []byte) {
	if e, ok := l.elems[key]; ok {
		e.Value.(*lruEntry).value = value
		l.order.MoveToFront(e)
		return
	}
	if l.order.Len() >= l.capacity {
		oldest := l.order.Back()
		delete(l.elems, oldest.Value.(*lruEntry).key)
		l.order.Remove(oldest)
	}
	l.elems[key] = l.order.PushFront(&lruEntry{key, value})
}

func (l *lru) Len() int { return l.order.Len() }

func valueOf(key uint64) []byte { return binary.LittleEndian.AppendUint64(nil, key) }

// hitRatio reads trace through c as the WAL reads: Get, and Put on a
// miss. It checks every hit returns the key's own value and the budget
// holds after every read.
func hitRatio(t testing.TB, c Cache, capacity int, trace []uint64) float64 {
	t.Helper()
	hits := 0
	cp, _ := c.(*ClockPro)
	for i, key := range trace {
		// Plain comparisons first: require costs more than the cache, and
		// this loop runs 30,000 times per trace.
		if value, ok := c.Get(key); ok {
			if !bytes.Equal(value, valueOf(key)) {
				require.Equal(t, valueOf(key), value, "read %d: Get(%d) returned another page's value", i, key)
			}
			hits++
		} else {
			c.Put(key, valueOf(key))
		}
		if c.Len() > capacity {
			require.LessOrEqual(t, c.Len(), capacity, "read %d: more pages resident than the capacity", i)
		}
		if cp != nil && cp.Tracked() > 2*capacity {
			require.LessOrEqual(t, cp.Tracked(), 2*capacity, "read %d: more than capacity test pages kept", i)
		}
	}
	return float64(hits) / float64(len(trace))
}

func newClockPro(t testing.TB, capacity int) *ClockPro {
	t.Helper()
	c, err := New(capacity)
	require.NoError(t, err)
	return c
}

func loopTrace(n uint64) []uint64 {
	trace := make([]uint64, traceLength)
	for i := range trace {
		trace[i] = uint64(i) % n
	}
	return trace
}

func TestStep1_HitsAfterPut(t *testing.T) {
	_, err := New(0)
	require.Error(t, err, "a cache of no pages")
	c := newClockPro(t, 4)
	for k := uint64(1); k <= 3; k++ {
		c.Put(k, valueOf(k))
	}
	for k := uint64(1); k <= 3; k++ {
		value, ok := c.Get(k)
		require.True(t, ok, "key %d was put and the cache is not full", k)
		assert.Equal(t, valueOf(k), value)
	}
	_, ok := c.Get(9)
	assert.False(t, ok, "a key never put")
	c.Put(2, valueOf(2))
	assert.Equal(t, 3, c.Len(), "putting a resident key again adds nothing")
}

func TestStep2_FixedBudget(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	trace := make([]uint64, traceLength)
	for i := range trace {
		trace[i] = r.Uint64N(10 * cachePages)
	}
	hitRatio(t, newClockPro(t, cachePages), cachePages, trace)
	one := newClockPro(t, 1)
	hitRatio(t, one, 1, trace[:1000])

	// A loop that fits misses on its first pass only.
	const n = cachePages * 9 / 10
	got := hitRatio(t, newClockPro(t, cachePages), cachePages, loopTrace(n))
	assert.Equal(t, 1-float64(n)/traceLength, got, "a loop of 0.9x the cache misses only on the first pass")
}

func TestStep3_LoopBeatsLRU(t *testing.T) {
	trace := loopTrace(cachePages * 3 / 2)
	clockPro := hitRatio(t, newClockPro(t, cachePages), cachePages, trace)
	lru := hitRatio(t, newLRU(cachePages), cachePages, trace)
	t.Logf("loop of 1.5x the cache: clock-pro %.1f%%, lru %.1f%%", 100*clockPro, 100*lru)
	assert.GreaterOrEqual(t, clockPro-lru, 0.30,
		"a loop over 1.5x the cache: LRU drops exactly the page read next; CLOCK-Pro keeps a hot part of the loop")
}

// scanHotTrace alternates random reads of a hot set of half the cache with
// one-pass scans of twice the cache, every scanned page new: a log tailed
// by readers while a replay goes through old segments. Half the reads are
// of the hot set, so 50% is the best any policy can do.
func scanHotTrace() []uint64 {
	r := rand.New(rand.NewPCG(2, 2))
	const hotSet = cachePages / 2
	trace := make([]uint64, 0, traceLength)
	next := uint64(hotSet) // the next page never read before
	for len(trace) < traceLength {
		for range 4 * hotSet {
			trace = append(trace, r.Uint64N(hotSet))
		}
		for range 2 * cachePages {
			trace = append(trace, next)
			next++
		}
	}
	return trace[:traceLength]
}

func TestStep4_ScansDoNotFlushHotPages(t *testing.T) {
	trace := scanHotTrace()
	clockPro := hitRatio(t, newClockPro(t, cachePages), cachePages, trace)
	lru := hitRatio(t, newLRU(cachePages), cachePages, trace)
	t.Logf("hot set + scans: clock-pro %.1f%%, lru %.1f%% (50%% is every hot read a hit)", 100*clockPro, 100*lru)
	assert.GreaterOrEqual(t, clockPro, 0.45, "the hot set survives the scans: nearly every hot read hits")
	assert.GreaterOrEqual(t, clockPro-lru, 0.08, "LRU lets every scan flush the hot set")
}

// zipfTrace reads pages from a Zipf distribution (s = 1.1) over four times
// as many pages as the cache holds: a few are read very often, most rarely.
func zipfTrace() []uint64 {
	r := rand.New(rand.NewPCG(1, 1))
	z := rand.NewZipf(r, 1.1, 1, 4*cachePages-1)
	trace := make([]uint64, traceLength)
	for i := range trace {
		trace[i] = z.Uint64()
	}
	return trace
}

func TestStep5_ZipfNoWorseThanLRU(t *testing.T) {
	trace := zipfTrace()
	clockPro := hitRatio(t, newClockPro(t, cachePages), cachePages, trace)
	lru := hitRatio(t, newLRU(cachePages), cachePages, trace)
	t.Logf("zipf: clock-pro %.1f%%, lru %.1f%%", 100*clockPro, 100*lru)
	assert.GreaterOrEqual(t, clockPro, lru-0.02, "a skewed workload: CLOCK-Pro is about as good as LRU")
}
