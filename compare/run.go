package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"walworkshop/compare/harness"
	"walworkshop/compare/probe"
	"walworkshop/compare/report"
	"walworkshop/compare/traces"
)

// probeDirectBytes is how much each of the probe's O_DIRECT figures moves:
// long enough that the device's own cache does not decide the figure, short
// enough that the six of them take a second or two.
const probeDirectBytes = 128 << 20

// run measures what cfg picks and writes the results into cfg.out; the
// progress goes to progress, and the summary at the end to summary.
func run(cfg config, summary, progress io.Writer) error {
	if err := os.MkdirAll(cfg.out, 0o755); err != nil {
		return err
	}
	res := report.Results{Machine: describeMachine(cfg.dir),
		Run: report.Run{Profile: cfg.profile, CellSeconds: cfg.duration.Seconds(), OpenLoopRate: cfg.rate}}
	fmt.Fprintf(progress, "probing %s (%d lone syncs of each kind)\n", cfg.dir, cfg.probeSamples)
	p, err := probe.Run(cfg.dir, cfg.probeSamples, cfg.probeBytes)
	if err != nil {
		return err
	}
	res.Probe = p
	fmt.Fprintf(progress, "probe: append+%s p50 %v, prealloc+%s p50 %v; %s; O_DIRECT MB/s: %s %s\n",
		p.SyncCall, p.AppendSync.P50, p.SyncCall, p.PreallocSync.P50, p.DirectSyncSummary(), p.DirectSummary(), p.DirectError)

	pl := plan(cfg, progress)
	defer pl.cleanup()
	done := newProgress(progress, len(pl.jobs))
	for _, job := range pl.jobs {
		c, err := job()
		if err != nil {
			return err
		}
		res.Cells = append(res.Cells, c)
		done(c)
	}
	if cfg.peers && cfg.runs("writers") {
		cells, err := runPeers(cfg, progress)
		if err != nil {
			return err
		}
		res.Cells = append(res.Cells, cells...)
	}
	if slices.ContainsFunc(res.Cells, func(c harness.Cell) bool { return c.Workload == "reads" }) {
		res.ReadTraces = traces.BoundsFor(cfg.readCache)
	}
	report.FillSpeedups(res.Cells)
	report.FillCeilings(res.Cells, res.Probe)
	written, err := report.Write(cfg.out, res, reportLayout(cfg))
	if err != nil {
		return err
	}
	printSummary(summary, cfg.out, res, written)
	return nil
}

// printSummary says where the results are, which charts could not be
// drawn and why, and the headline ratios.
func printSummary(w io.Writer, out string, res report.Results, written report.Written) {
	var charts []string
	for _, c := range written.Charts {
		charts = append(charts, c.Name)
	}
	fmt.Fprintf(w, "\nresults in %s/: report.md (open it first), results.json, results.csv", out)
	if len(charts) > 0 {
		fmt.Fprintf(w, ", charts (.png and .svg): %s", strings.Join(charts, ", "))
	}
	fmt.Fprintln(w)
	for _, s := range written.Skipped {
		fmt.Fprintf(w, "not drawn: %s.png: %s\n", s.Name, s.Why)
	}
	fmt.Fprintln(w, "headlines:")
	for _, h := range report.Headlines(res) {
		fmt.Fprintf(w, "  %s\n", h)
	}
}

// A planner collects the cells of a run, in the order they run, and what
// must be removed from the disk once they have.
type planner struct {
	cfg      config
	progress io.Writer
	jobs     []func() (harness.Cell, error)
	cleanups []func()
}

// plan lists the cells of the picked workloads: every stage for one
// setting, then the next setting, so slow drift of a noisy machine hits all
// stages.
func plan(cfg config, progress io.Writer) *planner {
	p := &planner{cfg: cfg, progress: progress}
	for _, w := range cfg.workloads {
		w.plan(p)
	}
	return p
}

// eachStage adds one cell per picked stage.
func (p *planner) eachStage(cell func(harness.Stage) (harness.Cell, error)) {
	for _, s := range p.cfg.stages {
		p.jobs = append(p.jobs, func() (harness.Cell, error) { return cell(s) })
	}
}

func (p *planner) cleanup() {
	for _, c := range p.cleanups {
		c()
	}
}

// reportLayout tells the report what it cannot learn from the cells: the
// workloads' headings, descriptions and columns, the rows of the reads
// tables, the sweep's presets.
func reportLayout(cfg config) report.Layout {
	l := report.Layout{ReadEntryBytes: entryBytes, PageBytes: pageBytes, SweptStages: sweptStages}
	for _, w := range workloads() {
		if w.title != "" {
			l.Sections = append(l.Sections, report.Section{Workload: w.name, Title: w.title, What: w.what(cfg), Columns: w.columns})
		}
	}
	for _, v := range readVariants() {
		l.ReadVariants = append(l.ReadVariants, v.ReadVariant)
	}
	for _, p := range presets {
		l.Presets = append(l.Presets, report.Preset{Name: p.name, MaxGroupBytes: p.buffer, MaxGroupEntries: p.batch, MaxWait: p.wait, SegmentSize: p.segment})
	}
	return l
}
