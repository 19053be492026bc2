package report

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"walworkshop/compare/harness"
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
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

var layout = Layout{
	Sections: []Section{{"writers", "Durable writers"}, {"seed", "Seed replay"}},
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
			{Workload: "writers", Stage: "fast", Writers: 1, EntrySize: 128, Entries: 10, EntriesPS: 400},
			{Workload: "reads", Stage: "s5/cached", Trace: "zipf", Entries: 10, EntriesPS: 1000, HitRatio: &half},
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
	if err := writeReport(out, res, layout); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	for _, want := range []string{"## Durable writers", "| fast | 1 | 128 | 400 |", "| 4.0x |", "| s5/cached | 50.0% |", "| s5/uncached | no cache |"} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	if strings.Contains(md, "## Seed replay") {
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
	hit := len(CSVHeader) - 1
	if rows[3][hit] != "0.500" || rows[4][hit] != "" {
		t.Errorf("hit ratios %q and %q, want 0.500 and empty", rows[3][hit], rows[4][hit])
	}
	b, err := os.ReadFile(filepath.Join(out, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var back Results
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Cells[2].HitRatio == nil || *back.Cells[2].HitRatio != 0.5 || back.Cells[3].HitRatio != nil {
		t.Errorf("hit ratios did not survive results.json")
	}
}
