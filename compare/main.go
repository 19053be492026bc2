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

	"walworkshop/compare/harness"
	"walworkshop/compare/stages"
)

type config struct {
	out, dir     string
	stages       []harness.Stage
	workloads    []workload
	writers      []int
	sizes        []int
	duration     time.Duration
	probeSamples int
	rate         float64
	peers        bool
	peersDir     string
	readCache    int           // pages in stage 5's cache for the reads workload
	settle       time.Duration // harness.Warmup's pause; tests make it 0
}

// runs says whether the workload named name was picked.
func (cfg config) runs(name string) bool {
	return slices.ContainsFunc(cfg.workloads, func(w workload) bool { return w.name == name })
}

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
	workloads := fs.String("workloads", defaultWorkloads(), workloadHelp())
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
	cfg := config{out: *out, dir: *dir, duration: *duration, probeSamples: *samples, rate: *rate,
		peers: *peers, peersDir: *peersDir, readCache: *readCache, settle: harness.Settle}
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

func pickStages(list string) ([]harness.Stage, error) {
	all := stages.All()
	if list == "" {
		return all, nil
	}
	var picked []harness.Stage
	for _, name := range strings.Split(list, ",") {
		s, ok := find(all, func(s harness.Stage) string { return s.Name }, name)
		if !ok {
			return nil, fmt.Errorf("-stages: unknown stage %q", name)
		}
		picked = append(picked, s)
	}
	return picked, nil
}

// find returns the element of all whose name is want.
func find[T any](all []T, name func(T) string, want string) (T, bool) {
	for _, x := range all {
		if name(x) == want {
			return x, true
		}
	}
	var zero T
	return zero, false
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
