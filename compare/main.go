// Command compare is the workshop's harness (`make compare`): it probes the
// disk, runs identical workloads on every stage, and writes report.md,
// results.json, results.csv and charts (PNG and SVG) to an output folder,
// then prints where they are and the ratios worth reading aloud.
// `go run ./compare -h` lists the flags, with examples (see usage).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
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
	profile      string // "default", "full" or "custom" (-duration): what the report says was run
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
	probeBytes   int64         // what each O_DIRECT figure of the probe moves; tests make it small
}

// runs says whether the workload named name was picked.
func (cfg config) runs(name string) bool {
	return slices.ContainsFunc(cfg.workloads, func(w workload) bool { return w.name == name })
}

func main() { os.Exit(compare(os.Args[1:], os.Stdout, os.Stderr)) }

// compare is the command: the flags in args, the summary to stdout, the
// progress and errors to stderr. It returns the exit status: 0 for -h too.
func compare(args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "compare:", err)
		fmt.Fprintln(stderr, "compare: go run ./compare -h lists the flags")
		return 2
	}
	if err := run(cfg, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "compare:", err)
		return 1
	}
	return 0
}

// usage is what -h prints above the flags.
const usage = `usage: go run ./compare [flags]        (make compare ARGS="flags")

Probes the disk under -dir, runs the same workloads on every stage (and, for
the writers workload, on pebble and tidwall/wal through compare/peers), and
writes report.md, results.json, results.csv and charts (.png and .svg) into
-out. At the end it prints where they are and the headline ratios.

Examples:
  go run ./compare                          # the default profile: 1s cells, a few minutes
  go run ./compare -full                    # the workshop run: 5s cells
  go run ./compare -stages 3,4 -workloads writers -writers 1,64 -out /tmp/r1
  go run ./compare -workloads sweep         # make sweep: the tuning presets of stages 3-5
  go run ./compare -workloads reads -peers=false   # stage 5's read cache only

Flags:
`

// parseFlags reads the flags in args; -h (flag.ErrHelp) and a flag that
// does not parse print the usage to help.
func parseFlags(args []string, help io.Writer) (config, error) {
	fs := flag.NewFlagSet("compare", flag.ContinueOnError)
	fs.SetOutput(help)
	fs.Usage = func() {
		fmt.Fprint(help, usage)
		fs.PrintDefaults()
	}
	out := fs.String("out", "results", "output `folder`")
	dir := fs.String("dir", ".", "`folder` the WALs are written in: a real disk, not tmpfs")
	stages := fs.String("stages", "", "comma-separated `stages`, by number (3,4), as stage3, or in full; default all:\n"+stageHelp())
	workloads := fs.String("workloads", defaultWorkloads(), workloadHelp())
	writers := fs.String("writers", "1,4,16,64,256", "writer `counts` for the writers workload")
	sizes := fs.String("sizes", "128,4096,65536", "entry `sizes` in bytes for the sizes workload")
	duration := fs.Duration("duration", time.Second, "`time` each timed cell measures")
	full := fs.Bool("full", false, "the workshop profile: 5s per cell")
	samples := fs.Int("probe-samples", 500, "lone syncs of each kind the device probe times")
	rate := fs.Float64("rate", 5000, "appends/s the openloop workload offers")
	peers := fs.Bool("peers", true, "also run pebble and tidwall/wal in the writers workload (compare/peers)")
	peersDir := fs.String("peers-dir", "compare/peers", "`folder` of the compare/peers module")
	readCache := fs.Int("read-cache-pages", 1024, "reads workload: stage 5's cache budget in 4 KiB `pages`; the log is 4x as many entries of 4 KiB, each trace 16x as many reads")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	cfg := config{out: *out, dir: *dir, profile: "default", duration: *duration, probeSamples: *samples, rate: *rate,
		peers: *peers, peersDir: *peersDir, readCache: *readCache, settle: harness.Settle,
		probeBytes: probeDirectBytes}
	if cfg.rate <= 0 {
		return config{}, fmt.Errorf("-rate must be positive, not %v", cfg.rate)
	}
	if cfg.readCache < 4 {
		return config{}, fmt.Errorf("-read-cache-pages must be at least 4, not %d", cfg.readCache)
	}
	switch {
	case *full:
		cfg.profile, cfg.duration = "full", 5*time.Second
	case cfg.duration != time.Second:
		cfg.profile = "custom"
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

// pickStages reads -stages: every stage if list is empty, else the ones it
// names (stages.Find), each once, in the order given.
func pickStages(list string) ([]harness.Stage, error) {
	all := stages.All()
	if list == "" {
		return all, nil
	}
	var picked []harness.Stage
	for _, name := range strings.Split(list, ",") {
		s, ok := stages.Find(all, name)
		if !ok {
			return nil, fmt.Errorf("-stages: unknown stage %q (known: %s)", name, stages.Names(all))
		}
		if !slices.ContainsFunc(picked, func(p harness.Stage) bool { return p.Name == s.Name }) {
			picked = append(picked, s)
		}
	}
	return picked, nil
}

// stageHelp lists the stages for -h, one a line.
func stageHelp() string {
	var lines []string
	for _, s := range stages.All() {
		lines = append(lines, "  "+s.Name)
	}
	return strings.Join(lines, "\n")
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
