package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"time"

	"walworkshop/compare/probe"
)

// results is everything one run measured; results.json is this, as is.
type results struct {
	Machine machine      `json:"machine"`
	Probe   probe.Result `json:"probe"`
	Cells   []cell       `json:"cells"`
	// ReadTraces: what any cache could do on each trace of the reads
	// workload, computed from the traces (traces.go), not measured.
	ReadTraces []traceBounds `json:"read_traces,omitempty"`
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

	jobs, cleanup := plan(cfg, progress)
	defer cleanup()
	report := newProgress(progress, len(jobs))
	for _, job := range jobs {
		c, err := job.run()
		if err != nil {
			return err
		}
		res.Cells = append(res.Cells, c)
		report(c)
	}
	if cfg.peers && slices.Contains(cfg.workloads, "writers") {
		cells, err := runPeers(cfg, progress)
		if err != nil {
			return err
		}
		res.Cells = append(res.Cells, cells...)
	}
	if slices.ContainsFunc(res.Cells, func(c cell) bool { return c.Workload == "reads" }) {
		res.ReadTraces = readBounds(cfg.readCache)
	}
	fillSpeedups(res.Cells)
	return writeOutputs(cfg.out, res)
}

type job struct{ run func() (cell, error) }

// plan lists the cells in the order they run: every stage for one setting,
// then the next setting, so slow drift of a noisy machine hits all stages.
// cleanup removes what the jobs leave on disk for each other.
func plan(cfg config, progress io.Writer) (jobs []job, cleanup func()) {
	cleanup = func() {}
	add := func(f func(s stage) (cell, error)) {
		for _, s := range cfg.stages {
			jobs = append(jobs, job{func() (cell, error) { return f(s) }})
		}
	}
	for _, w := range cfg.workloads {
		switch w {
		case "seed":
			add(func(s stage) (cell, error) { return seedReplay(s, cfg.dir) })
		case "writers":
			for _, n := range cfg.writers {
				add(func(s stage) (cell, error) { return durableWriters(s, cfg.dir, n, 128, cfg.duration) })
			}
		case "sizes":
			for _, size := range cfg.sizes {
				add(func(s stage) (cell, error) {
					c, err := durableWriters(s, cfg.dir, cfg.sizeWriters, size, cfg.duration)
					c.Workload = "sizes"
					return c, err
				})
			}
		case "replay":
			add(func(s stage) (cell, error) { return replay(s, cfg.dir) })
		case "sweep":
			for _, s := range sweepStages() {
				jobs = append(jobs, job{func() (cell, error) { return sweepCell(s, cfg.dir, cfg.duration) }})
			}
		case "openloop":
			add(func(s stage) (cell, error) { return openLoop(s, cfg.dir, cfg.rate, cfg.duration) })
		case "reads":
			variants := variantsFor(cfg.stages)
			if len(variants) == 0 {
				fmt.Fprintln(progress, "reads: skipped (it needs stage4_prealloc or stage5_direct_cache in -stages)")
				continue
			}
			rw := newReadsWorkload(cfg.dir, cfg.readCache)
			before := cleanup
			cleanup = func() { before(); rw.removeLogs() }
			for _, t := range rw.traces {
				for _, v := range variants {
					jobs = append(jobs, job{func() (cell, error) { return rw.runTrace(v, t) }})
				}
			}
		}
	}
	return jobs, cleanup
}

// readBounds describes the reads workload's traces for the report.
func readBounds(cachePages int) []traceBounds {
	var out []traceBounds
	for _, t := range makeTraces(shapeFor(cachePages)) {
		out = append(out, boundsOf(t, cachePages))
	}
	return out
}

// replay writes 32 MiB of 4 KiB entries in batches, then times one Replay
// of all of them: how fast recovery reads a log back.
func replay(s stage, parent string) (cell, error) {
	const size, total, batchLen = 4096, 8192, 128
	w, done, err := openFresh(s, parent)
	if err != nil {
		return cell{}, err
	}
	defer done()
	batch := make([][]byte, batchLen)
	for i := range batch {
		batch[i] = make([]byte, size)
	}
	for range total / batchLen {
		if _, err := w.AppendBatch(batch); err != nil {
			return cell{}, fmt.Errorf("%s replay: %w", s.name, err)
		}
	}
	var n int64
	start := time.Now()
	err = w.Replay(1, func(uint64, []byte) error { n++; return nil })
	secs := time.Since(start).Seconds()
	if err != nil || n != total {
		return cell{}, fmt.Errorf("%s replay: %d of %d entries, %v", s.name, n, total, err)
	}
	return cell{
		Workload: "replay", Stage: s.name, Writers: 1, EntrySize: size,
		Entries: n, Seconds: secs,
		EntriesPS: float64(n) / secs,
		MBps:      float64(n) * size / 1e6 / secs,
	}, nil
}
