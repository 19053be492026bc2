package clockpro

import "testing"

// BenchmarkHitRatio reads stage 5's three traces (the ones of its
// TestCacheHitRatios, over a cache of 100 pages) through your cache and
// through LRU, and reports both hit ratios. `make exercise-bench EX=07`
// prints stage 5's next to them.
func BenchmarkHitRatio(b *testing.B) {
	for _, tc := range []struct {
		name  string
		trace []uint64
	}{
		{"zipf", zipfTrace()},
		{"scan+hot", scanHotTrace()},
		{"loop-1.5x", loopTrace(cachePages * 3 / 2)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var ratio, lru float64
			for range b.N {
				ratio = hitRatio(b, newClockPro(b, cachePages), cachePages, tc.trace)
				lru = hitRatio(b, newLRU(cachePages), cachePages, tc.trace)
			}
			b.ReportMetric(100*ratio, "hit-%")
			b.ReportMetric(100*lru, "lru-hit-%")
		})
	}
}
