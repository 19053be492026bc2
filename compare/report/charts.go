package report

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"walworkshop/compare/chart"
	"walworkshop/compare/harness"
	"walworkshop/compare/probe"
	"walworkshop/compare/stages"
	"walworkshop/compare/traces"
)

// A Chart is one chart a run drew: its file name without .png or .svg, the
// workload whose section embeds it, and what it shows.
type Chart struct {
	Name, Workload, Alt string
}

// A Skipped chart is one the run's cells could not draw, and why.
type Skipped struct {
	Name, Why string
}

// planned is a chart to draw, or the reason it cannot be: a chart needs
// cells a subset of stages or workloads may not have (speedup needs stage
// 1), and the run draws what it can rather than failing.
type planned struct {
	Chart
	c    interface{ Write(string) error }
	skip string
}

// writeCharts draws the workshop's story from the cells: throughput and
// speedup by writers, where the time goes (latency, syncs), how each stage
// scales with writers against the Little's-law ceiling, entry sizes, the
// tuning sweep and the reads. A chart that cannot be drawn is skipped and
// said so, never fatal: the run has measured for minutes by now.
func writeCharts(out string, res Results, l Layout) ([]Chart, []Skipped) {
	var plans []planned
	if slices.ContainsFunc(res.Cells, func(c harness.Cell) bool { return c.Workload == "writers" }) {
		plans = append(plans, writersCharts(res)...)
	}
	if slices.ContainsFunc(res.Cells, func(c harness.Cell) bool { return c.Workload == "sizes" }) {
		plans = append(plans, sizesChart(res))
	}
	if slices.ContainsFunc(res.Cells, func(c harness.Cell) bool { return c.Workload == "sweep" }) {
		plans = append(plans, sweepChart(res.Cells, l))
	}
	if len(res.ReadTraces) > 0 {
		plans = append(plans, hitRatioChart(res, l), readsChart(res, l))
	}
	var drawn []Chart
	var skipped []Skipped
	for _, p := range plans {
		if p.skip == "" {
			if err := p.c.Write(filepath.Join(out, p.Name)); err != nil {
				p.skip = err.Error()
			}
		}
		if p.skip != "" {
			skipped = append(skipped, Skipped{p.Name, p.skip})
			continue
		}
		drawn = append(drawn, p.Chart)
	}
	return drawn, skipped
}

