package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"walworkshop/compare/harness"
	"walworkshop/compare/traces"
)

func writeReport(out string, res Results, l Layout) error {
	var b strings.Builder
	m, p := res.Machine, res.Probe
	fmt.Fprintf(&b, "# walworkshop: measured on this machine\n\n")
	fmt.Fprintf(&b, "%s · %s (%d CPUs) · %s · filesystem %s · %s · WALs in `%s`\n\n", m.Date, m.CPU, m.CPUs, m.Kernel, m.Filesystem, m.Go, m.Dir)
	fmt.Fprintf(&b, "## The disk (device probe)\n\n| lone 4 KiB write + fdatasync | p50 | p99 |\n|---|---:|---:|\n")
	fmt.Fprintf(&b, "| into preallocated, zero-filled space | %v | %v |\n", p.PreallocSync.P50, p.PreallocSync.P99)
	fmt.Fprintf(&b, "| appended to a growing file | %v | %v |\n\n", p.AppendSync.P50, p.AppendSync.P99)
	if p.DirectError != "" {
		fmt.Fprintf(&b, "Sequential O_DIRECT writes: %s.\n\n", p.DirectError)
	} else {
		fmt.Fprintf(&b, "Sequential O_DIRECT writes: %.0f MB/s.\n\n", p.DirectMBps)
	}
	fmt.Fprintf(&b, "Limits drawn from it: N writers that each wait for their entry cannot get more than N / %v entries/s (Little's law); no entry size gets more than %.0f MB/s.\n\n", p.PreallocSync.P50, p.DirectMBps)

	for _, sec := range l.Sections {
		var cells []harness.Cell
		for _, c := range res.Cells {
			if c.Workload == sec.Workload {
				cells = append(cells, c)
			}
		}
		if len(cells) == 0 {
			continue
		}
		fmt.Fprintf(&b, "## %s\n\n", sec.Title)
		fmt.Fprintf(&b, "| stage | writers | entry size | entries/s | MB/s | p50 µs | p99 µs | p99.9 µs | syncs / 1,000 | writes / 1,000 | vs stage 1 |\n")
		fmt.Fprintf(&b, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, c := range cells {
			fmt.Fprintf(&b, "| %s | %d | %d | %.0f | %.1f | %.0f | %.0f | %.0f | %s | %s | %s |\n",
				c.Stage, c.Writers, c.EntrySize, c.EntriesPS, c.MBps, c.P50us, c.P99us, c.P999us, perK(c.SyncsPerK), perK(c.WritesPerK), ratio(c.SpeedupVs1))
		}
		if sec.Workload == "writers" && p.PreallocSync.P50 > 0 {
			fmt.Fprintf(&b, "\nLittle's-law ceiling at N writers = N / %v.\n", p.PreallocSync.P50)
		}
		b.WriteString("\n")
	}
	writeReadsSection(&b, res, l)
	charts := "throughput.png, speedup.png, latency.png, syncs.png, writers.png, sizes.png"
	if len(res.ReadTraces) > 0 {
		charts += ", hitratio.png (read hit ratios against the computed bounds), reads.png (reads/s)"
	}
	fmt.Fprintf(&b, "Charts: %s (and .svg).\n", charts)
	return os.WriteFile(filepath.Join(out, "report.md"), []byte(b.String()), 0o644)
}

// perK prints a syscall count per 1,000 entries; 0 means "not counted"
// (tidwall/wal opens its own files, and replay issues no syncs).
func perK(x float64) string {
	if x == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f", x)
}

func ratio(x float64) string {
	if x == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1fx", x)
}

// writeReadsSection reports the reads workload: one table per trace, with
// the computed bounds of that trace under it.
func writeReadsSection(b *strings.Builder, res Results, l Layout) {
	if len(res.ReadTraces) == 0 {
		return
	}
	pages := res.ReadTraces[0].CachePages
	sh := traces.ShapeFor(pages)
	fmt.Fprintf(b, "## Reads by index: stage 5's cache (CLOCK-Pro, LRU) vs no cache vs the OS page cache\n\n")
	fmt.Fprintf(b, "One reader, %s entries of %s B (each record exactly one 4 KiB page: a %s log). Stage 5's cache gets %s pages (%s), a quarter of the log, under either policy. Every trace is %s reads, the same for every row, and every row starts cold: the WAL is reopened and the kernel told to drop the log's pages.\n\n",
		thousands(sh.Entries), thousands(l.ReadEntryBytes), l.mib(sh.Entries), thousands(pages), l.mib(pages), thousands(sh.Reads))
	fmt.Fprintf(b, "How to read it: the hit ratio is the share of reads served without a disk read. Compare it with the best possible for the same budget (Belady's optimum, which knows the future), not with 100%%. Stage 4 has no hit count: the kernel's page cache has no fixed budget, it takes all free memory, so it keeps this whole log after one read and is the upper bound (\"no memory limit\" below; it also reads ahead, so sequential reads, the loop and the scans, often hit even the first time), paid for in memory nobody sized. Stage 5 keeps to the budget it was given.\n\n")
	for _, t := range res.ReadTraces {
		fmt.Fprintf(b, "### %s\n\n%s\n\n", t.Trace, describeTrace(sh, t.Trace))
		fmt.Fprintf(b, "| variant | hit ratio | reads/s | p50 µs | p99 µs | p99.9 µs |\n|---|---:|---:|---:|---:|---:|\n")
		for _, c := range res.Cells {
			if c.Workload == "reads" && c.Trace == t.Trace {
				fmt.Fprintf(b, "| %s | %s | %.0f | %.1f | %.0f | %.0f |\n", c.Stage, hitRatioText(c, l), c.EntriesPS, c.P50us, c.P99us, c.P999us)
			}
		}
		fmt.Fprintf(b, "\nComputed for this trace: best possible with %s pages (Belady) %s; no memory limit (only the first read of each of its %s entries misses) %s.\n\n",
			thousands(t.CachePages), percent(t.Optimal), thousands(t.Distinct), percent(t.Unbounded))
	}
}

// hitRatioText is the hit ratio column: the ratio, or why there is none.
func hitRatioText(c harness.Cell, l Layout) string {
	if c.HitRatio != nil {
		return percent(*c.HitRatio)
	}
	for _, v := range l.ReadVariants {
		if v.Name == c.Stage && v.NoRatio != "" {
			return v.NoRatio
		}
	}
	return "not counted"
}

func percent(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }

// mib is the size of n cache pages.
func (l Layout) mib(pages int) string {
	return fmt.Sprintf("%g MiB", float64(pages)*float64(l.PageBytes)/(1<<20))
}

// thousands writes n with thousands separators: 16384 reads "16,384".
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// describeTrace says what the trace name of shape sh reads.
func describeTrace(sh traces.Shape, name string) string {
	switch name {
	case "zipf":
		return fmt.Sprintf("Zipf popularity (s = %.1f) over all %s entries, the popular ones scattered over the log.",
			traces.ZipfExponent, thousands(sh.Entries))
	case "loop":
		return fmt.Sprintf("The first %s entries (1.5x the cache) in order, again and again: LRU always evicts the entry read next.",
			thousands(sh.LoopLength()))
	case "scan":
		hot, hotRun, scanRun := sh.ScanShape()
		return fmt.Sprintf("%s random reads of a hot set of %s entries (half the cache), then a one-pass scan of %s other entries, and again.",
			thousands(hotRun), thousands(hot), thousands(scanRun))
	}
	return ""
}
