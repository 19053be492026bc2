package report

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"

	"walworkshop/compare/chart"

	"walworkshop/compare/harness"
	"walworkshop/compare/stages"
	"walworkshop/compare/traces"
)

// writeCharts draws the workshop's story from the cells: throughput and
// speedup by stage, where the time goes (latency, syncs), how each stage
// scales with writers against the Little's-law ceiling, and entry sizes.
func writeCharts(out string, res Results, l Layout) error {
	names := stageNames(res.Cells, "writers")
	writers := distinct(res.Cells, "writers", func(c harness.Cell) int { return c.Writers })
	sizes := distinct(res.Cells, "sizes", func(c harness.Cell) int { return c.EntrySize })
	var charts []struct {
		name string
		c    interface{ Write(string) error }
	}
	add := func(name string, c interface{ Write(string) error }) {
		charts = append(charts, struct {
			name string
			c    interface{ Write(string) error }
		}{name, c})
	}
	if len(writers) > 0 {
		perWriters := func(title, y string, logY bool, value func(harness.Cell) float64) chart.BarChart {
			bc := chart.BarChart{Title: title, YLabel: y, LogY: logY, Categories: names}
			for _, n := range writers {
				bc.Series = append(bc.Series, chart.BarSeries{Name: fmt.Sprintf("%d writers", n),
					Values: values(res.Cells, names, "writers", func(c harness.Cell) bool { return c.Writers == n }, value, logY)})
			}
			return bc
		}
		add("throughput", perWriters("Durable appends of 128 B", "entries/s (log)", true, func(c harness.Cell) float64 { return c.EntriesPS }))
		add("speedup", perWriters("Speedup over stage 1", "x stage1_naive (log)", true, func(c harness.Cell) float64 { return c.SpeedupVs1 }))
		add("syncs", perWriters("Syncs per 1,000 entries: what group commit saves", "syncs / 1,000 entries (log)", true, func(c harness.Cell) float64 { return c.SyncsPerK }))
		n := writers[len(writers)-1]
		if slices.Contains(writers, 64) {
			n = 64
		}
		at := func(c harness.Cell) bool { return c.Writers == n }
		add("latency", chart.BarChart{
			Title: fmt.Sprintf("Append latency at %d writers", n), YLabel: "latency (µs)", Categories: names,
			Series: []chart.BarSeries{
				{Name: "p50", Values: values(res.Cells, names, "writers", at, func(c harness.Cell) float64 { return c.P50us }, false)},
				{Name: "p99", Values: values(res.Cells, names, "writers", at, func(c harness.Cell) float64 { return c.P99us }, false)},
				{Name: "p99.9", Values: values(res.Cells, names, "writers", at, func(c harness.Cell) float64 { return c.P999us }, false)},
			},
		})
		add("writers", writersChart(res, names, writers))
	}
	if len(sizes) > 0 {
		bc := chart.BarChart{Title: fmt.Sprintf("Throughput by entry size, 16 writers (device: %.0f MB/s O_DIRECT)", res.Probe.DirectMBps),
			YLabel: "MB/s (log)", LogY: true, Categories: stageNames(res.Cells, "sizes")}
		for _, size := range sizes {
			bc.Series = append(bc.Series, chart.BarSeries{Name: fmt.Sprintf("%d B", size),
				Values: values(res.Cells, bc.Categories, "sizes", func(c harness.Cell) bool { return c.EntrySize == size }, func(c harness.Cell) float64 { return c.MBps }, true)})
		}
		add("sizes", bc)
	}
	if sc, ok := sweepChart(res.Cells, l); ok {
		add("sweep", sc)
	}
	if hc, ok := hitRatioChart(res, l); ok {
		add("hitratio", hc)
	}
	if rc, ok := readsChart(res, l); ok {
		add("reads", rc)
	}
	for _, c := range charts {
		if err := c.c.Write(filepath.Join(out, c.name)); err != nil {
			return fmt.Errorf("chart %s: %w", c.name, err)
		}
	}
	return nil
}

// writersChart: entries/s against writers, log-log, with the Little's-law
// ceiling N / (lone sync latency) drawn dashed.
func writersChart(res Results, stages []string, writers []int) chart.LineChart {
	lc := chart.LineChart{Title: "Throughput vs concurrent writers", XLabel: "writers (each waits for its entry to be durable)",
		YLabel: "entries/s", LogX: true, LogY: true}
	for _, s := range stages {
		var ls chart.LineSeries
		ls.Name = s
		for _, c := range res.Cells {
			if c.Workload == "writers" && c.Stage == s && c.EntriesPS > 0 {
				ls.X, ls.Y = append(ls.X, float64(c.Writers)), append(ls.Y, c.EntriesPS)
			}
		}
		if len(ls.X) > 0 {
			lc.Series = append(lc.Series, ls)
		}
	}
	if lat := res.Probe.PreallocSync.P50; lat > 0 {
		ceiling := chart.LineSeries{Name: fmt.Sprintf("Little's law: N / %v", lat.Round(1000)), Dashed: true}
		for _, n := range writers {
			ceiling.X, ceiling.Y = append(ceiling.X, float64(n)), append(ceiling.Y, res.Probe.LittleCeiling(n))
		}
		lc.Series = append(lc.Series, ceiling)
	}
	return lc
}