// writersCharts are the charts of the writers workload.
func writersCharts(res Results) []planned {
	cells := workloadCells(res.Cells, "writers")
	systems := stageNames(cells)
	writers := distinct(cells, func(c harness.Cell) int { return c.Writers })
	size := sizeLabel(cells[0].EntrySize)
	categories := make([]string, len(writers))
	for i, n := range writers {
		categories[i] = writersLabel(n)
	}
	perWriters := func(title, y string, value func(harness.Cell) float64, names []string) chart.BarChart {
		bc := chart.BarChart{Title: title, YLabel: y, LogY: true, Categories: categories}
		for _, s := range names {
			bc.Series = append(bc.Series, chart.BarSeries{Name: s, Look: lookOf(s),
				Values: valuesBy(cells, s, writers, func(c harness.Cell) int { return c.Writers }, value)})
		}
		return bc
	}
	throughput := perWriters(fmt.Sprintf("Durable appends of %s by concurrent writers", size), "entries/s (log)",
		func(c harness.Cell) float64 { return c.EntriesPS }, systems)
	throughput.Note = "each writer appends one entry and waits until it is durable"
	plans := []planned{{Chart: Chart{"throughput", "writers", "entries/s of every stage at each number of writers"}, c: throughput}}

	speedup := planned{Chart: Chart{"speedup", "writers", "entries/s over stage 1's at the same number of writers"}}
	others := slices.DeleteFunc(slices.Clone(systems), func(s string) bool { return s == stages.Baseline })
	switch {
	case !slices.Contains(systems, stages.Baseline):
		speedup.skip = fmt.Sprintf("%s did not run (add it to -stages)", stages.Baseline)
	case len(others) == 0:
		speedup.skip = fmt.Sprintf("only %s ran: nothing to compare with it", stages.Baseline)
	default:
		bc := perWriters(fmt.Sprintf("Speedup over stage 1: durable writers, %s entries", size), "x "+stages.Baseline+" (log)",
			func(c harness.Cell) float64 { return c.SpeedupVs1 }, others)
		bc.Reference, bc.ReferenceLabel = 1, "1x: as fast as "+stages.Baseline
		bc.Note = "bars above the line are faster than stage 1 at the same number of writers, bars below it slower"
		speedup.c = bc
	}
	plans = append(plans, speedup)

	syncs := perWriters("Syncs per 1,000 entries: what group commit saves", "syncs / 1,000 entries (log)",
		func(c harness.Cell) float64 { return c.SyncsPerK }, systems)
	var unmeasured []string
	for i, s := range syncs.Series {
		if !slices.ContainsFunc(s.Values, func(v float64) bool { return !math.IsNaN(v) }) {
			syncs.Series[i].Name, syncs.Series[i].Missing = s.Name+" (not measured)", "not measured"
			unmeasured = append(unmeasured, s.Name)
		}
	}
	if len(unmeasured) > 0 {
		syncs.Note = strings.Join(unmeasured, " and ") + ": not measured (it opens its own files, so its syscalls cannot be counted)"
	}
	plans = append(plans, planned{Chart: Chart{"syncs", "writers", "fdatasync calls per 1,000 entries at each number of writers"}, c: syncs})

	cpu := perWriters("CPU time per durable entry", "CPU µs / entry (log)",
		func(c harness.Cell) float64 { return c.CPUusPerEntry }, systems)
	cpu.Note = "user + system CPU time of the whole process while measuring (getrusage), over the entries appended"
	cpuChart := planned{Chart: Chart{"cpu", "writers", "CPU µs per entry of every stage at each number of writers"}, c: cpu}
	if !slices.ContainsFunc(cells, func(c harness.Cell) bool { return c.CPUusPerEntry > 0 }) {
		cpuChart.skip = "no cell has a CPU time (results from before the harness measured it)"
	}
	plans = append(plans, cpuChart)

	n := writers[len(writers)-1]
	if slices.Contains(writers, 64) {
		n = 64
	}
	latency := chart.BarChart{Title: fmt.Sprintf("Append latency at %s (log scale)", writersLabel(n)), YLabel: "latency (µs, log)",
		LogY: true, Categories: []string{"p50", "p99", "p99.9"},
		Note: "from the call to Append until it returned: the entry durable"}
	for _, s := range systems {
		v := []float64{math.NaN(), math.NaN(), math.NaN()}
		for _, c := range cells {
			if c.Stage == s && c.Writers == n {
				v = positive(c.P50us, c.P99us, c.P999us)
			}
		}
		latency.Series = append(latency.Series, chart.BarSeries{Name: s, Look: lookOf(s), Values: v})
	}
	plans = append(plans, planned{Chart: Chart{"latency", "writers", fmt.Sprintf("latency percentiles at %s", writersLabel(n))}, c: latency})
	plans = append(plans, planned{Chart: Chart{"writers", "writers", "entries/s against writers, with the Little's-law ceiling"}, c: writersChart(res, cells, systems, writers)})
	return plans
}

// positive returns vs with every value that is not positive (not measured,
// or nothing to draw on a log axis) as NaN: no bar.
func positive(vs ...float64) []float64 {
	for i, v := range vs {
		if v <= 0 {
			vs[i] = math.NaN()
		}
	}
	return vs
}

func syncCall(res Results) string { return syncCallOf(res.Probe) }

func syncCallOf(p probe.Result) string {
	if p.SyncCall != "" {
		return p.SyncCall
	}
	return "fdatasync"
}

// writersChart: entries/s against writers, log-log, with the Little's-law
// ceilings N / (lone sync latency) drawn dashed: one per kind of durable
// write among the systems drawn (ceilingKind), at most three.
func writersChart(res Results, cells []harness.Cell, systems []string, writers []int) chart.LineChart {
	lc := chart.LineChart{Title: "Throughput vs concurrent writers", XLabel: "writers (each waits for its entry to be durable)",
		YLabel: "entries/s (log)", LogX: true, LogY: true}
	for _, s := range systems {
		ls := chart.LineSeries{Name: s, Look: lookOf(s)}
		for _, c := range cells {
			if c.Stage == s && c.EntriesPS > 0 {
				ls.X, ls.Y = append(ls.X, float64(c.Writers)), append(ls.Y, c.EntriesPS)
			}
		}
		if len(ls.X) > 0 {
			lc.Series = append(lc.Series, ls)
		}
	}
	kinds, bounded := ceilingKinds(res.Probe, systems)
	for i, kind := range kinds {
		ceiling := chart.LineSeries{Name: ceilingLabel(res.Probe, kind, bounded[i]), Dashed: true}
		for _, n := range writers {
			ceiling.X, ceiling.Y = append(ceiling.X, float64(n)), append(ceiling.Y, res.Probe.LittleCeiling(kind, n))
		}
		lc.Series = append(lc.Series, ceiling)
	}
	switch above := aboveCeiling(res); len(above) {
	case 0:
	case 1:
		lc.Note = fmt.Sprintf("%s at %s is above its own line: each line is the p50 of lone syncs timed before the run (report.md)",
			above[0].Stage, writersLabel(above[0].Writers))
	default:
		lc.Note = fmt.Sprintf("%s at %s and %d more cells are above their own line: each line is the p50 of lone syncs timed before the run (report.md)",
			above[0].Stage, writersLabel(above[0].Writers), len(above)-1)
	}
	return lc
}

