package report

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"walworkshop/compare/harness"
	"walworkshop/compare/probe"
	"walworkshop/compare/stages"
	"walworkshop/compare/traces"
)

func writeReport(out string, res Results, l Layout, w Written) error {
	var b strings.Builder
	m, p := res.Machine, res.Probe
	fmt.Fprintf(&b, "# walworkshop: measured on this machine\n\n")
	fmt.Fprintf(&b, "%s · %s (%d CPUs) · %s · filesystem %s · %s · WALs in `%s`\n\n", m.Date, m.CPU, m.CPUs, m.Kernel, m.Filesystem, m.Go, m.Dir)
	if r := res.Run; r.Profile != "" {
		fmt.Fprintf(&b, "Profile: %s, timed cells of %v each (the default profile runs 1s, `-full` 5s, `-duration` sets it). Numbers from another machine, or another run on a busy one, are not comparable with these.\n\n",
			r.Profile, seconds(r.CellSeconds))
	}
	fmt.Fprintf(&b, "## Headlines\n\n")
	for _, h := range Headlines(res) {
		fmt.Fprintf(&b, "- %s\n", h)
	}
	fmt.Fprintf(&b, "\n## The disk (device probe)\n\n| lone 4 KiB write + %s | p50 | p99 |\n|---|---:|---:|\n", syncCall(res))
	fmt.Fprintf(&b, "| into preallocated, zero-filled space | %v | %v |\n", p.PreallocSync.P50, p.PreallocSync.P99)
	fmt.Fprintf(&b, "| appended to a growing file | %v | %v |\n", p.AppendSync.P50, p.AppendSync.P99)
	writeLoneDirectRows(&b, p)
	writeDirectTable(&b, p)
	fmt.Fprintf(&b, "Limits drawn from it: N writers that each wait for their entry cannot get more than N / (p50 of a lone durable write of the kind the log does) entries/s (Little's law, if one sync took the probe's p50 and served all N): %s", ceilingsSummary(p))
	if w, r := p.BestMBps(probe.PreallocWrite), p.BestMBps(probe.Read); w > 0 && r > 0 {
		fmt.Fprintf(&b, "; no entry size gets more than %.0f MB/s onto the device (its best %s, which is what stages 4 and 5 do), and no replay reads the device faster than %.0f MB/s (one from the page cache can)", w, probe.PreallocWrite, r)
	}
	b.WriteString(".\n\n")

	for _, sec := range l.Sections {
		cells := workloadCells(res.Cells, sec.Workload)
		if len(cells) == 0 {
			continue
		}
		fmt.Fprintf(&b, "## %s\n\n", sec.Title)
		if sec.What != "" {
			fmt.Fprintf(&b, "%s\n\n", sec.What)
		}
		writeTable(&b, sec, cells)
		switch sec.Workload {
		case "writers":
			writeWritersNotes(&b, res)
		case "sweep":
			writeSweepNotes(&b, l, cells)
		case "replay":
			writeReplayNotes(&b, p, cells)
		}
		embedCharts(&b, w, sec.Workload)
	}
	writeReadsSection(&b, res, l)
	embedCharts(&b, w, "reads")
	if len(w.Skipped) > 0 {
		fmt.Fprintf(&b, "## Charts not drawn\n\n")
		for _, s := range w.Skipped {
			fmt.Fprintf(&b, "- %s.png: %s\n", s.Name, s.Why)
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "Every chart is also an .svg next to its .png; every number is in results.json and results.csv.\n")
	return os.WriteFile(filepath.Join(out, "report.md"), []byte(b.String()), 0o644)
}

// writeLoneDirectRows ends the probe's lone-write table with its O_DIRECT
// rows, then says whether the device advertises FUA.
func writeLoneDirectRows(b *strings.Builder, p probe.Result) {
	direct := p.DirectIO
	if direct == "" {
		direct = "O_DIRECT"
	}
	if p.DirectSync.P50 > 0 {
		fmt.Fprintf(b, "| %s, into preallocated, zero-filled space | %v | %v |\n", direct, p.DirectSync.P50, p.DirectSync.P99)
	} else {
		fmt.Fprintf(b, "| %s, into preallocated, zero-filled space | not measured | not measured |\n", direct)
	}
	if p.DsyncWrite.P50 > 0 {
		fmt.Fprintf(b, "| %s %s in place of %s (durable on return), into preallocated space | %v | %v |\n", direct, p.DsyncCall, syncCallOf(p), p.DsyncWrite.P50, p.DsyncWrite.P99)
	} else {
		fmt.Fprintf(b, "| %s pwritev2 with RWF_DSYNC in place of %s | not measured (Linux only) | – |\n", direct, syncCallOf(p))
	}
	switch p.FUA {
	case "":
		b.WriteString("\nWhether the device advertises FUA (a write the device makes durable without a separate cache flush): unknown.\n\n")
	default:
		fmt.Fprintf(b, "\nThe device advertises FUA (a write the device makes durable without a separate cache flush): %s (`%s`).\n\n", p.FUA, p.FUAFrom)
	}
}

// ceilingsSummary says which ceiling bounds whom: "N / 229µs for stages
// 1-3, peers (a lone append + fdatasync); ...".
func ceilingsSummary(p probe.Result) string {
	kinds, bounded := ceilingKinds(p, allSystems())
	var parts []string
	for i, kind := range kinds {
		parts = append(parts, fmt.Sprintf("N / %v for %s (%s)", roundUs(p.Latency(kind).P50), whoLabel(bounded[i]), loneWrite(p, kind)))
	}
	if len(parts) == 0 {
		return "none measured"
	}
	return strings.Join(parts, "; ")
}

// writeDirectTable: the probe's sequential O_DIRECT figures, an op per row
// and a number in flight per column, or why there are none.
func writeDirectTable(b *strings.Builder, p probe.Result) {
	if p.DirectError != "" {
		fmt.Fprintf(b, "Sequential O_DIRECT I/O: %s.\n\n", p.DirectError)
		return
	}
	if len(p.Direct) == 0 {
		return
	}
	b.WriteString("| sequential O_DIRECT, 1 MiB I/Os, MB/s |")
	for _, n := range probe.InFlights() {
		fmt.Fprintf(b, " %d in flight |", n)
	}
	b.WriteString("\n|---|" + strings.Repeat("---:|", len(probe.InFlights())) + "\n")
	for _, op := range probe.Ops() {
		fmt.Fprintf(b, "| %s |", op)
		for _, n := range probe.InFlights() {
			fmt.Fprintf(b, " %s |", mbps(p.DirectMBps(op, n)))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(b, "\nEach figure is the median of %d passes of 1 MiB I/Os over the file; with 4 in flight, 4 goroutines each issue every 4th. Writes are synced before the clock stops.\n\n", probe.BandwidthPasses)
}

// roundUs rounds a latency the probe measured to the µs, as the notes
// and charts say it; the probe's table keeps every digit.
func roundUs(d time.Duration) time.Duration { return d.Round(time.Microsecond) }

// mbps prints a bandwidth; "–" where none was measured.
func mbps(x float64) string {
	if x <= 0 {
		return "–"
	}
	return Thousands(int(x + 0.5))
}

// seconds prints a cell duration: "1s", "5s", "30ms".
func seconds(s float64) time.Duration {
	return time.Duration(s * float64(time.Second)).Round(time.Millisecond)
}

// embedCharts embeds the charts drawn for workload.
func embedCharts(b *strings.Builder, w Written, workload string) {
	for _, c := range w.Charts {
		if c.Workload == workload {
			fmt.Fprintf(b, "![%s: %s](%s.png)\n\n", c.Name, c.Alt, c.Name)
		}
	}
}

// writeTable writes the section's table: the stage, then sec's columns.
func writeTable(b *strings.Builder, sec Section, cells []harness.Cell) {
	heads, aligns := []string{"stage"}, []string{"---"}
	for _, col := range sec.Columns {
		for _, h := range col.heads() {
			heads, aligns = append(heads, h), append(aligns, "---:")
		}
	}
	aligns[0] = "---"
	if len(sec.Columns) > 0 && sec.Columns[0] == ColPreset {
		aligns[1] = "---"
	}
	fmt.Fprintf(b, "| %s |\n|%s|\n", strings.Join(heads, " | "), strings.Join(aligns, "|"))
	for _, c := range cells {
		stage, _, _ := strings.Cut(c.Stage, "/")
		row := []string{stage}
		for _, col := range sec.Columns {
			row = append(row, col.values(c)...)
		}
		fmt.Fprintf(b, "| %s |\n", strings.Join(row, " | "))
	}
	b.WriteString("\n")
}

func (col Column) heads() []string {
	switch col {
	case ColPreset:
		return []string{"preset"}
	case ColWriters:
		return []string{"writers"}
	case ColEntrySize:
		return []string{"entry size"}
	case ColEntriesPS:
		return []string{"entries/s"}
	case ColMBps:
		return []string{"MB/s"}
	case ColLatency:
		return []string{"p50 µs", "p99 µs", "p99.9 µs"}
	case ColBatchLatency:
		return []string{"p50 µs per batch", "p99 µs per batch", "p99.9 µs per batch"}
	case ColCounts:
		return []string{"syncs / 1,000", "writes / 1,000"}
	case ColVsStage1:
		return []string{"vs stage 1"}
	case ColElapsed:
		return []string{"time"}
	case ColCPU:
		return []string{"CPU µs / entry", "CPU use"}
	case ColCeiling:
		return []string{"% of ceiling"}
	case ColDeviceRead:
		return []string{"device read MB/s, same time", "% of device read"}
	}
	return nil
}

func (col Column) values(c harness.Cell) []string {
	switch col {
	case ColPreset:
		_, preset, _ := strings.Cut(c.Stage, "/")
		return []string{preset}
	case ColWriters:
		return []string{Thousands(c.Writers)}
	case ColEntrySize:
		return []string{sizeLabel(c.EntrySize)}
	case ColEntriesPS:
		return []string{Thousands(int(c.EntriesPS + 0.5))}
	case ColMBps:
		return []string{fmt.Sprintf("%.1f", c.MBps)}
	case ColLatency, ColBatchLatency:
		return []string{micros(c.P50us), micros(c.P99us), micros(c.P999us)}
	case ColCounts:
		return []string{perK(c.SyncsPerK), perK(c.WritesPerK)}
	case ColVsStage1:
		return []string{ratio(c.SpeedupVs1)}
	case ColElapsed:
		return []string{seconds(c.Seconds).String()}
	case ColCPU:
		return []string{micros(c.CPUusPerEntry), percent(c.CPUUtilisation)}
	case ColCeiling:
		if c.CeilingFraction <= 0 {
			return []string{"–"}
		}
		return []string{percent(c.CeilingFraction)}
	case ColDeviceRead:
		if c.DeviceReadMBps <= 0 {
			return []string{"–", "–"}
		}
		return []string{fmt.Sprintf("%.0f", c.DeviceReadMBps), percent(c.MBps / c.DeviceReadMBps)}
	}
	return nil
}

// micros prints a latency in µs: one decimal under 10 µs, where a cache
// hit lies; "–" where none was measured.
func micros(x float64) string {
	switch {
	case x <= 0:
		return "–"
	case x < 10:
		return fmt.Sprintf("%.1f", x)
	}
	return Thousands(int(x + 0.5))
}

// writeWritersNotes: the ceilings, each system's own; what the probe says
// of O_DIRECT and RWF_DSYNC; the ratios at one writer the probe predicts;
// and which cells are above their ceiling.
func writeWritersNotes(b *strings.Builder, res Results) {
	p := res.Probe
	systems := stageNames(workloadCells(res.Cells, "writers"))
	kinds, bounded := ceilingKinds(p, systems)
	if len(kinds) > 0 {
		b.WriteString("The dashed lines on writers.png are Little's-law ceilings, one per kind of durable write: N writers, one sync serving all of them, each sync as fast as the probe's p50 of a lone 4 KiB write of the kind the log does. ")
		b.WriteString("Each log is held to its own, and \"% of ceiling\" is its entries/s over that ceiling at the same N. ")
		var parts []string
		for i, kind := range kinds {
			parts = append(parts, fmt.Sprintf("For %s: N / %v, the p50 of %s%s", whoLabel(bounded[i]), roundUs(p.Latency(kind).P50), loneWrite(p, kind), ceilingWhy(kind, bounded[i])))
		}
		b.WriteString(strings.Join(parts, ". ") + ".\n\n")
	}
	if slices.Contains(kinds, probe.SyncDirect) {
		writeDsyncNote(b, p)
	}
	writeOneWriterRatios(b, res)
	if above := aboveCeiling(res); len(above) > 0 {
		var which []string
		for _, c := range above {
			which = append(which, fmt.Sprintf("%s at %s (%s entries/s, ceiling %s)", c.Stage, writersLabel(c.Writers),
				Thousands(int(c.EntriesPS+0.5)), Thousands(int(ceilingOf(p, c)+0.5))))
		}
		fmt.Fprintf(b, "Above its own line in this run: %s. The p50 is a median: half the probe's syncs were faster than it, and the probe ran before the cells, on a disk whose load may have changed since.\n\n", strings.Join(which, "; "))
	}
	if !isStageList(systems) {
		b.WriteString("pebble and tidwall/wal ran after the stages (compare/peers), not interleaved with them. tidwall/wal opens its own files, so its syncs and writes are not counted (–).\n\n")
	}
}

// ceilingWhy says why a kind of write bounds systems.
func ceilingWhy(kind probe.SyncKind, systems []string) string {
	switch kind {
	case probe.SyncAppend:
		if slices.Contains(systems, stages.Pebble) {
			return ": each sync also commits the file's new size and blocks (pebble's fallocated space still needs an extent conversion at every sync)"
		}
		return ": each sync also commits the file's new size and blocks"
	case probe.SyncPrealloc:
		return ": the write goes to the page cache, and the sync writes it into zero-filled space, with no metadata to commit"
	case probe.SyncDirect:
		return ": the write itself waits for the device, then the sync flushes the device's cache"
	}
	return ""
}

// writeDsyncNote: what the probe measured of RWF_DSYNC against O_DIRECT
// write + sync, and what FUA has to do with it.
func writeDsyncNote(b *strings.Builder, p probe.Result) {
	call := syncCallOf(p)
	if p.DsyncWrite.P50 <= 0 {
		fmt.Fprintf(b, "pwritev2 with RWF_DSYNC, one call that is durable on return, is Linux's: the probe did not time it here.\n\n")
		return
	}
	fmt.Fprintf(b, "Could stage 5 save its %s? One %s %s, durable on return with no separate sync, took p50 %v against %v for %s write + %s (probe). ",
		call, p.DirectIO, p.DsyncCall, roundUs(p.DsyncWrite.P50), roundUs(p.DirectSync.P50), p.DirectIO, call)
	switch p.FUA {
	case "no":
		fmt.Fprintf(b, "This device does not advertise FUA (`%s` is 0), so the kernel carries out RWF_DSYNC as the write and then a cache flush of its own: the same two device round trips as write + %s, one syscall fewer, no round trip saved.\n\n", p.FUAFrom, call)
	case "yes":
		fmt.Fprintf(b, "This device advertises FUA (`%s`), so the kernel can send RWF_DSYNC as one write the device makes durable, with no separate cache flush: a device round trip saved where the device's FUA is fast.\n\n", p.FUAFrom)
	default:
		fmt.Fprintf(b, "Whether this device advertises FUA is unknown; without FUA the kernel carries out RWF_DSYNC as the write and then a cache flush, the same two device round trips as write + %s, and saves no round trip.\n\n", call)
	}
}

// writeOneWriterRatios: at one writer a log does one lone durable write
// per entry, so the probe predicts the ratio of two stages: stage 4 over
// stage 3 is what preallocation saves, the filesystem's metadata commit on
// this disk; stage 5 over stage 4 is O_DIRECT write + sync against a
// buffered one.
func writeOneWriterRatios(b *strings.Builder, res Results) {
	p := res.Probe
	var lines []string
	for _, pair := range []struct {
		a, b string
		why  string
	}{
		{stages.Prealloc, stages.GroupCommit, "what preallocation gains is what the filesystem's metadata commit costs on this disk"},
		{stages.DirectCache, stages.Prealloc, "what O_DIRECT changes of one durable write on this disk"},
	} {
		ca, okA := cellOf(res.Cells, "writers", pair.a, 1)
		cb, okB := cellOf(res.Cells, "writers", pair.b, 1)
		ka, _ := ceilingKind(pair.a)
		kb, _ := ceilingKind(pair.b)
		la, lb := p.Latency(ka).P50, p.Latency(kb).P50
		if !okA || !okB || la <= 0 || lb <= 0 {
			continue
		}
		lines = append(lines, fmt.Sprintf("At 1 writer %s / %s is %.2fx (%s vs %s entries/s); the probe expects %.2fx, %v (p50 of %s) over %v (p50 of %s): %s",
			pair.a, pair.b, ca.EntriesPS/cb.EntriesPS, Thousands(int(ca.EntriesPS+0.5)), Thousands(int(cb.EntriesPS+0.5)),
			lb.Seconds()/la.Seconds(), roundUs(lb), loneWrite(p, kb), roundUs(la), loneWrite(p, ka), pair.why))
	}
	if len(lines) > 0 {
		fmt.Fprintf(b, "%s.\n\n", strings.Join(lines, ". "))
	}
}

// writeReplayNotes: the device's read ceiling, why a replay beats it, and
// how close the replays that read the device came to it.
func writeReplayNotes(b *strings.Builder, p probe.Result, cells []harness.Cell) {
	one, best := p.DirectMBps(probe.Read, 1), p.BestMBps(probe.Read)
	if best <= 0 {
		return
	}
	fmt.Fprintf(b, "The device reads sequentially at %.0f MB/s with one 1 MiB O_DIRECT read in flight and %.0f MB/s at best (probe). "+
		"A replay faster than that read the page cache, which still held the log it had just written: stages 1-4 read through it, "+
		"and only stage 5, which writes and reads with O_DIRECT, reads the device itself.", one, best)
	for _, c := range cells {
		if c.Stage == stages.DirectCache && c.DeviceReadMBps > 0 {
			fmt.Fprintf(b, " %s replayed at %.0f MB/s: %s of what the device read at the same time (%.0f MB/s), %s of the probe's best.",
				c.Stage, c.MBps, percent(c.MBps/c.DeviceReadMBps), c.DeviceReadMBps, percent(c.MBps/best))
		}
	}
	b.WriteString("\n\n")
}

func isStageList(names []string) bool {
	for _, n := range names {
		if !isStage(n) {
			return false
		}
	}
	return true
}

// writeSweepNotes: the presets' options, and why a preset that waits is
// slow under closed-loop writers.
func writeSweepNotes(b *strings.Builder, l Layout, cells []harness.Cell) {
	b.WriteString("| preset | MaxGroupBytes | MaxGroupEntries | MaxWait | SegmentSize |\n|---|---:|---:|---:|---:|\n")
	opt := func(set bool, s string) string {
		if !set {
			return "default"
		}
		return s
	}
	for _, p := range l.Presets {
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s |\n", p.Name, opt(p.MaxGroupBytes > 0, sizeLabel(p.MaxGroupBytes)),
			opt(p.MaxGroupEntries > 0, Thousands(p.MaxGroupEntries)), opt(p.MaxWait > 0, p.MaxWait.String()), opt(p.SegmentSize > 0, sizeLabel(int(p.SegmentSize))))
	}
	b.WriteString("\n")
	writers, size := cells[0].Writers, cells[0].EntrySize
	var names, needs, caps []string
	for _, p := range l.Presets {
		if bound, ok := sweepCap(p, writers, size); ok {
			names = append(names, p.Name)
			needs = append(needs, fmt.Sprintf("%s entries or %s", Thousands(p.MaxGroupEntries), sizeLabel(p.MaxGroupBytes)))
			caps = append(caps, fmt.Sprintf("%s entries/s with a MaxWait of %v", Thousands(int(bound+0.5)), p.MaxWait))
		}
	}
	if len(names) == 0 {
		return
	}
	verb := "are"
	if len(names) == 1 {
		verb = "is"
	}
	fmt.Fprintf(b, "Why %s %s slow here: a group is written when it is full (%s) or when MaxWait has passed since its first entry. "+
		"These %d writers are closed-loop: each waits for its entry before it appends the next, so at most %d entries are ever waiting and no group fills. "+
		"Every group holds itself open for its whole MaxWait while nobody else can join it: at most %d entries per MaxWait, %s (the dashed lines on sweep.png). "+
		"A long MaxWait pays off with more writers than a group holds, or with writers that do not wait for each entry.\n\n",
		strings.Join(names, " and "), verb, strings.Join(needs, "; "),
		writers, writers, writers, strings.Join(caps, ", "))
}

// perK prints a syscall count per 1,000 entries; 0 means "not counted"
// (tidwall/wal opens its own files).
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
	fmt.Fprintf(b, "One reader, %s entries of %s B (each record exactly one 4 KiB page: a %s log). Stage 5's cache gets %s pages (%s), a quarter of the log, under either policy. Every trace is %s reads, the same for every row, and every row starts cold: the WAL is reopened and the kernel told to drop the log's pages. A cell is the whole trace, not a timed run.\n\n",
		Thousands(sh.Entries), Thousands(l.ReadEntryBytes), l.mib(sh.Entries), Thousands(pages), l.mib(pages), Thousands(sh.Reads))
	fmt.Fprintf(b, "How to read it: the hit ratio is the share of reads served without a disk read. Compare it with the best possible for the same budget (Belady's optimum, which knows the future), not with 100%%. Stage 4 has no hit count: the kernel's page cache has no fixed budget, it takes all free memory, so it keeps this whole log after one read and is the upper bound (\"no memory limit\" below; it also reads ahead, so sequential reads, the loop and the scans, often hit even the first time), paid for in memory nobody sized. Stage 5 keeps to the budget it was given.\n\n")
	for _, t := range res.ReadTraces {
		fmt.Fprintf(b, "### %s\n\n%s\n\n", t.Trace, describeTrace(sh, t.Trace))
		fmt.Fprintf(b, "| variant | hit ratio | reads/s | p50 µs | p99 µs | p99.9 µs | CPU µs / read | CPU use |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, c := range res.Cells {
			if c.Workload == "reads" && c.Trace == t.Trace {
				fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s |\n", c.Stage, hitRatioText(c, l), Thousands(int(c.EntriesPS+0.5)), micros(c.P50us), micros(c.P99us), micros(c.P999us),
					strings.Join(ColCPU.values(c), " | "))
			}
		}
		fmt.Fprintf(b, "\nComputed for this trace: best possible with %s pages (Belady) %s; no memory limit (only the first read of each of its %s entries misses) %s.\n\n",
			Thousands(t.CachePages), percent(t.Optimal), Thousands(t.Distinct), percent(t.Unbounded))
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

// Thousands writes n with thousands separators: 16384 reads "16,384".
func Thousands(n int) string {
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
			traces.ZipfExponent, Thousands(sh.Entries))
	case "loop":
		return fmt.Sprintf("The first %s entries (1.5x the cache) in order, again and again: LRU always evicts the entry read next.",
			Thousands(sh.LoopLength()))
	case "scan":
		hot, hotRun, scanRun := sh.ScanShape()
		return fmt.Sprintf("%s random reads of a hot set of %s entries (half the cache), then a one-pass scan of %s other entries, and again.",
			Thousands(hotRun), Thousands(hot), Thousands(scanRun))
	}
	return ""
}