// values picks one value per stage from the cells of a workload that match;
// a missing cell (or a zero on a log axis) is NaN: no bar.
func values(cells []harness.Cell, stages []string, workload string, match func(harness.Cell) bool, value func(harness.Cell) float64, logScale bool) []float64 {
	out := make([]float64, len(stages))
	for i, s := range stages {
		out[i] = math.NaN()
		for _, c := range cells {
			if c.Workload == workload && c.Stage == s && match(c) {
				if v := value(c); v > 0 || !logScale {
					out[i] = v
				}
			}
		}
	}
	return out
}

// stageNames lists the stages (and peers) that ran workload, in the order
// they ran: a chart's categories.
func stageNames(cells []harness.Cell, workload string) []string {
	var names []string
	for _, c := range cells {
		if c.Workload == workload && !slices.Contains(names, c.Stage) {
			names = append(names, c.Stage)
		}
	}
	return names
}

func distinct(cells []harness.Cell, workload string, key func(harness.Cell) int) []int {
	var out []int
	for _, c := range cells {
		if c.Workload == workload && !slices.Contains(out, key(c)) {
			out = append(out, key(c))
		}
	}
	slices.Sort(out)
	return out
}

// sweepChart: throughput against p99 for each tuning preset, the
// trade-off the seed workshop's tuning table describes. Each preset is one
// line from its stage 3 point to its stage 4 point.
func sweepChart(cells []harness.Cell, l Layout) (chart.LineChart, bool) {
	lc := chart.LineChart{Title: "Tuning presets at 64 writers (each line: stage 3 → 4 → 5)",
		XLabel: "p99 latency (µs)", YLabel: "entries/s", LogX: true, LogY: true}
	for _, preset := range l.Presets {
		ls := chart.LineSeries{Name: preset}
		for _, stage := range l.SweptStages {
			for _, c := range cells {
				if c.Workload == "sweep" && c.Stage == stages.Variant(stage, preset) && c.P99us > 0 && c.EntriesPS > 0 {
					ls.X, ls.Y = append(ls.X, c.P99us), append(ls.Y, c.EntriesPS)
				}
			}
		}
		if len(ls.X) > 0 {
			lc.Series = append(lc.Series, ls)
		}
	}
	return lc, len(lc.Series) > 0
}

// hitRatioChart: the two policies of stage 5's cache on each trace, next to
// what the same budget could do at best (Belady) and what no budget at all
// gets, the OS page cache's case: the kernel keeps no hit count to draw.
func hitRatioChart(res Results, l Layout) (chart.BarChart, bool) {
	if len(res.ReadTraces) == 0 {
		return chart.BarChart{}, false
	}
	pages := res.ReadTraces[0].CachePages
	bc := chart.BarChart{
		Title:      fmt.Sprintf("Read hit ratio: a %s cache over a %s log", l.mib(pages), l.mib(traces.ShapeFor(pages).Entries)),
		YLabel:     "reads served from memory (%)",
		Categories: traceNames(res),
	}
	measured := false
	for _, v := range l.ReadVariants {
		if v.Cached {
			values, found := readsValues(res, v.Name, func(c harness.Cell) (float64, bool) {
				if c.HitRatio == nil {
					return 0, false
				}
				return 100 * *c.HitRatio, true
			})
			bc.Series = append(bc.Series, chart.BarSeries{Name: v.Label, Values: values})
			measured = measured || found
		}
	}
	optimal := chart.BarSeries{Name: fmt.Sprintf("best possible in %s (Belady, computed)", l.mib(pages))}
	unbounded := chart.BarSeries{Name: "no memory limit, the OS page cache's case (computed)"}
	for _, t := range res.ReadTraces {
		optimal.Values = append(optimal.Values, 100*t.Optimal)
		unbounded.Values = append(unbounded.Values, 100*t.Unbounded)
	}
	bc.Series = append(bc.Series, optimal, unbounded)
	return bc, measured
}

// readsChart: reads/s of every variant on each trace, log scale (a cache
// hit costs microseconds, a disk read a hundred).
func readsChart(res Results, l Layout) (chart.BarChart, bool) {
	bc := chart.BarChart{Title: "Reads by index, one reader, cold start", YLabel: "reads/s (log)", LogY: true,
		Categories: traceNames(res)}
	for _, v := range l.ReadVariants {
		values, found := readsValues(res, v.Name, func(c harness.Cell) (float64, bool) { return c.EntriesPS, c.EntriesPS > 0 })
		if found {
			bc.Series = append(bc.Series, chart.BarSeries{Name: v.Label, Values: values})
		}
	}
	return bc, len(bc.Categories) > 0 && len(bc.Series) > 0
}

func traceNames(res Results) []string {
	var names []string
	for _, t := range res.ReadTraces {
		names = append(names, t.Trace)
	}
	return names
}

// readsValues picks variant's value on each trace of the reads workload;
// NaN (no bar) where it has none. found says whether any was there.
func readsValues(res Results, variant string, value func(harness.Cell) (float64, bool)) (values []float64, found bool) {
	for _, t := range res.ReadTraces {
		v := math.NaN()
		for _, c := range res.Cells {
			if c.Workload == "reads" && c.Stage == variant && c.Trace == t.Trace {
				if x, ok := value(c); ok {
					v, found = x, true
				}
			}
		}
		values = append(values, v)
	}
	return values, found
}