// sizesChart: MB/s of every stage at each entry size, under the device's
// bandwidth.
func sizesChart(res Results) planned {
	cells := workloadCells(res.Cells, "sizes")
	sizes := distinct(cells, func(c harness.Cell) int { return c.EntrySize })
	bc := chart.BarChart{Title: fmt.Sprintf("Throughput by entry size, %s", writersLabel(cells[0].Writers)),
		YLabel: "MB/s (log)", LogY: true}
	for _, size := range sizes {
		bc.Categories = append(bc.Categories, sizeLabel(size))
	}
	for _, s := range stageNames(cells) {
		bc.Series = append(bc.Series, chart.BarSeries{Name: s, Look: lookOf(s),
			Values: valuesBy(cells, s, sizes, func(c harness.Cell) int { return c.EntrySize }, func(c harness.Cell) float64 { return c.MBps })})
	}
	// The device's limits for what stages 4 and 5 do: overwrite
	// preallocated space, with one write in flight and with more.
	for _, n := range probe.InFlights() {
		if mbps := res.Probe.DirectMBps(probe.PreallocWrite, n); mbps > 0 {
			limit := chart.Limit{Name: fmt.Sprintf("the device: %.0f MB/s of 1 MiB O_DIRECT writes into preallocated space, %d in flight (probe)", mbps, n)}
			for range sizes {
				limit.Values = append(limit.Values, mbps)
			}
			bc.Limits = append(bc.Limits, limit)
		}
	}
	return planned{Chart: Chart{"sizes", "sizes", "MB/s of every stage at each entry size"}, c: bc}
}

// sweepChart: throughput against p99 of every stage under each tuning
// preset, the trade-off the original Java workshop's tuning table
// describes. Colour and marker are the stage's; a grey line ties together
// the points of one preset, named above its fastest. A dashed line marks where a preset's MaxWait caps
// closed-loop writers (sweepCap).
func sweepChart(cells []harness.Cell, l Layout) planned {
	cells = workloadCells(cells, "sweep")
	lc := chart.LineChart{XLabel: "p99 latency (µs, log)", YLabel: "entries/s (log)", LogX: true, LogY: true}
	writers := cells[0].Writers
	lc.Title = fmt.Sprintf("Tuning presets on stages 3-5, %s", writersLabel(writers))
	var xs []float64
	for _, stage := range l.SweptStages {
		ls := chart.LineSeries{Name: stage, Look: lookOf(stage), Points: true}
		for _, preset := range l.Presets {
			if c, ok := sweepCell(cells, stage, preset.Name); ok {
				ls.X, ls.Y = append(ls.X, c.P99us), append(ls.Y, c.EntriesPS)
				xs = append(xs, c.P99us)
			}
		}
		if len(ls.X) > 0 {
			lc.Series = append(lc.Series, ls)
		}
	}
	// A grey guide ties each preset's points together, named at its
	// fastest point.
	for _, preset := range l.Presets {
		guide := chart.LineSeries{Name: preset.Name, Guide: true}
		fastest := -1
		for _, stage := range l.SweptStages {
			if c, ok := sweepCell(cells, stage, preset.Name); ok {
				if fastest < 0 || c.EntriesPS > guide.Y[fastest] {
					fastest = len(guide.X)
				}
				guide.X, guide.Y, guide.Labels = append(guide.X, c.P99us), append(guide.Y, c.EntriesPS), append(guide.Labels, "")
			}
		}
		if fastest >= 0 {
			guide.Labels[fastest] = preset.Name
			lc.Series = append(lc.Series, guide)
		}
	}
	p := planned{Chart: Chart{"sweep", "sweep", "entries/s against p99 of stages 3-5 under each tuning preset"}, c: lc}
	if len(xs) == 0 {
		p.skip = "no sweep cell of a swept stage"
		return p
	}
	lo, hi := slices.Min(xs), slices.Max(xs)
	var capped []string
	for _, preset := range l.Presets {
		if bound, ok := sweepCap(preset, writers, cells[0].EntrySize); ok {
			lc.Series = append(lc.Series, chart.LineSeries{Name: fmt.Sprintf("%s: %d / MaxWait %v", preset.Name, writers, preset.MaxWait),
				X: []float64{lo / 1.5, hi * 1.5}, Y: []float64{bound, bound}, Dashed: true})
			capped = append(capped, preset.Name)
		}
	}
	if len(capped) > 0 {
		lc.Note = fmt.Sprintf("%s: a group closes when full or after MaxWait; %d closed-loop writers never fill one,\nso every group waits out MaxWait: at most %d entries per MaxWait (report.md)",
			strings.Join(capped, ", "), writers, writers)
	}
	p.c = lc
	return p
}

