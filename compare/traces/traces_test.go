package traces

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestTracesAreReproducible(t *testing.T) {
	sh := ShapeFor(64)
	a, b := Make(sh), Make(sh)
	if len(a) != 3 {
		t.Fatalf("%d traces, want zipf, loop and scan", len(a))
	}
	for i := range a {
		if a[i].Name != b[i].Name || !slices.Equal(a[i].Positions, b[i].Positions) {
			t.Errorf("%s: two runs, two different traces", a[i].Name)
		}
		if len(a[i].Positions) != sh.Reads {
			t.Errorf("%s: %d reads, want %d", a[i].Name, len(a[i].Positions), sh.Reads)
		}
		for _, p := range a[i].Positions {
			if p < 0 || p >= sh.Entries {
				t.Fatalf("%s reads entry %d of %d", a[i].Name, p, sh.Entries)
			}
		}
	}
}

func TestLoopLoops(t *testing.T) {
	sh := ShapeFor(64)
	loop := Make(sh)[1].Positions
	n := sh.LoopLength()
	if n <= sh.CachePages {
		t.Fatalf("a loop of %d fits in a cache of %d: it would not test anything", n, sh.CachePages)
	}
	for i, p := range loop {
		if p != i%n {
			t.Fatalf("read %d is entry %d, want %d", i, p, i%n)
		}
	}
}

func TestZipfIsSkewed(t *testing.T) {
	sh := ShapeFor(64)
	counts := map[int]int{}
	for _, p := range Make(sh)[0].Positions {
		counts[p]++
	}
	var top []int
	for _, n := range counts {
		top = append(top, n)
	}
	slices.Sort(top)
	slices.Reverse(top)
	// The top tenth of the entries gets well over half the reads.
	inTop := 0
	for _, n := range top[:sh.Entries/10] {
		inTop += n
	}
	if inTop*2 < sh.Reads {
		t.Errorf("the %d most read entries get %d of %d reads", sh.Entries/10, inTop, sh.Reads)
	}
}

func TestScanPlusHotSet(t *testing.T) {
	sh := ShapeFor(64)
	scan := Make(sh)[2].Positions
	hot, hotRun, scanRun := sh.ScanShape()
	if hot >= sh.CachePages || scanRun < sh.CachePages {
		t.Fatalf("hot set %d, scans of %d, cache %d", hot, scanRun, sh.CachePages)
	}
	lastCold := -1
	for i, p := range scan {
		inHotRun := i%(hotRun+scanRun) < hotRun
		switch {
		case inHotRun && p >= hot:
			t.Fatalf("read %d: entry %d is not in the hot set", i, p)
		case !inHotRun && p < hot:
			t.Fatalf("read %d: the scan reads hot entry %d", i, p)
		case !inHotRun && lastCold >= 0 && p != lastCold+1 && p != hot:
			t.Fatalf("read %d: the scan jumps from %d to %d", i, lastCold, p)
		}
		if !inHotRun {
			lastCold = p
		}
	}
}

// TestOptimal checks Belady's MIN against a slow, obvious version of it,
// and against what is known: a loop of L > C entries hits C entries per
// pass after the first (MIN keeps C of them and does not keep the others at
// all: an entry read furthest in the future may be dropped as soon as read).
func TestOptimal(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		positions := make([]int, 200)
		for i := range positions {
			positions[i] = r.IntN(30)
		}
		capacity := 1 + r.IntN(20)
		if got, want := optimalHitRatio(positions, capacity), slowOptimal(positions, capacity); got != want {
			t.Fatalf("capacity %d: %v, want %v", capacity, got, want)
		}
	}
	if got := optimalHitRatio(loopTrace(3, 9), 2); got != 4.0/9 {
		t.Errorf("loop of 3 in 2 pages, 3 passes: %v, want 4/9", got)
	}
	if got := optimalHitRatio(loopTrace(3, 9), 3); got != 6.0/9 {
		t.Errorf("loop of 3 in 3 pages: %v, want 6/9", got)
	}
}

// slowOptimal: on a miss with a full cache, scan everything cached (and
// the entry just read) for the one read again last, and drop it.
func slowOptimal(positions []int, capacity int) float64 {
	cached := map[int]bool{}
	hits := 0
	for i, p := range positions {
		if cached[p] {
			hits++
			continue
		}
		cached[p] = true
		if len(cached) <= capacity {
			continue
		}
		victim, furthest := -1, -1
		for e := range cached {
			next := len(positions)
			if j := slices.Index(positions[i+1:], e); j >= 0 {
				next = i + 1 + j
			}
			if next > furthest || next == furthest && e < victim {
				victim, furthest = e, next
			}
		}
		delete(cached, victim)
	}
	return float64(hits) / float64(len(positions))
}
