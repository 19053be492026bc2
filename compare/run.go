package main

import (
	"fmt"
	"io"
	"os"
	"slices"

	"walworkshop/compare/harness"
	"walworkshop/compare/probe"
	"walworkshop/compare/traces"
)

// results is everything one run measured; results.json is this, as is.
type results struct {
	Machine machine        `json:"machine"`
	Probe   probe.Result   `json:"probe"`
	Cells   []harness.Cell `json:"cells"`
	// ReadTraces: what any cache could do on each trace of the reads
	// workload, computed from the traces (compare/traces), not measured.
	ReadTraces []traces.Bounds `json:"read_traces,omitempty"`
}

func run(cfg config, progress io.Writer) error {
	if err := os.MkdirAll(cfg.out, 0o755); err != nil {
		return err
	}
	res := results{Machine: describeMachine(cfg.dir)}
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
	report := newProgress(progress, len(pl.jobs))
	for _, job := range pl.jobs {
		c, err := job()
		if err != nil {
			return err
		}
		res.Cells = append(res.Cells, c)
		report(c)
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
	fillSpeedups(res.Cells)
	return writeOutputs(cfg.out, res)
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
