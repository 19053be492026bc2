package main

import (
	"fmt"
	"io"
	"os"
	"slices"

	"walworkshop/compare/harness"
	"walworkshop/compare/probe"
	"walworkshop/compare/report"
	"walworkshop/compare/traces"
)

func run(cfg config, progress io.Writer) error {
	if err := os.MkdirAll(cfg.out, 0o755); err != nil {
		return err
	}
	res := report.Results{Machine: describeMachine(cfg.dir)}
	fmt.Fprintf(progress, "probing %s (%d lone syncs of each kind)\n", cfg.dir, cfg.probeSamples)
	p, err := probe.Run(cfg.dir, cfg.probeSamples, 64<<20)
	if err != nil {
		return err
	}
	res.Probe = p
	fmt.Fprintf(progress, "probe: append+fdatasync p50 %v, prealloc+fdatasync p50 %v, O_DIRECT %.0f MB/s %s\n",
		p.AppendSync.P50, p.PreallocSync.P50, p.DirectMBps, p.DirectError)

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
	return report.Write(cfg.out, res, reportLayout())
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
// workloads' headings, the rows of the reads tables, the sweep's presets.
func reportLayout() report.Layout {
	l := report.Layout{ReadEntryBytes: entryBytes, PageBytes: pageBytes, SweptStages: sweptStages}
	for _, w := range workloads() {
		if w.title != "" {
			l.Sections = append(l.Sections, report.Section{Workload: w.name, Title: w.title})
		}
	}
	for _, v := range readVariants() {
		l.ReadVariants = append(l.ReadVariants, v.ReadVariant)
	}
	for _, p := range presets {
		l.Presets = append(l.Presets, p.name)
	}
	return l
}
