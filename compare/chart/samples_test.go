package chart

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

// TestSamples draws the workshop's charts from one real run, to look at
// them while changing this package:
//
//	CHART_SAMPLES=/tmp/chartsamples go test -run Samples ./compare/chart/
func TestSamples(t *testing.T) {
	dir := os.Getenv("CHART_SAMPLES")
	if dir == "" {
		t.Skip("set CHART_SAMPLES to a directory to draw the sample charts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	stages := []string{"stage1_naive", "stage2_buffered", "stage3_groupcommit", "stage4_prealloc", "pebble"}
	writers := []float64{1, 16, 64, 256}
	charts := map[string]writer{
		"throughput": BarChart{
			Title:      "Durable appends, 128 B entries, 64 writers",
			YLabel:     "entries/s",
			Categories: stages,
			Series:     []BarSeries{{Name: "entries/s", Values: []float64{7191, 7710, 217917, 346773, 176072}}},
		},
		"speedup": BarChart{
			Title:      "Speedup over stage 1",
			YLabel:     "speedup (x, log scale)",
			LogY:       true,
			Categories: stages[:4],
			Series:     []BarSeries{{Name: "entries/s relative to stage1_naive", Values: []float64{1, 1.07, 30.3, 48.2}}},
		},
		"latency": BarChart{
			Title:      "Append latency at 64 writers",
			YLabel:     "latency (µs)",
			Categories: []string{"stage3_groupcommit", "stage4_prealloc", "pebble"},
			Series: []BarSeries{
				{Name: "p50", Values: []float64{288, 146, 350}},
				{Name: "p99", Values: []float64{468, 967, 545}},
				{Name: "p99.9", Values: []float64{1095, 1867, 1169}},
			},
		},
		// Long names and missing data: stage 5 was not run at 4 KiB.
		"entry_sizes": BarChart{
			Title:      "Throughput by entry size, 64 writers",
			YLabel:     "MB/s",
			Categories: append(stages[:4:4], "stage5_direct_cache", "pebble"),
			Series: []BarSeries{
				{Name: "128 B", Values: []float64{0.92, 0.99, 27.9, 44.4, 51.2, 22.5}},
				{Name: "4 KiB", Values: []float64{29.1, 31.0, 402, 611, math.NaN(), 388}},
				{Name: "64 KiB", Values: []float64{301, 322, 877, 1012, 1170, 845}},
			},
		},
		"writers": LineChart{
			Title:  "Throughput vs concurrent writers",
			XLabel: "writers (each waits for its entry to be durable)",
			YLabel: "entries/s",
			LogX:   true, LogY: true,
			Series: []LineSeries{
				{Name: "stage2_buffered", X: writers, Y: []float64{7568, 6836, 6704, 6880}},
				{Name: "stage3_groupcommit", X: writers, Y: []float64{5898, 77590, 216951, 487574}},
				{Name: "stage4_prealloc", X: writers, Y: []float64{9823, 116035, 346773, 760409}},
				{Name: "pebble", X: writers, Y: []float64{6404, 52166, 176072, 489423}},
				{Name: "Little's law: N / 130 µs fsync", X: writers, Y: []float64{7692, 123077, 492308, 1969231}, Dashed: true},
			},
		},
	}
	for name, c := range charts {
		base := filepath.Join(dir, name)
		if err := c.Write(base); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s.png and .svg", base)
	}
}
