package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"slices"
	"time"
)

// summary is one row of the table: one implementation at one number of
// writers, over all rounds.
type summary struct {
	median   cell    // the round with the median entries/s
	low, top float64 // slowest and fastest round, entries/s
}

// summarize picks, for every (impl, writers), the round with the median
// entries/s. Latencies come from that same round rather than being medians
// of their own, so every number in a row was measured together. With an
// even number of rounds it takes the faster of the two middle rounds.
func summarize(cfg config, cells []cell) []summary {
	var out []summary
	for _, n := range cfg.writers {
		for _, im := range cfg.impls {
			var rounds []cell
			for _, c := range cells {
				if c.impl == im.name && c.writers == n {
					rounds = append(rounds, c)
				}
			}
			if len(rounds) == 0 {
				continue
			}
			out = append(out, summarizeRounds(rounds))
		}
	}
	return out
}

func summarizeRounds(rounds []cell) summary {
	rounds = slices.Clone(rounds)
	slices.SortFunc(rounds, func(a, b cell) int {
		return compareFloat(a.PerSecond(), b.PerSecond())
	})
	return summary{
		median: rounds[len(rounds)/2],
		low:    rounds[0].PerSecond(),
		top:    rounds[len(rounds)-1].PerSecond(),
	}
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func printReport(w io.Writer, cfg config, rows []summary) {
	fmt.Fprintf(w, "## Durable writers: %d-byte entries, each writer waits for its fsync\n\n", entrySize)
	fmt.Fprintf(w, "%s %s/%s, %d CPUs; dir %s (%s); %d rounds of %s per cell; %s\n\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(),
		cfg.dir, fsType(cfg.dir), cfg.rounds, cfg.duration, depVersions())

	pebble := map[int]float64{} // writers -> pebble's median entries/s
	for _, r := range rows {
		if r.median.impl == pebbleImpl.name {
			pebble[r.median.writers] = r.median.PerSecond()
		}
	}
	fmt.Fprintln(w, "| impl | writers | entries/s (median) | spread | p50 µs | p99 µs | p99.9 µs | syncs/1000 | writes/1000 | vs pebble |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		c := r.median
		syncs, writes := "n/a", "n/a"
		if c.Counted {
			syncs = fmt.Sprintf("%.1f", c.PerThousand(c.Counts.Syncs))
			writes = fmt.Sprintf("%.1f", c.PerThousand(c.Counts.Writes))
		}
		ratio := "n/a"
		if p, ok := pebble[c.writers]; ok && p > 0 {
			ratio = fmt.Sprintf("%.2fx", c.PerSecond()/p)
		}
		fmt.Fprintf(w, "| %s | %d | %.0f | ±%.0f%% | %.0f | %.0f | %.0f | %s | %s | %s |\n",
			c.impl, c.writers, c.PerSecond(), spread(r), micros(c.Latency.P50), micros(c.Latency.P99), micros(c.Latency.P999),
			syncs, writes, ratio)
	}
	fmt.Fprintln(w, "\nspread: half the range between the slowest and the fastest round, relative to the median.")
	fmt.Fprintln(w, "syncs and writes are counted where they are issued; tidwall/wal opens its own files, so they are")
	fmt.Fprintln(w, "not counted, but its source issues one write and one fsync per Write (1000 per 1000 entries).")
}

func spread(r summary) float64 { return 50 * (r.top - r.low) / r.median.PerSecond() }

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// depVersions names the versions of the peers actually compiled in, so a
// table pasted elsewhere says what it measured.
func depVersions() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "dependency versions unknown"
	}
	s := ""
	for _, d := range info.Deps {
		switch d.Path {
		case "github.com/cockroachdb/pebble/v2", "github.com/tidwall/wal":
			if s != "" {
				s += ", "
			}
			s += d.Path + " " + d.Version
		}
	}
	return s
}
