// Package traces makes the access patterns of the harness's reads
// workload and computes, from a trace alone, what any cache could do on it:
// the best possible hit ratio for a budget (Belady's MIN) and the one with
// no memory limit.
package traces

import (
	"container/heap"
	"math/rand/v2"
)

// The reads workload replays three access patterns over the entries of a
// log, the classic tests of a cache's replacement policy. A trace is a list
// of entry positions (0 is the first entry of the log built for the
// workload). It is generated from a fixed seed, so every variant reads
// exactly the same entries in exactly the same order, run after run.

// A Trace is one access pattern, ready to replay.
type Trace struct {
	Name      string // "zipf", "loop" or "scan"
	Positions []int  // entry positions to read, in order
}

// Shape sizes the traces from the cache they are meant to test: the
// log is several times the cache, so no policy can keep it all, and every
// trace has the same length, so their numbers compare.
type Shape struct {
	CachePages int // the cache budget, in 4 KiB pages (one entry each)
	Entries    int // entries in the log
	Reads      int // reads in every trace
}

// ShapeFor is the shape of the traces for a cache of cachePages pages.
func ShapeFor(cachePages int) Shape {
	return Shape{CachePages: cachePages, Entries: 4 * cachePages, Reads: 16 * cachePages}
}

// Zipf exponent: s = 1.1 is skewed the way real key popularity often is (a
// few entries get most reads), yet leaves a long tail that does not fit.
const ZipfExponent = 1.1

// traceSeed makes the traces reproducible; changing it changes every trace.
const traceSeed = 20240607

// Make returns the traces of shape sh: zipf, loop and scan, always the same.
func Make(sh Shape) []Trace {
	return []Trace{
		{"zipf", zipfTrace(sh.Entries, sh.Reads)},
		{"loop", loopTrace(sh.LoopLength(), sh.Reads)},
		{"scan", scanTrace(sh, sh.Reads)},
	}
}

// zipfTrace reads entries with Zipf-distributed popularity: rank 0 is the
// most read, rank 1 the next, and so on. A fixed permutation scatters the
// ranks over the log, so the hot entries are not neighbours: a cache must
// find them, not just keep one region.
func zipfTrace(entries, reads int) []int {
	r := rand.New(rand.NewPCG(traceSeed, 1))
	ranks := rand.NewZipf(r, ZipfExponent, 1, uint64(entries-1))
	scatter := r.Perm(entries)
	out := make([]int, reads)
	for i := range out {
		out[i] = scatter[ranks.Uint64()]
	}
	return out
}

// LoopLength is 1.5 times the cache: the loop that defeats LRU. Each entry
// comes back after loopLength-1 others, so LRU has always just evicted the
// entry that is read next, and hits nothing. A policy that keeps part of the
// loop still hits that part on every pass.
func (sh Shape) LoopLength() int { return sh.CachePages * 3 / 2 }

// loopTrace reads entries 0..length-1 in order, again and again.
func loopTrace(length, reads int) []int {
	out := make([]int, reads)
	for i := range out {
		out[i] = i % length
	}
	return out
}

// ScanShape: the hot set is half the cache, so a good policy keeps it all;
// each scan reads as many new entries as the cache holds, enough to push
// the whole hot set out of an LRU cache.
func (sh Shape) ScanShape() (hot, hotRun, scanRun int) {
	return sh.CachePages / 2, sh.CachePages, sh.CachePages
}

// scanTrace alternates between a hot set read over and over (hotRun random
// reads of the first hot entries) and a one-pass scan of scanRun other
// entries, each scan going on where the previous one stopped: "scan plus
// hot set", a database answering point queries while a report scans a table.
func scanTrace(sh Shape, reads int) []int {
	hot, hotRun, scanRun := sh.ScanShape()
	r := rand.New(rand.NewPCG(traceSeed, 3))
	cold := sh.Entries - hot
	next := 0 // the next cold entry the scan reads, counted from the first cold one
	out := make([]int, 0, reads)
	for len(out) < reads {
		for range min(hotRun, reads-len(out)) {
			out = append(out, r.IntN(hot))
		}
		for range min(scanRun, reads-len(out)) {
			out = append(out, hot+next)
			next = (next + 1) % cold
		}
	}
	return out
}

// Bounds are computed, not measured: what any cache could do on a
// trace, to read the measured hit ratios against.
type Bounds struct {
	Trace      string  `json:"trace"`
	Reads      int     `json:"reads"`
	Distinct   int     `json:"distinct_entries"`
	CachePages int     `json:"cache_pages"`
	Optimal    float64 `json:"optimal_hit_ratio"`   // Belady's MIN with cache_pages pages
	Unbounded  float64 `json:"unbounded_hit_ratio"` // no memory limit: only first reads miss
}

// BoundsOf computes the bounds of t for a cache of cachePages pages.
func BoundsOf(t Trace, cachePages int) Bounds {
	distinct := make(map[int]bool)
	for _, p := range t.Positions {
		distinct[p] = true
	}
	n := len(t.Positions)
	return Bounds{
		Trace: t.Name, Reads: n, Distinct: len(distinct), CachePages: cachePages,
		Optimal:   optimalHitRatio(t.Positions, cachePages),
		Unbounded: 1 - float64(len(distinct))/float64(n),
	}
}

// optimalHitRatio is the hit ratio of Belady's MIN: on a miss with a full
// cache, evict the entry whose next read is furthest in the future. No
// policy can do better with this many pages; real ones cannot see the
// future, so this is the ceiling, as Little's law is for the writers.
func optimalHitRatio(positions []int, capacity int) float64 {
	if len(positions) == 0 || capacity <= 0 {
		return 0
	}
	next := nextReads(positions)
	cached := make(map[int]int) // entry -> when it is read next
	var byNext farthestFirst
	hits := 0
	for i, p := range positions {
		if _, ok := cached[p]; ok {
			hits++
		}
		cached[p] = next[i]
		heap.Push(&byNext, queued{p, next[i]})
		for len(cached) > capacity {
			q := heap.Pop(&byNext).(queued)
			if cached[q.entry] == q.next { // not an outdated heap item
				delete(cached, q.entry)
			}
		}
	}
	return float64(hits) / float64(len(positions))
}

// nextReads[i] is where positions[i] is read again; len(positions) if never.
func nextReads(positions []int) []int {
	next := make([]int, len(positions))
	seen := make(map[int]int)
	for i := len(positions) - 1; i >= 0; i-- {
		next[i] = len(positions)
		if j, ok := seen[positions[i]]; ok {
			next[i] = j
		}
		seen[positions[i]] = i
	}
	return next
}

// farthestFirst is a max-heap of cached entries by their next read. An
// entry read again gets a new item; its old one is skipped when popped.
type queued struct{ entry, next int }
type farthestFirst []queued

func (h farthestFirst) Len() int           { return len(h) }
func (h farthestFirst) Less(i, j int) bool { return h[i].next > h[j].next }
func (h farthestFirst) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *farthestFirst) Push(x any)        { *h = append(*h, x.(queued)) }
func (h *farthestFirst) Pop() any {
	old := *h
	q := old[len(old)-1]
	*h = old[:len(old)-1]
	return q
}

// BoundsFor describes every trace for a cache of cachePages pages.
func BoundsFor(cachePages int) []Bounds {
	var out []Bounds
	for _, t := range Make(ShapeFor(cachePages)) {
		out = append(out, BoundsOf(t, cachePages))
	}
	return out
}
