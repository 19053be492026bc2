package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"walworkshop/compare/harness"
	"walworkshop/compare/latency"
)

// A tiny real run: every implementation, 1 and 4 writers, one round of 50ms.
// It catches a WAL that deadlocks or never acknowledges, latencies recorded
// in the wrong unit or order, missing syscall counts, and leaked directories.
func TestTinyRunMeasuresEveryCell(t *testing.T) {
	parent := t.TempDir()
	cfg, err := newConfig("1,4", 1, 50*time.Millisecond, strings.Join(names(allImpls()), ","), parent)
	if err != nil {
		t.Fatal(err)
	}
	cfg.settle = 0
	cells, err := run(context.Background(), cfg, logWriter{t})
	if err != nil {
		t.Fatal(err)
	}
	rows := summarize(cfg, cells)
	if want := len(cfg.impls) * len(cfg.writers); len(rows) != want {
		t.Fatalf("got %d rows, want %d (one per impl and writer count)", len(rows), want)
	}
	for _, r := range rows {
		c := r.median
		name := fmt.Sprintf("%s with %d writers", c.impl, c.writers)
		if c.Entries <= 0 {
			t.Errorf("%s: %d entries", name, c.Entries)
			continue
		}
		// Every append takes some time, percentiles are ordered, and no
		// append can outlast the cell it ran in (plus HDR's 0.1% rounding).
		l := c.Latency
		if !(0 < l.P50 && l.P50 <= l.P99 && l.P99 <= l.P999 && l.P999 <= c.Elapsed+c.Elapsed/100) {
			t.Errorf("%s: insane latencies p50=%v p99=%v p99.9=%v in a cell of %v",
				name, l.P50, l.P99, l.P999, c.Elapsed)
		}
		// Little's law: a writer is inside an Append or between two, so
		// throughput times mean latency is at most the number of writers.
		// It is less by the time writers spend between appends, which on a
		// loaded machine (a writer waiting for a core) can be half of it or
		// more, so the lower bound only catches what is off by an order of
		// magnitude: latencies in the wrong unit, or appends that return
		// before they are done while the clock keeps running.
		if n := c.PerSecond() * l.Mean.Seconds(); n < 0.1*float64(c.writers) || n > 1.05*float64(c.writers) {
			t.Errorf("%s: %.0f entries/s x mean latency %v = %.2f appends in flight, want about %d",
				name, c.PerSecond(), l.Mean, n, c.writers)
		}
		// The same CPU time as the kit's cells, measured in this process.
		if cell := harness.NewCell("writers", c.impl, c.writers, entrySize, c.Result); cell.CPUusPerEntry <= 0 || cell.CPUUtilisation <= 0 || cell.CPUUtilisation > 1.05 {
			t.Errorf("%s: %v CPU µs per entry, CPU utilisation %v", name, cell.CPUusPerEntry, cell.CPUUtilisation)
		}
		if wantCounted := c.impl != tidwallImpl.name; c.Counted != wantCounted {
			t.Errorf("%s: counted=%v, want %v", name, c.Counted, wantCounted)
		}
		// Each entry was waited for, so some sync covered it; a lone writer
		// has nobody to share a sync with, so it needs one per entry. A WAL
		// that acknowledges before its fsync fails here.
		n := c.Counts
		if c.Counted && (n.Syncs == 0 || n.Writes == 0 || c.writers == 1 && n.Syncs < uint64(c.Entries)) {
			t.Errorf("%s: %d entries took %d writes and %d syncs", name, c.Entries, n.Writes, n.Syncs)
		}
	}
	left, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range left {
		t.Errorf("temporary directory left behind: %s", e.Name())
	}
}

// The table's row is one whole round, the one with the median throughput,
// so its latencies were measured together with its entries/s.
func TestSummaryTakesTheMedianRound(t *testing.T) {
	mk := func(entries int64, p99 time.Duration) cell {
		return cell{impl: "x", writers: 1, Result: harness.Result{Entries: entries, Elapsed: time.Second, Latency: latency.Summary{P99: p99}}}
	}
	for _, tc := range []struct {
		rounds  []cell
		wantP99 time.Duration
	}{
		{[]cell{mk(10, 1), mk(30, 3), mk(20, 2)}, 2},
		{[]cell{mk(40, 4), mk(10, 1), mk(30, 3), mk(20, 2)}, 3}, // even: the faster middle
		{[]cell{mk(5, 5)}, 5},
	} {
		s := summarizeRounds(tc.rounds)
		if s.median.Latency.P99 != tc.wantP99 {
			t.Errorf("median of %d rounds has p99 %v, want %v", len(tc.rounds), s.median.Latency.P99, tc.wantP99)
		}
		if s.low > s.median.PerSecond() || s.median.PerSecond() > s.top {
			t.Errorf("median %v outside [%v, %v]", s.median.PerSecond(), s.low, s.top)
		}
	}
}

func TestConfigRejectsBadFlags(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ writers, impls string }{
		{"0", "pebble"},
		{"1,x", "pebble"},
		{"1", "pebble,nosuchwal"},
	} {
		if _, err := newConfig(tc.writers, 1, time.Second, tc.impls, dir); err == nil {
			t.Errorf("-writers=%s -impls=%s accepted", tc.writers, tc.impls)
		}
	}
}

// logWriter sends the progress lines to the test log.
type logWriter struct{ t *testing.T }

func (w logWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}
