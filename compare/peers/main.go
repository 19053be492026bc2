// Command peers runs the kit's "durable writers" workload on production Go
// WALs (pebble's record.LogWriter, tidwall/wal) and on the kit's own stages,
// interleaved in one run on the same disk, and prints a markdown table.
//
//	go run . -writers=1,16,64,256 -rounds=5 -duration=2s -impls=stage1_naive,stage2_buffered,pebble,tidwall
//
// It is a separate Go module so that the kit's own go.mod does not pull in
// pebble and its dependencies. See README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"walworkshop/compare/harness"
)

// allImpls is every WAL the harness knows, in table order.
func allImpls() []impl {
	return append(kitStages(), pebbleImpl, tidwallImpl)
}

type config struct {
	writers  []int
	rounds   int
	duration time.Duration
	impls    []impl
	dir      string        // parent of the per-cell temporary directories
	settle   time.Duration // harness.Warmup's pause; tests make it 0
}

func main() {
	var (
		writers  = flag.String("writers", "1,16,64,256", "comma-separated numbers of concurrent writers")
		rounds   = flag.Int("rounds", 5, "rounds; each runs every impl once per writer count, and the table shows the median round")
		duration = flag.Duration("duration", 2*time.Second, "how long each cell runs")
		impls    = flag.String("impls", strings.Join(names(allImpls()), ","), "comma-separated implementations to run")
		dir      = flag.String("dir", ".", "parent directory for the WAL directories: it must be on the disk you want to measure (not tmpfs, where fsync is free)")
		jsonOut  = flag.String("json", "", "also write the median cells as JSON to this file (for make compare)")
	)
	flag.Parse()
	cfg, err := newConfig(*writers, *rounds, *duration, *impls, *dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "peers:", err)
		flag.Usage()
		os.Exit(2)
	}
	if fs := fsType(cfg.dir); fs == "tmpfs" {
		fmt.Fprintf(os.Stderr, "peers: warning: %s is on tmpfs, where fsync costs nothing; pass -dir on a real disk\n", cfg.dir)
	}

	// Ctrl-C ends the current cell early; its temporary directory is still
	// removed.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cells, err := run(ctx, cfg, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "peers:", err)
		os.Exit(1)
	}
	summaries := summarize(cfg, cells)
	printReport(os.Stdout, cfg, summaries)
	if *jsonOut != "" {
		if err := writeJSON(*jsonOut, summaries); err != nil {
			fmt.Fprintln(os.Stderr, "peers:", err)
			os.Exit(1)
		}
	}
}

// run measures every (impl, writers) cell once per round. Cells of different
// implementations alternate, so a slow minute of a noisy machine hurts them
// all alike instead of one implementation's whole series.
func run(ctx context.Context, cfg config, progress io.Writer) ([]cell, error) {
	var cells []cell
	for r := range cfg.rounds {
		for _, n := range cfg.writers {
			for i := range cfg.impls {
				// Rotate who goes first each round, so no implementation
				// always runs right after the same neighbour.
				im := cfg.impls[(i+r)%len(cfg.impls)]
				c, err := runCell(ctx, im, n, cfg.duration, cfg.settle, cfg.dir)
				if err != nil {
					return nil, fmt.Errorf("round %d, %s, %d writers: %w", r+1, im.name, n, err)
				}
				c.round = r
				fmt.Fprintf(progress, "round %d/%d  %-18s %4d writers  %9.0f entries/s  p99 %8.0f µs\n",
					r+1, cfg.rounds, im.name, n, c.PerSecond(), micros(c.Latency.P99))
				cells = append(cells, c)
			}
		}
	}
	return cells, nil
}

func newConfig(writers string, rounds int, duration time.Duration, impls, dir string) (config, error) {
	cfg := config{rounds: rounds, duration: duration, dir: dir, settle: harness.Settle}
	if rounds < 1 {
		return cfg, errors.New("-rounds must be at least 1")
	}
	if duration <= 0 {
		return cfg, errors.New("-duration must be positive")
	}
	for _, s := range strings.Split(writers, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return cfg, fmt.Errorf("-writers: %q is not a positive number", s)
		}
		cfg.writers = append(cfg.writers, n)
	}
	known := allImpls()
	for _, name := range strings.Split(impls, ",") {
		name = strings.TrimSpace(name)
		i := indexOf(known, name)
		if i < 0 {
			return cfg, fmt.Errorf("-impls: unknown %q (known: %s)", name, strings.Join(names(known), ", "))
		}
		cfg.impls = append(cfg.impls, known[i])
	}
	info, err := os.Stat(dir)
	if err != nil {
		return cfg, fmt.Errorf("-dir: %w", err)
	}
	if !info.IsDir() {
		return cfg, fmt.Errorf("-dir: %s is not a directory", dir)
	}
	return cfg, nil
}

func names(impls []impl) []string {
	var s []string
	for _, im := range impls {
		s = append(s, im.name)
	}
	return s
}

func indexOf(impls []impl, name string) int {
	for i, im := range impls {
		if im.name == name {
			return i
		}
	}
	return -1
}
