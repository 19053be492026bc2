package report

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"

	"walworkshop/compare/harness"
	"walworkshop/compare/stages"
)

// FillSpeedups sets each cell's speedup over stage 1 in the same setting.
func FillSpeedups(cells []harness.Cell) {
	for i, c := range cells {
		for _, b := range cells {
			if b.Stage == stages.Baseline && b.Workload == c.Workload && b.Writers == c.Writers && b.EntrySize == c.EntrySize && b.EntriesPS > 0 {
				cells[i].SpeedupVs1 = c.EntriesPS / b.EntriesPS
			}
		}
	}
}

// Written is what Write wrote: the charts it drew, and those it could not
// draw from the cells of the run, with the reason.
type Written struct {
	Charts  []Chart
	Skipped []Skipped
}

// Write writes everything res holds into the folder out: results.json,
// results.csv, the charts as PNG and SVG, and report.md, which embeds them.
func Write(out string, res Results, l Layout) (Written, error) {
	for _, write := range []func(string, Results, Layout) error{writeJSON, writeCSV} {
		if err := write(out, res, l); err != nil {
			return Written{}, err
		}
	}
	var w Written
	w.Charts, w.Skipped = writeCharts(out, res, l)
	return w, writeReport(out, res, l, w)
}

func writeJSON(out string, res Results, _ Layout) error {
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(out, "results.json"), append(b, '\n'), 0o644)
}

// CSVHeader is the first row of results.csv.
var CSVHeader = []string{"workload", "stage", "writers", "entry_size", "entries", "seconds", "entries_per_s", "mb_per_s",
	"p50_us", "p99_us", "p999_us", "syncs_per_1000", "writes_per_1000", "speedup_vs_stage1", "trace", "hit_ratio",
	"cpu_us_per_entry", "cpu_utilisation", "ceiling_fraction", "device_read_mb_per_s"}

// optional formats a value that may not exist: "" for nil, so a missing
// hit ratio is an empty field, never a 0 that reads as "no hits".
func optional(x *float64, format func(float64) string) string {
	if x == nil {
		return ""
	}
	return format(*x)
}

// nonZero formats a value that is 0 where it does not apply (the share of
// a ceiling outside the writers workload, the device's read rate outside
// the replay workload): "" there.
func nonZero(x float64, format func(float64) string) string {
	if x == 0 {
		return ""
	}
	return format(x)
}

func writeCSV(out string, res Results, _ Layout) error {
	f, err := os.Create(filepath.Join(out, "results.csv"))
	if err != nil {
		return err
	}
	defer f.Close()
	w := csv.NewWriter(f)
	w.Write(CSVHeader)
	num := func(x float64) string { return strconv.FormatFloat(x, 'f', 3, 64) }
	for _, c := range res.Cells {
		w.Write([]string{c.Workload, c.Stage, strconv.Itoa(c.Writers), strconv.Itoa(c.EntrySize),
			strconv.FormatInt(c.Entries, 10), num(c.Seconds), num(c.EntriesPS), num(c.MBps),
			num(c.P50us), num(c.P99us), num(c.P999us), num(c.SyncsPerK), num(c.WritesPerK), num(c.SpeedupVs1),
			c.Trace, optional(c.HitRatio, num), num(c.CPUusPerEntry), strconv.FormatFloat(c.CPUUtilisation, 'f', 4, 64),
			nonZero(c.CeilingFraction, func(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }),
			nonZero(c.DeviceReadMBps, num)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return f.Close()
}
