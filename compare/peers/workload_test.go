package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
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
		if c.entries <= 0 {
			t.Errorf("%s: %d entries", name, c.entries)
			continue
		}
		// Every append takes some time, percentiles are ordered, and no
		// append can outlast the cell it ran in (plus HDR's 0.1% rounding).
		if !(0 < c.p50 && c.p50 <= c.p99 && c.p99 <= c.p999 && c.p999 <= c.elapsed+c.elapsed/100) {
			t.Errorf("%s: insane latencies p50=%v p99=%v p99.9=%v in a cell of %v",
				name, c.p50, c.p99, c.p999, c.elapsed)
		}
		// Little's law: each writer is always inside an Append, so
		// throughput times mean latency is the number of writers. Latencies
		// in the wrong unit, or appends that return before they are done
		// while the clock keeps running, break it.
		if l := c.perSecond() * c.mean.Seconds(); l < 0.5*float64(c.writers) || l > 1.05*float64(c.writers) {
			t.Errorf("%s: %.0f entries/s x mean latency %v = %.2f appends in flight, want about %d",
				name, c.perSecond(), c.mean, l, c.writers)
		}
		if wantCounted := c.impl != tidwallImpl.name; c.counted != wantCounted {
			t.Errorf("%s: counted=%v, want %v", name, c.counted, wantCounted)
		}
		// Each entry was waited for, so some sync covered it; a lone writer
		// has nobody to share a sync with, so it needs one per entry. A WAL
		// that acknowledges before its fsync fails here.
		if c.counted && (c.syncs == 0 || c.writes == 0 || c.writers == 1 && c.syncs < uint64(c.entries)) {
			t.Errorf("%s: %d entries took %d writes and %d syncs", name, c.entries, c.writes, c.syncs)
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
		return cell{impl: "x", writers: 1, entries: entries, elapsed: time.Second, p99: p99}
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
		if s.median.p99 != tc.wantP99 {
			t.Errorf("median of %d rounds has p99 %v, want %v", len(tc.rounds), s.median.p99, tc.wantP99)
		}
		if s.low > s.median.perSecond() || s.median.perSecond() > s.top {
			t.Errorf("median %v outside [%v, %v]", s.median.perSecond(), s.low, s.top)
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
