package main

import (
	"encoding/csv"
	"encoding/json"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"walworkshop/compare/harness"
	"walworkshop/compare/report"
	"walworkshop/compare/stages"
)

// TestTinyProfile runs every stage and workload briefly and checks that
// every output exists, parses, and holds every stage.
func TestTinyProfile(t *testing.T) {
	cfg, out, summary := tinyRun(t, "-duration", "30ms", "-writers", "1,4", "-sizes", "128,4096", "-probe-samples", "20",
		"-rate", "2000", "-peers=false", "-read-cache-pages", "8")
	if !cfg.runs("reads") {
		t.Fatal("the default workloads leave out reads")
	}
	want := len(stages.All())*(1+1+2+2+1) + // batches, replay, 2 writer counts, 2 sizes, open loop
		3*len(readVariants()) // reads: 3 traces
	checkResultsJSON(t, out, want)
	checkResultsCSV(t, out, want)
	checkReport(t, out)
	checkCharts(t, out, "throughput", "speedup", "latency", "syncs", "cpu", "writers", "sizes", "hitratio", "reads")
	// The summary: where the results are, and the headlines, the third
	// one without pebble.
	for _, want := range []string{"results in " + out + "/: report.md", "charts (.png and .svg): throughput, speedup,",
		"batches of 100, one writer: stage2_buffered is ", "x stage1_naive (",
		"4 writers, durable: stage", "best stage vs pebble at 64 writers: not measured", "best stage at 4 writers: stage", "% of its ceiling ("} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary lacks %q:\n%s", want, summary)
		}
	}
	if strings.Contains(summary, "not drawn") {
		t.Errorf("a full run skipped a chart:\n%s", summary)
	}
}

// tinyRun runs the harness with args into a new output folder, WALs in a
// temporary folder, and no pause after the warm-up. It returns the summary
// printed at the end.
func tinyRun(t *testing.T, args ...string) (config, string, string) {
	t.Helper()
	out := t.TempDir()
	cfg, err := parseFlags(append([]string{"-out", out, "-dir", t.TempDir()}, args...), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	cfg.settle, cfg.probeBytes = 0, 4<<20
	var summary strings.Builder
	if err := run(cfg, &summary, io.Discard); err != nil {
		t.Fatal(err)
	}
	return cfg, out, summary.String()
}

func readResults(t *testing.T, out string) report.Results {
	t.Helper()
	var res report.Results
	b, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatalf("results.json: %v", err)
	}
	return res
}

// checkResultsJSON: want cells, none empty, each with its speedup, and the
// probe and the read traces described.
func checkResultsJSON(t *testing.T, out string, want int) {
	t.Helper()
	res := readResults(t, out)
	if len(res.Cells) != want {
		t.Fatalf("%d cells, want %d", len(res.Cells), want)
	}
	for _, c := range res.Cells {
		if c.Entries <= 0 || c.EntriesPS <= 0 {
			t.Errorf("empty cell %+v", c)
		}
		if c.Workload == "writers" && c.Stage != stages.Baseline && c.SpeedupVs1 <= 0 {
			t.Errorf("no speedup for %s at %d writers", c.Stage, c.Writers)
		}
		if (c.Workload == "writers") != (c.CeilingFraction > 0) {
			t.Errorf("%s %s at %d writers: %v of its ceiling", c.Workload, c.Stage, c.Writers, c.CeilingFraction)
		}
		// The device's read rate beside each replay, wherever the probe
		// could read the device.
		if res.Probe.DirectError == "" && (c.Workload == "replay") != (c.DeviceReadMBps > 0) {
			t.Errorf("%s %s: device read %v MB/s", c.Workload, c.Stage, c.DeviceReadMBps)
		}
		checkHitRatio(t, c)
		// CPU time is measured around every cell: some was spent, and no
		// more than every CPU's for the cell's time.
		if c.CPUusPerEntry <= 0 || c.CPUUtilisation <= 0 || c.CPUUtilisation > 1.05 {
			t.Errorf("%s %s at %d writers: %v CPU µs per entry, CPU utilisation %v", c.Workload, c.Stage, c.Writers, c.CPUusPerEntry, c.CPUUtilisation)
		}
	}
	if len(res.ReadTraces) != 3 {
		t.Errorf("%d read traces described, want 3", len(res.ReadTraces))
	}
	if res.Probe.PreallocSync.P50 <= 0 {
		t.Error("no probe result")
	}
}

