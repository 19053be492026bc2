package report

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"walworkshop/compare/chart"
	"walworkshop/compare/harness"
	"walworkshop/compare/probe"
	"walworkshop/compare/stages"
	"walworkshop/compare/traces"
)

func TestSpeedups(t *testing.T) {
	cells := []harness.Cell{
		{Workload: "writers", Stage: stages.Baseline, Writers: 64, EntriesPS: 100},
		{Workload: "writers", Stage: "b", Writers: 64, EntriesPS: 2500},
		{Workload: "writers", Stage: "b", Writers: 1, EntriesPS: 90},
	}
	FillSpeedups(cells)
	if cells[0].SpeedupVs1 != 1 || cells[1].SpeedupVs1 != 25 || cells[2].SpeedupVs1 != 0 {
		t.Fatalf("%+v", cells)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 16384: "16,384", 1234567: "1,234,567", -4096: "-4,096", -123: "-123"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

var layout = Layout{
	Sections: []Section{
		{Workload: "writers", Title: "Durable writers", What: "Writers wait.", Columns: []Column{ColWriters, ColEntriesPS, ColLatency, ColVsStage1, ColCeiling}},
		{Workload: "batches", Title: "Batches", Columns: []Column{ColEntriesPS, ColBatchLatency}},
		{Workload: "replay", Title: "Replay", Columns: []Column{ColEntriesPS, ColMBps, ColElapsed, ColCPU, ColDeviceRead}},
	},
	ReadVariants: []ReadVariant{
		{Name: "s5/cached", Label: "cached", Cached: true},
		{Name: "s5/uncached", Label: "uncached", NoRatio: "no cache"},
	},
	ReadEntryBytes: 4088, PageBytes: 4096,
}

func madeUp() Results {
	half := 0.5
	return Results{
		Cells: []harness.Cell{
			{Workload: "writers", Stage: stages.Baseline, Writers: 1, EntrySize: 128, Entries: 10, EntriesPS: 100, SyncsPerK: 1000},
			{Workload: "writers", Stage: "fast", Writers: 1, EntrySize: 128, Entries: 10, EntriesPS: 400, P50us: 120, P99us: 4.25, P999us: 1500},
			{Workload: "replay", Stage: stages.Baseline, Writers: 1, EntrySize: 4096, Entries: 10, EntriesPS: 400000, MBps: 1638.4, Seconds: 0.0204,
				CPUusPerEntry: 2.5, CPUUtilisation: 0.375},
			{Workload: "reads", Stage: "s5/cached", Trace: "zipf", Entries: 10, EntriesPS: 1000, HitRatio: &half, CPUusPerEntry: 3.5, CPUUtilisation: 0.25},
			{Workload: "reads", Stage: "s5/uncached", Trace: "zipf", Entries: 10, EntriesPS: 100},
		},
		ReadTraces: []traces.Bounds{{Trace: "zipf", Reads: 10, Distinct: 5, CachePages: 8, Optimal: 0.6, Unbounded: 0.5}},
	}
}

// report.md has a table for each section with cells and none for the
// others, and the reads rows say why a ratio is missing.
func TestReportSections(t *testing.T) {
	out := t.TempDir()
	res := madeUp()
	FillSpeedups(res.Cells)
	written := Written{Charts: []Chart{{"throughput", "writers", "entries/s"}}, Skipped: []Skipped{{"speedup", "no stage 1"}}}
	if err := writeReport(out, res, layout, written); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	for _, want := range []string{"## Durable writers\n\nWriters wait.\n\n| stage | writers | entries/s | p50 µs | p99 µs | p99.9 µs | vs stage 1 | % of ceiling |",
		"| fast | 1 | 400 | 120 | 4.2 | 1,500 | 4.0x | – |",
		"## Replay\n\n| stage | entries/s | MB/s | time | CPU µs / entry | CPU use | device read MB/s, same time | % of device read |\n|---|---:|---:|---:|---:|---:|---:|---:|\n| stage1_naive | 400,000 | 1638.4 | 20ms | 2.5 | 37.5% | – | – |",
		"![throughput: entries/s](throughput.png)", "- speedup.png: no stage 1",
		"| s5/cached | 50.0% |", "| s5/uncached | no cache |",
		"| variant | hit ratio | reads/s | p50 µs | p99 µs | p99.9 µs | CPU µs / read | CPU use |", "| 1,000 | – | – | – | 3.5 | 25.0% |"} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	if strings.Contains(md, "## Batches") {
		t.Error("report.md has a table for a workload that did not run")
	}
	if !strings.Contains(md, "(0.03125 MiB)") {
		t.Error("report.md does not size the cache of 8 pages of 4 KiB as 0.03125 MiB")
	}
}

// results.csv leaves a missing hit ratio empty (never a 0 that reads as
// "no hits"), and results.json leaves it out.
func TestMissingHitRatio(t *testing.T) {
	out := t.TempDir()
	res := madeUp()
	if err := writeCSV(out, res, layout); err != nil {
		t.Fatal(err)
	}
	if err := writeJSON(out, res, layout); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(out, "results.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) != len(res.Cells)+1 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	hit := slices.Index(CSVHeader, "hit_ratio")
	if rows[4][hit] != "0.500" || rows[5][hit] != "" {
		t.Errorf("hit ratios %q and %q, want 0.500 and empty", rows[4][hit], rows[5][hit])
	}
	perEntry, use := slices.Index(CSVHeader, "cpu_us_per_entry"), slices.Index(CSVHeader, "cpu_utilisation")
	if rows[3][perEntry] != "2.500" || rows[3][use] != "0.3750" {
		t.Errorf("replay's CPU: %q µs per entry, %q utilisation; want 2.500 and 0.3750", rows[3][perEntry], rows[3][use])
	}
	back := readResults(t, filepath.Join(out, "results.json"))
	if back.Cells[3].HitRatio == nil || *back.Cells[3].HitRatio != 0.5 || back.Cells[4].HitRatio != nil {
		t.Errorf("hit ratios did not survive results.json")
	}
}

func TestLabels(t *testing.T) {
	for n, want := range map[int]string{1: "1 writer", 4: "4 writers", 1024: "1,024 writers"} {
		if got := writersLabel(n); got != want {
			t.Errorf("writersLabel(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int]string{128: "128 B", 4096: "4 KiB", 65536: "64 KiB", 1536: "1.5 KiB", 1000: "1,000 B",
		1 << 20: "1 MiB", 4 << 20: "4 MiB", 4097: "4,097 B", 1023: "1,023 B"} {
		if got := sizeLabel(n); got != want {
			t.Errorf("sizeLabel(%d) = %q, want %q", n, got, want)
		}
	}
}

// The headlines: each ratio from the right cells, and what is missing
// said where a ratio cannot be computed.
func TestHeadlines(t *testing.T) {
	cells := []harness.Cell{
		{Workload: "batches", Stage: stages.Naive, Writers: 1, EntriesPS: 6000},
		{Workload: "batches", Stage: stages.Buffered, Writers: 1, EntriesPS: 411000},
		{Workload: "writers", Stage: stages.Naive, Writers: 64, EntriesPS: 5000},
		{Workload: "writers", Stage: stages.Prealloc, Writers: 64, EntriesPS: 385000},
		{Workload: "writers", Stage: stages.DirectCache, Writers: 64, EntriesPS: 380000},
		{Workload: "writers", Stage: stages.DirectCache, Writers: 256, EntriesPS: 900000},
		{Workload: "writers", Stage: stages.Pebble, Writers: 64, EntriesPS: 990000},
		{Workload: "sizes", Stage: stages.GroupCommit, Writers: 64, EntriesPS: 10e6},
	}
	got := Headlines(Results{Cells: cells, Probe: probeOf(250, 100, 125)})
	want := []string{
		"batches of 100, one writer: stage2_buffered is 68.5x stage1_naive (411,000 vs 6,000 entries/s)",
		"64 writers, durable: stage4_prealloc is 77.0x stage1_naive (385,000 vs 5,000 entries/s)",
		"64 writers, durable: stage4_prealloc is 0.4x pebble (385,000 vs 990,000 entries/s)",
		"best stage at 64 writers: stage4_prealloc at 60.2% of its ceiling (385,000 of 64 / 100µs = 640,000 entries/s, Little's law over the p50 of a lone write + fdatasync into preallocated space)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("headlines:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	got = Headlines(Results{Cells: cells[3:6]})
	for i, want := range []string{"batches of 100, one writer: not measured", "best stage vs stage 1 at 64 writers: not measured", "best stage vs pebble at 64 writers: not measured",
		"best stage at 64 writers vs its ceiling: not measured"} {
		if !strings.HasPrefix(got[i], want) {
			t.Errorf("headline %d = %q, want it to start %q", i, got[i], want)
		}
	}
}

// A run without stage 1 draws every chart but the speedup, which it skips
// with the reason; a peer whose syncs nobody counted is "not measured".
func TestChartsOfASubset(t *testing.T) {
	out := t.TempDir()
	res := Results{Cells: []harness.Cell{
		{Workload: "writers", Stage: stages.GroupCommit, Writers: 1, EntrySize: 128, EntriesPS: 6000, P50us: 150, P99us: 300, P999us: 500, SyncsPerK: 1000, CPUusPerEntry: 12},
		{Workload: "writers", Stage: stages.Tidwall, Writers: 1, EntrySize: 128, EntriesPS: 7000, P50us: 140, P99us: 250, P999us: 400, CPUusPerEntry: 9},
	}}
	drawn, skipped := writeCharts(out, res, layout)
	var names []string
	for _, c := range drawn {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "throughput,syncs,cpu,latency,writers" {
		t.Errorf("drew %v", names)
	}
	if len(skipped) != 1 || skipped[0].Name != "speedup" || !strings.Contains(skipped[0].Why, "stage1_naive did not run") {
		t.Errorf("skipped %+v, want speedup for want of stage 1", skipped)
	}
	cpu := writersCharts(res)[3].c.(chart.BarChart)
	if cpu.Series[0].Values[0] != 12 || cpu.Series[1].Values[0] != 9 {
		t.Errorf("cpu chart %+v, want 12 and 9 µs per entry", cpu.Series)
	}
	// Results from before the harness measured CPU time: no cpu chart,
	// and the reason.
	for i := range res.Cells {
		res.Cells[i].CPUusPerEntry = 0
	}
	if _, skipped := writeCharts(t.TempDir(), res, layout); len(skipped) != 2 || skipped[1].Name != "cpu" {
		t.Errorf("without CPU times skipped %+v, want speedup and cpu", skipped)
	}
	syncs := writersCharts(res)[2].c.(chart.BarChart)
	if s := syncs.Series[1]; s.Name != "tidwall (not measured)" || s.Missing != "not measured" {
		t.Errorf("tidwall's syncs: %q, missing %q", s.Name, s.Missing)
	}
	if !strings.Contains(syncs.Categories[0], "1 writer") || strings.Contains(syncs.Categories[0], "writers") {
		t.Errorf("category %q", syncs.Categories[0])
	}
}

// The probe section tables every O_DIRECT figure; the sizes chart draws
// the preallocated-write ceilings, and the replay section the read one.
func TestProbeLimits(t *testing.T) {
	res := madeUp()
	res.Cells = append(res.Cells, harness.Cell{Workload: "sizes", Stage: stages.Prealloc, Writers: 64, EntrySize: 4096, MBps: 300},
		harness.Cell{Workload: "replay", Stage: stages.DirectCache, Writers: 1, EntrySize: 4096, MBps: 1200, DeviceReadMBps: 1600})
	res.Probe = probe.Result{PreallocSync: probe.Percentiles{P50: 200 * time.Microsecond}, Direct: []probe.Bandwidth{
		{Op: probe.PreallocWrite, InFlight: 1, MBps: 900}, {Op: probe.PreallocWrite, InFlight: 4, MBps: 1200},
		{Op: probe.AppendWrite, InFlight: 1, MBps: 500}, {Op: probe.AppendWrite, InFlight: 4, MBps: 600},
		{Op: probe.Read, InFlight: 1, MBps: 700}, {Op: probe.Read, InFlight: 4, MBps: 1500},
	}}
	out := t.TempDir()
	if err := writeReport(out, res, layout, Written{}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	for _, want := range []string{"| sequential O_DIRECT, 1 MiB I/Os, MB/s | 1 in flight | 4 in flight |\n|---|---:|---:|\n" +
		"| write into preallocated space | 900 | 1,200 |\n| write at the end of a growing file | 500 | 600 |\n| read | 700 | 1,500 |",
		"no entry size gets more than 1200 MB/s onto the device", "no replay reads the device faster than 1500 MB/s",
		"The device reads sequentially at 700 MB/s with one 1 MiB O_DIRECT read in flight and 1500 MB/s at best",
		"| 1200.0 | 0s | – | 0.0% | 1600 | 75.0% |",
		"stage5_direct_cache replayed at 1200 MB/s: 75.0% of what the device read at the same time (1600 MB/s), 80.0% of the probe's best."} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	limits := sizesChart(res).c.(chart.BarChart).Limits
	if len(limits) != 2 || limits[0].Values[0] != 900 || limits[1].Values[0] != 1200 || !strings.Contains(limits[1].Name, "preallocated space, 4 in flight") {
		t.Errorf("sizes chart limits %+v, want 900 and 1200 MB/s of preallocated writes", limits)
	}
}

// probeOf is a probe whose lone append, preallocated and O_DIRECT writes
// took the given p50s in µs, with RWF_DSYNC slower still and no FUA.
func probeOf(appended, prealloc, direct int) probe.Result {
	us := func(n int) probe.Percentiles {
		return probe.Percentiles{P50: time.Duration(n) * time.Microsecond, P99: time.Duration(3*n) * time.Microsecond}
	}
	return probe.Result{SyncCall: "fdatasync", DirectIO: "O_DIRECT", AppendSync: us(appended), PreallocSync: us(prealloc), DirectSync: us(direct),
		DsyncCall: "pwritev2 RWF_DSYNC", DsyncWrite: us(direct + 12), FUA: "no", FUAFrom: "/sys/dev/block/254:0/queue/fua"}
}

// Each log is held to the lone durable write it does itself: stages 1-3
// and the peers append, stage 4 writes buffered into preallocated space,
// stage 5 with O_DIRECT; a variant is its stage's.
func TestCeilingKinds(t *testing.T) {
	want := map[string]probe.SyncKind{
		stages.Naive: probe.SyncAppend, stages.Buffered: probe.SyncAppend, stages.GroupCommit: probe.SyncAppend,
		stages.Pebble: probe.SyncAppend, stages.Tidwall: probe.SyncAppend,
		stages.Prealloc: probe.SyncPrealloc, stages.Variant(stages.Prealloc, "low-latency"): probe.SyncPrealloc,
		stages.DirectCache: probe.SyncDirect,
	}
	for _, s := range stages.All() {
		if _, ok := want[s.Name]; !ok {
			t.Errorf("%s: no ceiling expected by this test", s.Name)
		}
	}
	for system, kind := range want {
		if got, ok := ceilingKind(system); !ok || got != kind {
			t.Errorf("ceilingKind(%q) = %v, %v; want %v", system, got, ok, kind)
		}
	}
	if _, ok := ceilingKind("fast"); ok {
		t.Error("a log nobody listed has a ceiling")
	}
	for systems, want := range map[string]string{
		"stage1_naive,stage2_buffered,stage3_groupcommit,pebble,tidwall": "stages 1-3, peers",
		"stage3_groupcommit,pebble":                                      "stage 3, pebble",
		"stage1_naive,stage3_groupcommit":                                "stages 1, 3",
		"stage5_direct_cache":                                            "stage 5",
		"stage1_naive,stage2_buffered,stage4_prealloc":                   "stages 1, 2, 4",
	} {
		if got := whoLabel(strings.Split(systems, ",")); got != want {
			t.Errorf("whoLabel(%s) = %q, want %q", systems, got, want)
		}
	}
}

// writers.png draws one dashed ceiling per kind of durable write among the
// logs that ran, each named for what it is and whom it bounds, and each
// cell's share of its own ceiling is in the table, results.json and
// results.csv.
func TestPerSystemCeilings(t *testing.T) {
	res := Results{Probe: probeOf(250, 100, 125)}
	for _, s := range []string{stages.GroupCommit, stages.Prealloc, stages.DirectCache, stages.Pebble, stages.Tidwall} {
		for _, n := range []int{1, 64} {
			res.Cells = append(res.Cells, harness.Cell{Workload: "writers", Stage: s, Writers: n, EntrySize: 128, Entries: 10, EntriesPS: 2000 * float64(n)})
		}
	}
	res.Cells = append(res.Cells, harness.Cell{Workload: "sizes", Stage: stages.Prealloc, Writers: 64, EntrySize: 4096, Entries: 10, EntriesPS: 1000})
	FillCeilings(res.Cells, res.Probe)
	// 2,000 entries/s at 1 writer: 50% of 1 / 250µs, 20% of 1 / 100µs,
	// 25% of 1 / 125µs; the same at 64 writers, 64 times as many entries.
	for _, c := range res.Cells {
		want := map[string]float64{stages.GroupCommit: 0.5, stages.Prealloc: 0.2, stages.DirectCache: 0.25, stages.Pebble: 0.5, stages.Tidwall: 0.5}[c.Stage]
		if c.Workload != "writers" {
			want = 0
		}
		if math.Abs(c.CeilingFraction-want) > 1e-9 {
			t.Errorf("%s %s at %d writers: %v of its ceiling, want %v", c.Workload, c.Stage, c.Writers, c.CeilingFraction, want)
		}
	}

	lc := writersChart(res, workloadCells(res.Cells, "writers"), stageNames(workloadCells(res.Cells, "writers")), []int{1, 64})
	var limits []string
	for _, s := range lc.Series {
		if s.Dashed {
			limits = append(limits, fmt.Sprintf("%s: %v", s.Name, s.Y))
		}
	}
	want := []string{
		"N / 250µs, p50 of a lone append + fdatasync (stage 3, peers): [4000 256000]",
		"N / 100µs, p50 of a lone write + fdatasync into preallocated space (stage 4): [10000 640000]",
		"N / 125µs, p50 of a lone O_DIRECT write + fdatasync into preallocated space (stage 5): [8000 512000]",
	}
	if strings.Join(limits, "\n") != strings.Join(want, "\n") {
		t.Errorf("ceilings drawn:\n%s\nwant:\n%s", strings.Join(limits, "\n"), strings.Join(want, "\n"))
	}
	if lc.Note != "" {
		t.Errorf("a note %q with no cell above its ceiling", lc.Note)
	}
	if err := lc.Write(filepath.Join(t.TempDir(), "writers")); err != nil {
		t.Error(err)
	}
	// Only stage 4 ran: only its line.
	only := workloadCells(res.Cells, "writers")[2:4]
	if lc := writersChart(res, only, stageNames(only), []int{1, 64}); len(lc.Series) != 2 || !strings.Contains(lc.Series[1].Name, "(stage 4)") {
		t.Errorf("stage 4 alone: %d series, the last %q", len(lc.Series), lc.Series[len(lc.Series)-1].Name)
	}

	out := t.TempDir()
	l := layout
	l.Sections = append([]Section{{Workload: "sizes", Title: "Sizes", Columns: []Column{ColEntrySize, ColEntriesPS, ColCeiling}}}, l.Sections...)
	if _, err := Write(out, res, l); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| stage3_groupcommit | 1 | 2,000 | – | – | – | – | 50.0% |", "| stage4_prealloc | 64 | 128,000 | – | – | – | – | 20.0% |",
		"| stage5_direct_cache | 1 | 2,000 | – | – | – | – | 25.0% |", "| stage4_prealloc | 4 KiB | 1,000 | – |"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	rows := readCSV(t, filepath.Join(out, "results.csv"))
	col := slices.Index(CSVHeader, "ceiling_fraction")
	if rows[1][col] != "0.5000" || rows[4][col] != "0.2000" || rows[len(rows)-1][col] != "" {
		t.Errorf("results.csv ceiling fractions %q, %q and %q; want 0.5000, 0.2000 and empty", rows[1][col], rows[4][col], rows[len(rows)-1][col])
	}
	back := readResults(t, filepath.Join(out, "results.json"))
	if back.Cells[5].CeilingFraction != 0.25 || back.Probe.DirectSync != res.Probe.DirectSync || back.Probe.FUA != "no" {
		t.Errorf("results.json: %v of the ceiling, O_DIRECT sync %+v, FUA %q", back.Cells[5].CeilingFraction, back.Probe.DirectSync, back.Probe.FUA)
	}

	// A cell above its own ceiling, and none above another's: stage 4 at
	// 9,000 entries/s is above 1 / 125µs, but its own is 1 / 100µs.
	res.Cells[2].EntriesPS, res.Cells[4].EntriesPS = 9000, 9000
	if above := aboveCeiling(res); len(above) != 1 || above[0].Stage != stages.DirectCache || above[0].Writers != 1 {
		t.Errorf("above their ceilings: %+v, want stage 5 at 1 writer", above)
	}
}

// The writers notes: each log's own ceiling, what the probe measured of
// O_DIRECT and RWF_DSYNC and what no FUA means, and the ratios at one
// writer the probe predicts next to the measured ones.
func TestWritersNotes(t *testing.T) {
	res := Results{Probe: probeOf(230, 92, 110), Cells: []harness.Cell{
		{Workload: "writers", Stage: stages.GroupCommit, Writers: 1, EntriesPS: 4000},
		{Workload: "writers", Stage: stages.Prealloc, Writers: 1, EntriesPS: 6000},
		{Workload: "writers", Stage: stages.DirectCache, Writers: 1, EntriesPS: 9500},
	}}
	var b strings.Builder
	writeWritersNotes(&b, res)
	notes := b.String()
	for _, want := range []string{
		"For stage 3: N / 230µs, the p50 of a lone append + fdatasync: ", "For stage 4: N / 92µs, the p50 of a lone write + fdatasync into preallocated space: ",
		"For stage 5: N / 110µs, the p50 of a lone O_DIRECT write + fdatasync into preallocated space: ",
		"One O_DIRECT pwritev2 RWF_DSYNC, durable on return with no separate sync, took p50 122µs against 110µs for O_DIRECT write + fdatasync (probe).",
		"does not advertise FUA (`/sys/dev/block/254:0/queue/fua` is 0)", "no round trip saved",
		"At 1 writer stage4_prealloc / stage3_groupcommit is 1.50x (6,000 vs 4,000 entries/s); the probe expects 2.50x, 230µs (p50 of a lone append + fdatasync) over 92µs",
		"At 1 writer stage5_direct_cache / stage4_prealloc is 1.58x (9,500 vs 6,000 entries/s); the probe expects 0.84x, 92µs",
		"Above its own line in this run: stage5_direct_cache at 1 writer (9,500 entries/s, ceiling 9,091)",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("the notes lack %q:\n%s", want, notes)
		}
	}
	if strings.Contains(notes, "can be faster") || strings.Contains(notes, "peers") {
		t.Errorf("the notes:\n%s", notes)
	}
	res.Probe.FUA = "yes"
	b.Reset()
	writeWritersNotes(&b, res)
	if !strings.Contains(b.String(), "This device advertises FUA") {
		t.Errorf("with FUA:\n%s", b.String())
	}
}

// readResults reads back a results.json.
func readResults(t *testing.T, path string) Results {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var back Results
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	return back
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}
