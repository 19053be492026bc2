package directcache

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"sync"
	"testing"
)

// testPageSize keeps the pages of these tests small: the policies never
// look inside a page.
const testPageSize = 64

// cachePolicies are the policies every test runs on.
func cachePolicies() []CachePolicy { return []CachePolicy{CacheCLOCKPro, CacheLRU} }

// pageContent makes the page for k, with k written into it, so that a
// test can tell when the cache returns some other page.
func pageContent(k pageKey) []byte {
	data := make([]byte, testPageSize)
	binary.LittleEndian.PutUint64(data, k.seg)
	binary.LittleEndian.PutUint64(data[8:], uint64(k.page))
	return data
}

func isPageContent(data []byte, k pageKey) bool { return bytes.Equal(data, pageContent(k)) }

// checkPolicy fails the test if the cache's policy breaks an invariant
// after operation op.
func checkPolicy(t testing.TB, c *pageCache, op int) {
	t.Helper()
	if err := c.policy.check(); err != nil {
		t.Fatalf("after operation %d: %v", op, err)
	}
}

func TestCachePolicyString(t *testing.T) {
	for p, want := range map[CachePolicy]string{
		CacheCLOCKPro: "clock-pro", CacheLRU: "lru", 7: "CachePolicy(7)", -1: "CachePolicy(-1)",
	} {
		if got := p.String(); got != want {
			t.Errorf("CachePolicy(%d).String() = %q, want %q", int(p), got, want)
		}
	}
}

func TestCacheDisabled(t *testing.T) {
	for _, tc := range []struct {
		budget   int64
		pageSize int
	}{{testPageSize - 1, testPageSize}, {0, testPageSize}, {-1, testPageSize}, {1 << 20, 0}, {1 << 20, -1}} {
		if c := newPageCache(tc.budget, tc.pageSize, CacheCLOCKPro); c != nil {
			t.Errorf("newPageCache(%d, %d) = a cache of %d pages, want nil", tc.budget, tc.pageSize, c.capacity())
		}
	}
	var c *pageCache
	k := pageKey{seg: 1, page: 2}
	c.put(k, pageContent(k))
	if data, ok := c.get(k); ok || data != nil {
		t.Errorf("nil cache: get = %v, %v, want a miss", data, ok)
	}
	if c.heldBytes() != 0 || c.capacity() != 0 {
		t.Errorf("nil cache: heldBytes %d, capacity %d, want 0, 0", c.heldBytes(), c.capacity())
	}
}

func TestCachePutWrongSize(t *testing.T) {
	for _, policy := range cachePolicies() {
		c := newPageCache(4*testPageSize, testPageSize, policy)
		k := pageKey{seg: 1}
		for _, data := range [][]byte{nil, make([]byte, testPageSize-1), make([]byte, testPageSize+1)} {
			c.put(k, data)
			if _, ok := c.get(k); ok || c.heldBytes() != 0 {
				t.Errorf("%v: a put of %d bytes was cached", policy, len(data))
			}
		}
	}
}

// TestCacheBudget drives caches of several sizes with random reads and
// writes, and checks after every one that the pages held fit the budget,
// that a page read is the page asked for, and the policy's invariants.
func TestCacheBudget(t *testing.T) {
	budgets := []int64{
		testPageSize,                      // capacity 1
		2*testPageSize + testPageSize - 1, // capacity 2
		7*testPageSize + 1,
		50*testPageSize + testPageSize/2,
	}
	for _, policy := range cachePolicies() {
		for _, budget := range budgets {
			c := newPageCache(budget, testPageSize, policy)
			if want := int(budget / testPageSize); c.capacity() != want {
				t.Fatalf("%v, budget %d: capacity %d pages, want %d", policy, budget, c.capacity(), want)
			}
			runRandomOps(t, c, budget, rand.New(rand.NewPCG(uint64(budget), 1)))
		}
	}
}

func runRandomOps(t *testing.T, c *pageCache, budget int64, r *rand.Rand) {
	t.Helper()
	keys := int64(3*c.capacity() + 2) // several times the capacity: evictions, and reads of evicted pages
	var kept []keptPage
	for i := range 20_000 {
		k := pageKey{seg: r.Uint64N(2), page: r.Int64N(keys)}
		switch r.IntN(4) {
		case 0:
			data, ok := c.get(k)
			if ok && !isPageContent(data, k) {
				t.Fatalf("op %d: get(%v) returned another page", i, k)
			}
			if ok && i%64 == 0 {
				kept = append(kept, keptPage{k, data})
			}
		case 1:
			c.put(k, pageContent(k))
		case 2:
			c.put(k, pageContent(k))
			c.put(k, pageContent(k))
		case 3:
			c.put(k, pageContent(k))
			if data, ok := c.get(k); !ok || !isPageContent(data, k) {
				t.Fatalf("op %d: page %v just put: get = %v", i, k, ok)
			}
		}
		if held := c.heldBytes(); held > budget {
			t.Fatalf("%v op %d: %d bytes held, budget %d", c.policy, i, held, budget)
		}
		checkPolicy(t, c, i)
	}
	checkStillIntact(t, kept)
}

