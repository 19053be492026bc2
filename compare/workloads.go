package main

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"walworkshop/compare/harness"
	"walworkshop/compare/latency"
)

// A workload is one name -workloads accepts. This list is the only place
// that knows them: the flag's help and default, the plan, and the report's
// headings all come from it.
type workload struct {
	name      string
	help      string
	byDefault bool
	// title heads the workload's table in report.md; "" where the workload
	// writes a section of its own (reads).
	title string
	// plan adds the workload's cells to p.
	plan func(p *planner)
}

func workloads() []workload {
	return []workload{
		{"seed", "the original Java workshop's experiment", true,
			"Seed replay: 1,000 entries of 128 B, one writer, batches of 100 (the original Java workshop measured 238 vs 17,857 writes/s, unsynced)",
			func(p *planner) { p.eachStage(p.seedReplay) }},
		{"writers", "durable writers, one cell per -writers", true,
			"Durable writers: each appends 128 B and waits for it",
			func(p *planner) {
				for _, n := range p.cfg.writers {
					p.eachStage(func(s harness.Stage) (harness.Cell, error) { return p.closedLoop("writers", s, n, 128) })
				}
			}},
		{"sizes", "entry sizes at 16 writers, one cell per -sizes", true,
			"Entry sizes, 16 writers",
			func(p *planner) {
				for _, size := range p.cfg.sizes {
					p.eachStage(func(s harness.Stage) (harness.Cell, error) { return p.closedLoop("sizes", s, sizeWriters, size) })
				}
			}},
		{"replay", "reading a log back", true,
			"Replay: reading 32 MiB of 4 KiB entries back",
			func(p *planner) { p.eachStage(p.replay) }},
		{"sweep", "the tuning presets of stages 3-5 (make sweep)", false,
			"Tuning sweep, 64 writers: buffer (MaxGroupBytes), batch (MaxGroupEntries), max wait, segment size (see compare/sweep.go)",
			planSweep},
		{"openloop", "appends offered at -rate", true,
			"Open loop: 128 B appends offered at a fixed rate, latency from the scheduled start (no coordinated omission)",
			func(p *planner) { p.eachStage(p.openLoop) }},
		{"reads", "Read by index on zipf, loop and scan traces: stage 5's cache", true, "", planReads},
	}
}

// workloadNames lists the names of ws, for the flag's help and default.
func workloadNames(ws []workload) string {
	var names []string
	for _, w := range ws {
		names = append(names, w.name)
	}
	return strings.Join(names, ",")
}

func workloadHelp() string {
	var b strings.Builder
	b.WriteString("comma-separated workloads:")
	for _, w := range workloads() {
		fmt.Fprintf(&b, "\n  %-9s %s", w.name, w.help)
	}
	return b.String()
}

func defaultWorkloads() string {
	var on []workload
	for _, w := range workloads() {
		if w.byDefault {
			on = append(on, w)
		}
	}
	return workloadNames(on)
}

func pickWorkloads(list string) ([]workload, error) {
	all := workloads()
	var picked []workload
	for _, name := range strings.Split(list, ",") {
		w, ok := find(all, func(w workload) string { return w.name }, name)
		if !ok {
			return nil, fmt.Errorf("-workloads: unknown workload %q (known: %s)", name, workloadNames(all))
		}
		picked = append(picked, w)
	}
	return picked, nil
}

// sizeWriters is the load of the sizes workload.
const sizeWriters = 16

// closedLoop is the durable-writers workload on s (harness.ClosedLoop).
func (p *planner) closedLoop(workload string, s harness.Stage, writers, size int) (harness.Cell, error) {
	cl := harness.ClosedLoop{Writers: writers, Size: size, Duration: p.cfg.duration}
	return p.measure(workload, s, writers, size, func(log harness.StageLog) (harness.Result, error) {
		return cl.Run(context.Background(), log)
	})
}

// openLoopWorkers bounds the appends in flight in the open loop: enough
// for 5,000/s at 50 ms each (Little's law), so a slow stage's queue shows
// up as latency rather than as a loop that stops offering load.
const openLoopWorkers = 256

// openLoop offers -rate appends of 128 B per second, whatever the stage
// does, and measures each from its scheduled start (wrk2's model). A stage
// that cannot keep up shows it as latency that grows through the cell.
func (p *planner) openLoop(s harness.Stage) (harness.Cell, error) {
	return p.measure("openloop", s, openLoopWorkers, 128, func(log harness.StageLog) (harness.Result, error) {
		return harness.Measure(log, openLoopWorkers, func(rec []*latency.Recorder) (int64, error) {
			data := make([]byte, 128)
			var n atomic.Int64
			err := latency.OpenLoopInto(p.cfg.rate, p.cfg.duration, rec, func() error {
				_, err := log.Append(data)
				n.Add(1)
				return err
			})
			return n.Load(), err
		})
	})
}

// seedReplay is the original Java workshop's experiment: 1,000 entries of
// 128 B from one writer in batches of 100 (its "optimized" WAL: 17,857
// writes/s, but unsynced; its naive one: 238 writes/s).
func (p *planner) seedReplay(s harness.Stage) (harness.Cell, error) {
	return p.measure("seed", s, 1, 128, func(log harness.StageLog) (harness.Result, error) {
		batch := make([][]byte, 100)
		for i := range batch {
			batch[i] = make([]byte, 128)
		}
		return harness.Measure(log, 1, func(rec []*latency.Recorder) (int64, error) {
			for range 10 {
				start := time.Now()
				if _, err := log.AppendBatch(batch); err != nil {
					return 0, err
				}
				rec[0].Record(time.Since(start))
			}
			return 1000, nil
		})
	})
}

// measure runs one cell of workload on s the harness's way (harness.Fresh).
func (p *planner) measure(workload string, s harness.Stage, writers, size int, run func(harness.StageLog) (harness.Result, error)) (harness.Cell, error) {
	r, err := harness.Fresh(p.cfg.dir, s.Name, s.Open, size, p.cfg.settle, run)
	if err != nil {
		return harness.Cell{}, fmt.Errorf("%s: %w", workload, err)
	}
	return harness.NewCell(workload, s.Name, writers, size, r), nil
}

// replay writes 32 MiB of 4 KiB entries in batches, then times one Replay
// of all of them: how fast recovery reads a log back.
func (p *planner) replay(s harness.Stage) (harness.Cell, error) {
	const size, total, batchLen = 4096, 8192, 128
	log, done, err := harness.OpenFresh(p.cfg.dir, s.Name, s.Open)
	if err != nil {
		return harness.Cell{}, err
	}
	defer done()
	batch := make([][]byte, batchLen)
	for i := range batch {
		batch[i] = make([]byte, size)
	}
	for range total / batchLen {
		if _, err := log.AppendBatch(batch); err != nil {
			return harness.Cell{}, fmt.Errorf("%s replay: %w", s.Name, err)
		}
	}
	var n int64
	start := time.Now()
	err = log.Replay(1, func(uint64, []byte) error { n++; return nil })
	r := harness.Result{Entries: n, Elapsed: time.Since(start)}
	if err != nil || n != total {
		return harness.Cell{}, fmt.Errorf("%s replay: %d of %d entries, %v", s.Name, n, total, err)
	}
	return harness.NewCell("replay", s.Name, 1, size, r), nil
}