// checkResultsCSV: a header and want rows, hit ratios empty or in [0, 1].
func checkResultsCSV(t *testing.T, out string, want int) {
	t.Helper()
	f, err := os.Open(filepath.Join(out, "results.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(rows) != want+1 || strings.Join(rows[0], ",") != strings.Join(report.CSVHeader, ",") {
		t.Fatalf("results.csv: %d rows, %v", len(rows), err)
	}
	hitColumn := slices.Index(report.CSVHeader, "hit_ratio")
	for _, row := range rows[1:] {
		if h := row[hitColumn]; h != "" {
			if x, err := strconv.ParseFloat(h, 64); err != nil || x < 0 || x > 1 {
				t.Errorf("results.csv: %s on %s: hit ratio %q", row[1], row[len(row)-2], h)
			}
		}
	}
}

// checkReport: report.md names every stage and has a reads row for every
// variant.
func checkReport(t *testing.T, out string) {
	t.Helper()
	report, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stages.All() {
		if !strings.Contains(string(report), s.Name) {
			t.Errorf("report.md does not mention %s", s.Name)
		}
	}
	for _, v := range readVariants() {
		if !strings.Contains(string(report), "| "+v.Name+" |") {
			t.Errorf("report.md has no reads row for %s", v.Name)
		}
	}
}

// checkCharts: every named chart is a PNG that decodes, and an SVG.
func checkCharts(t *testing.T, out string, names ...string) {
	t.Helper()
	for _, name := range names {
		f, err := os.Open(filepath.Join(out, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(f); err != nil {
			t.Errorf("%s.png: %v", name, err)
		}
		f.Close()
		if _, err := os.Stat(filepath.Join(out, name+".svg")); err != nil {
			t.Error(err)
		}
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-stages", "stage9_magic"},
		{"-workloads", "reads,seek"},
		{"-read-cache-pages", "2"},
		{"-writers", "1,zero"},
		{"-sizes", "-5"},
		{"-duration", "0s"},
		{"-rate", "0"},
		{"extra"},
	} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	cfg, err := parseFlags([]string{"-full"}, io.Discard)
	if err != nil || cfg.duration != 5*time.Second || cfg.profile != "full" || len(cfg.stages) != len(stages.All()) {
		t.Errorf("-full: %+v %q, %v", cfg.duration, cfg.profile, err)
	}
}

// -stages takes numbers, short names and full names, each once; an
// unknown one is refused with the list of those that exist.
func TestStagesFlag(t *testing.T) {
	for list, want := range map[string]string{
		"3,4":                  stages.GroupCommit + "," + stages.Prealloc,
		"stage3":               stages.GroupCommit,
		"5, 1":                 stages.DirectCache + "," + stages.Naive,
		stages.Prealloc + ",4": stages.Prealloc,
	} {
		cfg, err := parseFlags([]string{"-stages", list}, io.Discard)
		var got []string
		for _, s := range cfg.stages {
			got = append(got, s.Name)
		}
		if err != nil || strings.Join(got, ",") != want {
			t.Errorf("-stages %q = %v, %v, want %s", list, got, err, want)
		}
	}
	_, err := parseFlags([]string{"-stages", "3,stage9"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `"stage9"`) || !strings.Contains(err.Error(), "3 "+stages.GroupCommit) {
		t.Errorf("-stages 3,stage9: %v, want an error naming stage9 and listing the stages", err)
	}
}

// -h exits 0 and says how to use the command: examples, every flag with
// the name of its argument, no stray backquotes.
func TestHelp(t *testing.T) {
	var stdout, stderr strings.Builder
	if code := compare([]string{"-h"}, &stdout, &stderr); code != 0 {
		t.Errorf("-h exits %d, want 0", code)
	}
	help := stderr.String()
	for _, want := range []string{"Examples:", "go run ./compare -stages 3,4 -workloads writers", "-stages stages",
		"-workloads workloads", "sweep     the tuning presets on stages 3-5", "batches   the original Java workshop's", "-full"} {
		if !strings.Contains(help, want) {
			t.Errorf("-h lacks %q:\n%s", want, help)
		}
	}
	if strings.Contains(help, "`") {
		t.Errorf("-h prints a backquote:\n%s", help)
	}
	if code := compare([]string{"-stages", "9"}, &stdout, &stderr); code != 2 {
		t.Errorf("a bad flag exits %d, want 2", code)
	}
}

// A run of one stage draws what it can (no speedup without stage 1) and
// says what it skipped, in the summary and in report.md.
func TestOneStage(t *testing.T) {
	_, out, summary := tinyRun(t, "-stages", "stage3", "-workloads", "writers", "-writers", "64", "-duration", "20ms",
		"-probe-samples", "10", "-peers=false")
	checkCharts(t, out, "throughput", "syncs", "latency", "writers")
	if _, err := os.Stat(filepath.Join(out, "speedup.png")); err == nil {
		t.Error("speedup.png drawn without stage 1")
	}
	skipped := "speedup.png: stage1_naive did not run (add it to -stages)"
	if !strings.Contains(summary, "not drawn: "+skipped) {
		t.Errorf("the summary does not say speedup.png was skipped:\n%s", summary)
	}
	if !strings.Contains(summary, "best stage vs stage 1 at 64 writers: not measured") {
		t.Errorf("the summary claims a ratio to stage 1 without stage 1:\n%s", summary)
	}
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), skipped) || !strings.Contains(string(md), "![throughput: ") {
		t.Errorf("report.md does not embed the charts or list the skipped one:\n%s", md)
	}
}

// checkHitRatio: stage 5's cached rows of the reads workload have a hit
// ratio in [0, 1]; every other cell has none (not a 0).
func checkHitRatio(t *testing.T, c harness.Cell) {
	t.Helper()
	cached := c.Workload == "reads" && (strings.HasSuffix(c.Stage, "/clock-pro") || strings.HasSuffix(c.Stage, "/lru"))
	switch {
	case cached && c.HitRatio == nil:
		t.Errorf("%s on %s: no hit ratio", c.Stage, c.Trace)
	case cached && (*c.HitRatio < 0 || *c.HitRatio > 1):
		t.Errorf("%s on %s: hit ratio %v", c.Stage, c.Trace, *c.HitRatio)
	case !cached && c.HitRatio != nil:
		t.Errorf("%s %s: hit ratio %v where none is counted", c.Workload, c.Stage, *c.HitRatio)
	}
}

// TestReadsWithoutStage5 runs the reads workload with stage 4 only: its
// rows, the reads/s chart, and no hit ratio chart (nothing to draw).
func TestReadsWithoutStage5(t *testing.T) {
	cfg, out, _ := tinyRun(t, "-workloads", "reads", "-stages", stages.Naive+","+stages.Prealloc,
		"-probe-samples", "10", "-read-cache-pages", "8")
	res := readResults(t, out)
	if len(res.Cells) != 3 {
		t.Fatalf("%d cells, want stage 4 on 3 traces", len(res.Cells))
	}
	for _, c := range res.Cells {
		if c.Stage != stages.Prealloc || c.HitRatio != nil {
			t.Errorf("unexpected cell %+v", c)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "reads.png")); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(out, "hitratio.png")); err == nil {
		t.Error("hitratio.png drawn without a cache to count hits")
	}

	// Without either stage the workload is skipped, not an error.
	cfg.stages, cfg.out = cfg.stages[:1], t.TempDir()
	if err := run(cfg, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
}

func TestSweep(t *testing.T) {
	_, out, _ := tinyRun(t, "-duration", "20ms", "-workloads", "sweep", "-probe-samples", "10")
	b, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range presets {
		if !strings.Contains(string(b), "| "+stages.Prealloc+" | "+p.name+" |") {
			t.Errorf("report.md lacks preset %s", p.name)
		}
	}
	checkCharts(t, out, "sweep")
	if !strings.Contains(string(b), "![sweep: ") || !strings.Contains(string(b), "high-throughput are slow here") || !strings.Contains(string(b), "640 entries/s with a MaxWait of 100ms") {
		t.Error("report.md does not embed sweep.png or explain the high-throughput preset")
	}
}