// keptPage is a page a reader got from the cache and still holds.
type keptPage struct {
	key  pageKey
	data []byte
}

// checkStillIntact fails the test if a page handed out earlier has changed
// since: evicted buffers must be dropped, never reused, as a reader may
// still hold one.
func checkStillIntact(t *testing.T, kept []keptPage) {
	t.Helper()
	for _, p := range kept {
		if !isPageContent(p.data, p.key) {
			t.Fatalf("page %v changed after get returned it", p.key)
		}
	}
}

func TestCacheConcurrent(t *testing.T) {
	for _, policy := range cachePolicies() {
		c := newPageCache(32*testPageSize, testPageSize, policy)
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				readAndFill(t, c, rand.New(rand.NewPCG(uint64(g), 2)))
			}()
		}
		wg.Wait()
		if err := c.policy.check(); err != nil {
			t.Fatalf("%v after concurrent use: %v", policy, err)
		}
	}
}

// readAndFill reads pages the way the WAL does: get, and put on a miss.
func readAndFill(t *testing.T, c *pageCache, r *rand.Rand) {
	for range 5_000 {
		k := pageKey{seg: r.Uint64N(3), page: r.Int64N(40)}
		data, ok := c.get(k)
		if !ok {
			c.put(k, pageContent(k))
		} else if !isPageContent(data, k) {
			t.Errorf("get(%v) returned another page", k)
			return
		}
	}
}

// clockTest drives a CLOCK-Pro policy page by page and checks the state of
// each page as the hands move, for TestClockProLifeOfAPage.
type clockTest struct {
	t *testing.T
	c *clockPro
}

// put brings pages in, checking the invariants after each.
func (c *clockTest) put(pages ...int64) {
	c.t.Helper()
	for _, p := range pages {
		k := pageKey{page: p}
		c.c.put(k, pageContent(k))
		if err := c.c.check(); err != nil {
			c.t.Fatalf("after put(%d): %v", p, err)
		}
	}
}

// read reads pages that must be resident.
func (c *clockTest) read(pages ...int64) {
	c.t.Helper()
	for _, p := range pages {
		if _, ok := c.c.get(pageKey{page: p}); !ok {
			c.t.Fatalf("page %d missed", p)
		}
	}
}

// want checks that pages are on the clock, in state s.
func (c *clockTest) want(s pageState, pages ...int64) {
	c.t.Helper()
	for _, p := range pages {
		got, ok := c.c.pages[pageKey{page: p}]
		if !ok {
			c.t.Fatalf("page %d is not on the clock, want it %v", p, s)
		}
		if got.state != s {
			c.t.Fatalf("page %d is %v, want %v", p, got.state, s)
		}
	}
}

// gone checks that page p has left the clock, test page included.
func (c *clockTest) gone(p int64) {
	c.t.Helper()
	if _, ok := c.c.pages[pageKey{page: p}]; ok {
		c.t.Fatalf("page %d is still on the clock", p)
	}
}

// TestClockProLifeOfAPage follows pages through the states of clockpro.go
// on a clock of 4 pages.
func TestClockProLifeOfAPage(t *testing.T) {
	c := &clockTest{t: t, c: newClockPro(4)}
	put, read, want, gone := c.put, c.read, c.want, c.gone

	put(0, 1, 2, 3)
	want(coldInTest, 0, 1, 2, 3) // a new page comes in cold, in its test period

	read(0)
	put(4)           // the cache is full: the cold hand starts at 0, the oldest
	want(hotPage, 0) // read in its test period, and there is room for hot pages
	gone(1)          // older than every hot page now: evicted with no test page
	want(coldPage, 2, 3)
	want(coldInTest, 4)

	put(5, 6, 7)      // evicts 2 and 3, then 4
	want(testPage, 4) // evicted unread in its test period: its key stays
	if _, ok := c.c.get(pageKey{page: 4}); ok {
		t.Fatal("a test page hit")
	}
	put(4) // read again in its test period
	want(hotPage, 0, 4)
	want(testPage, 5) // evicted to make room for 4
	if c.c.coldTarget != 2 {
		t.Fatalf("coldTarget %d after a test page was read again, want 2", c.c.coldTarget)
	}

	read(0, 4)
	put(5)              // 6 is evicted to a test page; 0, the only hot page older
	want(hotPage, 0, 4) // than 5, was just read: the hot hand keeps it and
	want(coldInTest, 5) // reaches 5 first, so 5 comes back cold
	gone(6)             // the hand passed these too: their test periods are over
	want(coldPage, 7)
}

