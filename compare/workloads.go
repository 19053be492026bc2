package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"walworkshop/compare/harness"
	"walworkshop/compare/latency"
	"walworkshop/compare/probe"
	"walworkshop/compare/report"
)

// A workload is one name -workloads accepts. This list is the only place
// that knows them: the flag's help and default, the plan, and the report's
// headings, descriptions and columns all come from it.
type workload struct {
	name      string
	help      string
	byDefault bool
	// title heads the workload's table in report.md; "" where the workload
	// writes a section of its own (reads).
	title string
	// what says, under the title, what the workload measures and how,
	// with the settings of this run.
	what func(cfg config) string
	// columns are the table's columns after the stage: only those that
	// mean something for this workload.
	columns []report.Column
	// plan adds the workload's cells to p.
	plan func(p *planner)
}

// timed is how a section says what a timed cell is.
func timed(cfg config) string {
	return fmt.Sprintf("Each cell is a fresh log, one warm-up append and a %v pause, then %v of measurement (the %s profile; the default runs 1s, `-full` 5s).",
		harness.Settle, cfg.duration, cfg.profile)
}

func workloads() []workload {
	closedLoop := []report.Column{report.ColEntriesPS, report.ColMBps, report.ColLatency, report.ColCounts, report.ColVsStage1, report.ColCPU}
	return []workload{
		{name: "batches", help: "the original Java workshop's experiment: one writer, batches of 100", byDefault: true,
			title: "Batches: the original Java workshop's experiment",
			what: func(config) string {
				return "1,000 entries of 128 B from one writer, as 10 AppendBatch calls of 100 entries, each durable before it returns, and the experiment made ten times over on the same log. " +
					"The latencies are per batch of 100 entries, not per entry. The original Java workshop measured 238 writes/s for its naive WAL and 17,857 for its \"optimized\" one, which never synced. " +
					"A cell is the 100 batches, not a timed run: ten batches alone last a few milliseconds, where one slow fsync weighs. It is still short, and the noisiest cell of the report."
			},
			columns: []report.Column{report.ColEntriesPS, report.ColMBps, report.ColBatchLatency, report.ColCounts, report.ColVsStage1, report.ColCPU},
			plan:    func(p *planner) { p.eachStage(p.batches) }},
		{name: "writers", help: "durable writers, one cell per -writers", byDefault: true,
			title: "Durable writers: each appends 128 B and waits for it",
			what: func(cfg config) string {
				return "N goroutines, each appending one 128 B entry and waiting until it is durable before the next (closed loop): the workload group commit is for. " +
					"Latency is per append. \"vs stage 1\" is entries/s over stage 1's at the same N; \"% of ceiling\" is entries/s over the log's own Little's-law ceiling at the same N (below the table). " + timed(cfg)
			},
			columns: []report.Column{report.ColWriters, report.ColEntriesPS, report.ColMBps, report.ColLatency, report.ColCounts, report.ColVsStage1, report.ColCeiling, report.ColCPU},
			plan: func(p *planner) {
				for _, n := range p.cfg.writers {
					p.eachStage(func(s harness.Stage) (harness.Cell, error) { return p.closedLoop("writers", s, n, 128) })
				}
			}},
		{name: "sizes", help: fmt.Sprintf("entry sizes at %d writers, one cell per -sizes", sizeWriters), byDefault: true,
			title: fmt.Sprintf("Entry sizes, %d writers", sizeWriters),
			what: func(cfg config) string {
				return fmt.Sprintf("The durable-writers workload at %d writers with larger entries: where bytes, not syncs, become the limit. \"vs stage 1\" is at the same size. ", sizeWriters) + timed(cfg)
			},
			columns: append([]report.Column{report.ColEntrySize}, closedLoop...),
			plan: func(p *planner) {
				for _, size := range p.cfg.sizes {
					p.eachStage(func(s harness.Stage) (harness.Cell, error) { return p.closedLoop("sizes", s, sizeWriters, size) })
				}
			}},
		{name: "replay", help: "reading a log back", byDefault: true,
			title: "Replay: reading 32 MiB of 4 KiB entries back",
			what: func(config) string {
				return "8,192 entries of 4 KiB (32 MiB) are written in batches, then Replay reads them all back, eight times over: how fast recovery reads a log. " +
					"A cell is the eight Replays, timed as a whole (one alone lasts a few tens of milliseconds, where the first read's latency weighs): there is no per-entry latency, and nothing is synced. " +
					fmt.Sprintf("Twice just before the Replays and twice just after, the harness reads a file as large as the log through direct I/O, 1 MiB at a time, %d reads in flight as in stage 5's read-ahead: \"device read, same time\" is the median of those four, what the device gave while the cell ran, on a disk whose speed drifts within minutes.", replayDeviceInFlight)
			},
			columns: []report.Column{report.ColEntriesPS, report.ColMBps, report.ColElapsed, report.ColCPU, report.ColDeviceRead},
			plan:    func(p *planner) { p.eachStage(p.replay) }},
		{name: "sweep", help: "the tuning presets on stages 3-5, whatever -stages says (make sweep)", byDefault: false,
			title: fmt.Sprintf("Tuning sweep: the presets on stages 3-5, %d writers", sweepWriters),
			what: func(cfg config) string {
				return fmt.Sprintf("The durable-writers workload at %d writers of 128 B on stages 3-5 under each tuning preset: write buffer (MaxGroupBytes), batch (MaxGroupEntries), max wait (MaxWait) and segment size, from the original Java workshop's tuning table (compare/sweep.go). ", sweepWriters) + timed(cfg)
			},
			columns: []report.Column{report.ColPreset, report.ColEntriesPS, report.ColLatency, report.ColCounts, report.ColCPU},
			plan:    planSweep},
		{name: "openloop", help: "appends offered at -rate", byDefault: true,
			title: "Open loop: 128 B appends offered at a fixed rate",
			what: func(cfg config) string {
				return fmt.Sprintf("%s appends/s of 128 B are offered on a fixed schedule (`-rate`), whatever the stage does, by up to %d appends in flight; "+
					"each latency runs from the append's scheduled start, so a stage that falls behind shows it as latency (no coordinated omission). "+
					"A stage that keeps up does %s entries/s: the column to read is latency, and stage 1 is no baseline here. ",
					report.Thousands(int(cfg.rate+0.5)), openLoopWorkers, report.Thousands(int(cfg.rate+0.5))) + timed(cfg)
			},
			columns: []report.Column{report.ColEntriesPS, report.ColLatency, report.ColCounts, report.ColCPU},
			plan:    func(p *planner) { p.eachStage(p.openLoop) }},
		{name: "reads", help: "Read by index on zipf, loop and scan traces: stage 5's cache (needs stage 4 or 5)", byDefault: true,
			plan: planReads},
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
	b.WriteString("comma-separated `workloads`:")
	for _, w := range workloads() {
		fmt.Fprintf(&b, "\n  %-9s %s", w.name, w.help)
	}
	b.WriteString("\n") // the default goes on a line of its own
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
		w, ok := find(all, func(w workload) string { return w.name }, strings.TrimSpace(name))
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

// batches is the original Java workshop's experiment: 1,000 entries of
// 128 B from one writer in batches of 100 (its "optimized" WAL: 17,857
// writes/s, but unsynced; its naive one: 238 writes/s), made batchesPasses
// times over. The latencies are per AppendBatch: per batch of 100.
func (p *planner) batches(s harness.Stage) (harness.Cell, error) {
	const batchesPasses = 10
	return p.measure("batches", s, 1, 128, func(log harness.StageLog) (harness.Result, error) {
		batch := make([][]byte, 100)
		for i := range batch {
			batch[i] = make([]byte, 128)
		}
		return harness.Measure(log, 1, func(rec []*latency.Recorder) (int64, error) {
			for range batchesPasses * 10 {
				start := time.Now()
				if _, err := log.AppendBatch(batch); err != nil {
					return 0, err
				}
				rec[0].Record(time.Since(start))
			}
			return batchesPasses * 1000, nil
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

// replay writes 32 MiB of 4 KiB entries in batches, then times replayPasses
// Replays of all of them: how fast recovery reads a log back. One Replay
// of 32 MiB takes a few tens of milliseconds, where the first read's
// latency and the start of the read-ahead weigh; several passes measure
// the rate a long recovery sees.
func (p *planner) replay(s harness.Stage) (harness.Cell, error) {
	const size, total, batchLen, replayPasses = 4096, 8192, 128, 8
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
	device, err := newDeviceReads(filepath.Join(p.cfg.dir, ".replay-device-read"), total*size)
	if err != nil {
		return harness.Cell{}, fmt.Errorf("%s replay: %w", s.Name, err)
	}
	defer device.remove()
	// The pause of Warmup: a stage that prepares its next segment in the
	// background is still zero-filling it, and a replay timed now would
	// share the device with it.
	time.Sleep(p.cfg.settle)
	if err := device.read(); err != nil {
		return harness.Cell{}, fmt.Errorf("%s replay: %w", s.Name, err)
	}
	// Measured as a whole, like every cell (its clock and CPU time), with
	// no per-entry latency.
	r, err := harness.Measure(log, 1, func([]*latency.Recorder) (int64, error) {
		var n int64
		for range replayPasses {
			var pass int64
			err := log.Replay(1, func(uint64, []byte) error { pass++; return nil })
			if err == nil && pass != total {
				err = fmt.Errorf("%d of %d entries", pass, total)
			}
			if err != nil {
				return n, err
			}
			n += pass
		}
		return n, nil
	})
	if err == nil {
		err = device.read()
	}
	if err != nil {
		return harness.Cell{}, fmt.Errorf("%s replay: %w", s.Name, err)
	}
	c := harness.NewCell("replay", s.Name, 1, size, r)
	c.DeviceReadMBps = device.median()
	return c, nil
}

// replayDeviceInFlight is how many reads the replay cell's device reads keep
// in flight: as many as stage 5's read-ahead.
const replayDeviceInFlight = 4

// deviceReads times the device's sequential reads beside a replay cell, on
// a file of its own (probe.DirectFile). Where the filesystem refuses direct
// I/O there is no device to time, and it times nothing.
type deviceReads struct {
	f    *probe.DirectFile // nil: direct I/O refused
	mbps []float64
}

func newDeviceReads(path string, size int) (*deviceReads, error) {
	f, err := probe.NewDirectFile(path, int64(size))
	if errors.Is(err, probe.ErrNoDirectIO) {
		return &deviceReads{}, nil
	}
	return &deviceReads{f: f}, err
}

// read reads the whole file twice.
func (d *deviceReads) read() error {
	if d.f == nil {
		return nil
	}
	for range 2 {
		mbps, err := d.f.ReadMBps(replayDeviceInFlight)
		if err != nil {
			return err
		}
		d.mbps = append(d.mbps, mbps)
	}
	return nil
}

// median is the median read rate in MB/s, 0 if none was timed.
func (d *deviceReads) median() float64 {
	if len(d.mbps) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(d.mbps))
	return (s[(len(s)-1)/2] + s[len(s)/2]) / 2
}

func (d *deviceReads) remove() {
	if d.f != nil {
		d.f.Remove()
	}
}
