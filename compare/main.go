// Command compare is the workshop's harness (`make compare`): it probes the
// disk, runs identical workloads on every stage, and writes report.md,
// results.json, results.csv and charts (PNG and SVG) to an output folder.
//
//	go run ./compare                 # default profile, about a minute
//	go run ./compare -full           # the workshop's longer run
//	go run ./compare -stages=stage3_groupcommit,stage4_prealloc -writers=16,64 -duration=3s
//	go run ./compare -workloads=reads -peers=false   # stage 5's read cache only
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

type config struct {
	out, dir     string
	stages       []stage
	workloads    []string
	writers      []int
	sizes        []int
	duration     time.Duration
	probeSamples int
	sizeWriters  int
	rate         float64
	peers        bool
	peersDir     string
	readCache    int // pages in stage 5's cache for the reads workload
}

var knownWorkloads = []string{"seed", "writers", "sizes", "replay", "openloop", "reads", "sweep"}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(2)
	}
	if err := run(cfg, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (config, error) {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	out := fs.String("out", "results", "output folder")
	dir := fs.String("dir", ".", "where the WALs are written: a real disk, not tmpfs")
	stages := fs.String("stages", "", "comma-separated stages (default: all)")
	workloads := fs.String("workloads", "seed,writers,sizes,replay,openloop,reads", "comma-separated workloads: "+strings.Join(knownWorkloads, ", ")+" (sweep: the tuning presets of stages 3-4, `make sweep`)")
	writers := fs.String("writers", "1,4,16,64,256", "writer counts for the writers workload")
	sizes := fs.String("sizes", "128,4096,65536", "entry sizes in bytes for the sizes workload")
	duration := fs.Duration("duration", time.Second, "time per cell")
	full := fs.Bool("full", false, "the workshop profile: 5s per cell")
	samples := fs.Int("probe-samples", 500, "lone syncs timed by the device probe")
	rate := fs.Float64("rate", 5000, "appends/s offered by the openloop workload")
	peers := fs.Bool("peers", true, "also run pebble and tidwall/wal in the writers workload (compare/peers)")
	peersDir := fs.String("peers-dir", "compare/peers", "where the compare/peers module is")
	readCache := fs.Int("read-cache-pages", 1024, "reads workload: stage 5's cache budget in 4 KiB pages; the log is 4x as many entries of 4 KiB, each trace 16x as many reads")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	cfg := config{out: *out, dir: *dir, duration: *duration, probeSamples: *samples, sizeWriters: 16, rate: *rate,
		peers: *peers, peersDir: *peersDir, readCache: *readCache}
	if cfg.rate <= 0 {
		return config{}, fmt.Errorf("-rate must be positive, not %v", cfg.rate)
	}
	if cfg.readCache < 4 {
		return config{}, fmt.Errorf("-read-cache-pages must be at least 4, not %d", cfg.readCache)
	}
	if *full {
		cfg.duration = 5 * time.Second
	}
	if cfg.duration <= 0 {
		return config{}, fmt.Errorf("-duration must be positive, not %v", cfg.duration)
	}
	var err error
	if cfg.stages, err = pickStages(*stages); err != nil {
		return config{}, err
	}
	if cfg.workloads, err = pickWorkloads(*workloads); err != nil {
		return config{}, err
	}
	if cfg.writers, err = positiveInts("-writers", *writers); err != nil {
		return config{}, err
	}
	if cfg.sizes, err = positiveInts("-sizes", *sizes); err != nil {
		return config{}, err
	}
	return cfg, nil
}

func pickStages(list string) ([]stage, error) {
	all := allStages()
	if list == "" {
		return all, nil
	}
	var picked []stage
	for _, name := range strings.Split(list, ",") {
		i := slices.IndexFunc(all, func(s stage) bool { return s.name == name })
		if i < 0 {
			return nil, fmt.Errorf("-stages: unknown stage %q", name)
		}
		picked = append(picked, all[i])
	}
	return picked, nil
}

func pickWorkloads(list string) ([]string, error) {
	var picked []string
	for _, w := range strings.Split(list, ",") {
		if !slices.Contains(knownWorkloads, w) {
			return nil, fmt.Errorf("-workloads: unknown workload %q (known: %s)", w, strings.Join(knownWorkloads, ", "))
		}
		picked = append(picked, w)
	}
	return picked, nil
}

func positiveInts(flagName, list string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%s: %q is not a positive number", flagName, f)
		}
		out = append(out, n)
	}
	if len(out) == 0 {
		return nil, errors.New(flagName + ": empty")
	}
	return out, nil
}