// TestLRUOrder: the baseline must be a true LRU, or beating it means
// nothing. A read moves a page to the front; the page at the back goes.
func TestLRUOrder(t *testing.T) {
	l := newLRU(3)
	for p := range int64(4) {
		if p == 3 {
			l.get(pageKey{page: 0}) // 0 becomes the most recently used
		}
		l.put(pageKey{page: p}, pageContent(pageKey{page: p}))
		if err := l.check(); err != nil {
			t.Fatal(err)
		}
	}
	for p, want := range []bool{true, false, true, true} {
		if _, ok := l.get(pageKey{page: int64(p)}); ok != want {
			t.Errorf("page %d cached %v, want %v", p, ok, want)
		}
	}
}

// Hit ratios on the same traces, for the same budget.

const (
	traceCachePages = 100
	traceBudget     = traceCachePages*testPageSize + testPageSize/2 // not a multiple of the page size
	traceLength     = 30_000
)

// hitRatio reads the pages of trace through a cache of traceBudget with the
// policy, as the WAL reads (get, and put on a miss), checks the policy's
// invariants after every read, and returns the fraction of reads that hit.
func hitRatio(t *testing.T, policy CachePolicy, trace []int64) float64 {
	c := newPageCache(traceBudget, testPageSize, policy)
	hits := 0
	for i, page := range trace {
		k := pageKey{seg: 1, page: page}
		if data, ok := c.get(k); ok {
			if !isPageContent(data, k) {
				t.Fatalf("%v, read %d: get(%v) returned another page", policy, i, k)
			}
			hits++
		} else {
			c.put(k, pageContent(k))
		}
		checkPolicy(t, c, i)
	}
	return float64(hits) / float64(len(trace))
}

// zipfTrace reads pages from a Zipf distribution (s = 1.1) over four times
// as many pages as the cache holds: a few pages are read very often, most
// rarely.
func zipfTrace() []int64 {
	r := rand.New(rand.NewPCG(1, 1))
	z := rand.NewZipf(r, 1.1, 1, 4*traceCachePages-1)
	trace := make([]int64, traceLength)
	for i := range trace {
		trace[i] = int64(z.Uint64())
	}
	return trace
}

// scanHotTrace alternates between random reads of a hot set of half the
// cache and one-pass scans of twice the cache's pages, each page of a scan
// new: a log tailed by readers while a replay goes through old segments.
func scanHotTrace() []int64 {
	r := rand.New(rand.NewPCG(2, 2))
	const hotSet = traceCachePages / 2
	trace := make([]int64, 0, traceLength)
	next := int64(hotSet) // the next page never read before
	for len(trace) < traceLength {
		for range 4 * hotSet {
			trace = append(trace, r.Int64N(hotSet))
		}
		for range 2 * traceCachePages {
			trace = append(trace, next)
			next++
		}
	}
	return trace[:traceLength]
}

// loopTrace reads pages 0 to n-1 over and over.
func loopTrace(n int64) []int64 {
	trace := make([]int64, traceLength)
	for i := range trace {
		trace[i] = int64(i) % n
	}
	return trace
}

func TestCacheHitRatios(t *testing.T) {
	for _, tc := range []struct {
		name    string
		trace   []int64
		minGain float64 // CLOCK-Pro's hit ratio minus LRU's, at least
	}{
		{"zipf", zipfTrace(), 0},
		{"scan+hot", scanHotTrace(), 0},
		{"loop of 1.5x the cache", loopTrace(traceCachePages * 3 / 2), 0.30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clockPro := hitRatio(t, CacheCLOCKPro, tc.trace)
			lru := hitRatio(t, CacheLRU, tc.trace)
			t.Logf("%-24s clock-pro %5.1f%%   lru %5.1f%%", tc.name, 100*clockPro, 100*lru)
			if clockPro-lru < tc.minGain {
				t.Errorf("clock-pro hits %.1f%%, lru %.1f%%: want clock-pro ahead by at least %.0f points",
					100*clockPro, 100*lru, 100*tc.minGain)
			}
		})
	}
}

// TestCacheLoopThatFits: a loop over fewer pages than the cache holds misses
// on its first pass only, whatever the policy.
func TestCacheLoopThatFits(t *testing.T) {
	const n = traceCachePages * 9 / 10
	want := 1 - float64(n)/traceLength
	for _, policy := range cachePolicies() {
		got := hitRatio(t, policy, loopTrace(n))
		t.Logf("loop of 0.9x the cache    %-9v %5.1f%%", policy, 100*got)
		if got != want {
			t.Errorf("%v: hit ratio %.4f, want %.4f", policy, got, want)
		}
	}
}

func BenchmarkCacheHit(b *testing.B) {
	const pages = 1024
	for _, policy := range cachePolicies() {
		b.Run(policy.String(), func(b *testing.B) {
			c := newPageCache(pages*testPageSize, testPageSize, policy)
			for p := range int64(pages) {
				c.put(pageKey{page: p}, pageContent(pageKey{page: p}))
			}
			for i := int64(0); b.Loop(); i++ {
				if _, ok := c.get(pageKey{page: i % pages}); !ok {
					b.Fatal("miss")
				}
			}
		})
	}
}