// sweepCell is stage's cell under preset, if it has a point to draw.
func sweepCell(cells []harness.Cell, stage, preset string) (harness.Cell, bool) {
	for _, c := range cells {
		if c.Stage == stages.Variant(stage, preset) && c.P99us > 0 && c.EntriesPS > 0 {
			return c, true
		}
	}
	return harness.Cell{}, false
}

// sweepCap is the most entries/s that writers closed-loop writers get from
// preset: with at most writers entries in flight, a group that needs more
// entries or bytes than that to be full is written only when its MaxWait
// is up, so every MaxWait serves at most writers entries. ok is false
// where groups fill (or do not wait).
func sweepCap(p Preset, writers, entrySize int) (float64, bool) {
	if p.MaxWait <= 0 || p.MaxGroupEntries <= writers || p.MaxGroupBytes <= writers*entrySize {
		return 0, false
	}
	return float64(writers) / p.MaxWait.Seconds(), true
}

// hitRatioChart: the two policies of stage 5's cache on each trace, under
// what the same budget could do at best (Belady) and what no budget at all
// gets, the OS page cache's case: the kernel keeps no hit count to draw.
func hitRatioChart(res Results, l Layout) planned {
	pages := res.ReadTraces[0].CachePages
	bc := chart.BarChart{
		Title:      fmt.Sprintf("Read hit ratio: a %s cache over a %s log", l.mib(pages), l.mib(traces.ShapeFor(pages).Entries)),
		YLabel:     "reads served from memory (%)",
		Categories: traceNames(res),
		Note:       "the dashed lines are computed from the traces, not measured",
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
			if found {
				bc.Series = append(bc.Series, chart.BarSeries{Name: v.Label, Look: lookOf(v.Name), Values: values})
			}
			measured = measured || found
		}
	}
	optimal := chart.Limit{Name: fmt.Sprintf("best possible in %s (Belady)", l.mib(pages))}
	unbounded := chart.Limit{Name: "no memory limit, the OS page cache's case"}
	for _, t := range res.ReadTraces {
		optimal.Values = append(optimal.Values, 100*t.Optimal)
		unbounded.Values = append(unbounded.Values, 100*t.Unbounded)
	}
	bc.Limits = []chart.Limit{optimal, unbounded}
	p := planned{Chart: Chart{"hitratio", "reads", "the share of reads stage 5's cache served, against the computed bounds"}, c: bc}
	if !measured {
		p.skip = fmt.Sprintf("no hit ratio was counted (it needs %s in -stages)", stages.DirectCache)
	}
	return p
}

// readsChart: reads/s of every variant on each trace, log scale (a cache
// hit costs microseconds, a disk read a hundred).
func readsChart(res Results, l Layout) planned {
	bc := chart.BarChart{Title: "Reads by index, one reader, cold start", YLabel: "reads/s (log)", LogY: true,
		Categories: traceNames(res)}
	for _, v := range l.ReadVariants {
		values, found := readsValues(res, v.Name, func(c harness.Cell) (float64, bool) { return c.EntriesPS, c.EntriesPS > 0 })
		if found {
			bc.Series = append(bc.Series, chart.BarSeries{Name: v.Label, Look: lookOf(v.Name), Values: values})
		}
	}
	p := planned{Chart: Chart{"reads", "reads", "reads/s of every variant on each trace"}, c: bc}
	if len(bc.Series) == 0 {
		p.skip = "no reads cell"
	}
	return p
}

// workloadCells are the cells of one workload, in the order they ran.
func workloadCells(cells []harness.Cell, workload string) []harness.Cell {
	var out []harness.Cell
	for _, c := range cells {
		if c.Workload == workload {
			out = append(out, c)
		}
	}
	return out
}

// valuesBy picks stage's value at each setting (writers, or entry size);
// NaN, no bar, where it has none or one a log axis cannot draw.
func valuesBy(cells []harness.Cell, stage string, settings []int, setting func(harness.Cell) int, value func(harness.Cell) float64) []float64 {
	out := make([]float64, len(settings))
	for i, n := range settings {
		out[i] = math.NaN()
		for _, c := range cells {
			if c.Stage == stage && setting(c) == n {
				if v := value(c); v > 0 {
					out[i] = v
				}
			}
		}
	}
	return out
}

// stageNames lists the stages (and peers) of cells, in the order they ran.
func stageNames(cells []harness.Cell) []string {
	var names []string
	for _, c := range cells {
		if !slices.Contains(names, c.Stage) {
			names = append(names, c.Stage)
		}
	}
	return names
}

func distinct(cells []harness.Cell, key func(harness.Cell) int) []int {
	var out []int
	for _, c := range cells {
		if !slices.Contains(out, key(c)) {
			out = append(out, key(c))
		}
	}
	slices.Sort(out)
	return out
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
