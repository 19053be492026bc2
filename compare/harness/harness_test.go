package harness

import (
	"context"
	"errors"
	"os"
	"sync/atomic"
	"testing"
	"time"
)

// memLog is a log in memory that "syncs" every second append and can be
// told to fail.
type memLog struct {
	appends atomic.Uint64
	failAt  uint64 // the append that fails; 0: none
	delay   time.Duration
	sink    atomic.Uint64 // busyLog's result
}

var errInjected = errors.New("injected")

func (m *memLog) Append(data []byte) (uint64, error) {
	n := m.appends.Add(1)
	if n == m.failAt {
		return 0, errInjected
	}
	time.Sleep(m.delay)
	return n, nil
}

func (m *memLog) Close() error { return nil }

func (m *memLog) Counts() Counts {
	n := m.appends.Load()
	return Counts{Syncs: n / 2, Writes: n}
}

// uncounted hides memLog's Counts, like tidwall/wal.
type uncounted struct{ *memLog }

func (u uncounted) Counts() {}

func TestClosedLoopRunsExactlyEntries(t *testing.T) {
	log := &memLog{}
	if err := Warmup(log, 128, 0); err != nil {
		t.Fatal(err)
	}
	r, err := ClosedLoop{Writers: 8, Size: 128, Entries: 1000}.Run(context.Background(), log)
	if err != nil {
		t.Fatal(err)
	}
	if r.Entries != 1000 || log.appends.Load() != 1001 {
		t.Fatalf("%d entries measured, %d appended, want 1000 and 1000 + the warm-up", r.Entries, log.appends.Load())
	}
	if r.Latency.Count != 1000 {
		t.Errorf("%d latencies recorded for 1000 appends", r.Latency.Count)
	}
	// The warm-up append (1 write, 0 syncs) is not counted.
	if !r.Counted || r.Counts.Writes != 1000 || r.Counts.Syncs != 500 {
		t.Errorf("counts %+v (counted %v), want 500 syncs and 1000 writes", r.Counts, r.Counted)
	}
	c := NewCell("writers", "mem", 8, 128, r)
	if c.SyncsPerK != 500 || c.WritesPerK != 1000 || c.Entries != 1000 || c.EntriesPS <= 0 {
		t.Errorf("cell %+v", c)
	}
	if c.MBps != c.EntriesPS*128/1e6 {
		t.Errorf("%v MB/s at %v entries/s of 128 B", c.MBps, c.EntriesPS)
	}
}

func TestClosedLoopStopsAtItsDuration(t *testing.T) {
	log := &memLog{delay: time.Millisecond}
	r, err := ClosedLoop{Writers: 4, Size: 1, Duration: 50 * time.Millisecond}.Run(context.Background(), log)
	if err != nil {
		t.Fatal(err)
	}
	if r.Entries == 0 || uint64(r.Entries) != log.appends.Load() {
		t.Fatalf("%d entries measured, %d appended", r.Entries, log.appends.Load())
	}
	// Every append was waited for: no entry is counted after the clock.
	if r.Latency.Max > r.Elapsed {
		t.Errorf("an append of %v in a cell of %v", r.Latency.Max, r.Elapsed)
	}
}

// A loop whose time is up before its writers run still measures one
// append per writer: a loaded machine does not make an empty cell.
func TestClosedLoopAppendsOncePerWriter(t *testing.T) {
	log := &memLog{}
	r, err := ClosedLoop{Writers: 8, Size: 1, Duration: time.Nanosecond}.Run(context.Background(), log)
	if err != nil {
		t.Fatal(err)
	}
	if r.Entries < 8 {
		t.Errorf("%d entries from 8 writers", r.Entries)
	}
}

func TestClosedLoopEndsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := ClosedLoop{Writers: 2, Size: 1, Duration: time.Hour}.Run(ctx, &memLog{delay: time.Millisecond})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled loop returned %v", err)
	}
}

func TestClosedLoopStopsAtTheFirstError(t *testing.T) {
	// The appends that succeed take a millisecond, the failing one
	// returns at once: the other writers are still inside their append
	// when the failure stops the loop, however the goroutines run.
	log := &memLog{failAt: 10, delay: time.Millisecond}
	_, err := ClosedLoop{Writers: 4, Size: 1, Duration: 2 * time.Second}.Run(context.Background(), log)
	if !errors.Is(err, errInjected) {
		t.Fatalf("got %v, want the injected error", err)
	}
	if n := log.appends.Load(); n > 10+4 {
		t.Errorf("%d appends after a failure at the 10th: the other writers went on", n)
	}
}

func TestClosedLoopNeedsAStop(t *testing.T) {
	for _, cl := range []ClosedLoop{{Writers: 1}, {Writers: 0, Entries: 5}} {
		if _, err := cl.Run(context.Background(), &memLog{}); err == nil {
			t.Errorf("%+v accepted", cl)
		}
	}
}

func TestUncountedLogHasNoCounts(t *testing.T) {
	r, err := ClosedLoop{Writers: 1, Size: 1, Entries: 10}.Run(context.Background(), uncounted{&memLog{}})
	if err != nil {
		t.Fatal(err)
	}
	if c := NewCell("writers", "x", 1, 1, r); r.Counted || c.SyncsPerK != 0 || c.WritesPerK != 0 {
		t.Errorf("an uncounted log got counts: %+v", c)
	}
}

// fakeStage has the stage API with a Stats of its own shape.
type fakeStage struct{ *memLog }

type fakeStats struct {
	Entries, Writes, Syncs, Segments uint64
}

func (f fakeStage) AppendBatch(entries [][]byte) (uint64, error)    { return 0, nil }
func (f fakeStage) Replay(uint64, func(uint64, []byte) error) error { return nil }
func (f fakeStage) Stats() fakeStats {
	c := f.memLog.Counts()
	return fakeStats{Writes: c.Writes, Syncs: c.Syncs, Segments: 7}
}

type fakeOptions struct{ Knob int }

func TestAdaptReadsStatsByName(t *testing.T) {
	var gotOpts fakeOptions
	s := Adapt("fake", func(dir string, o fakeOptions) (fakeStage, error) {
		gotOpts = o
		return fakeStage{&memLog{}}, nil
	})
	log, done, err := OpenFresh(t.TempDir(), s.Name, s.Open)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	if gotOpts != (fakeOptions{}) {
		t.Errorf("opened with %+v, want the zero Options", gotOpts)
	}
	for range 6 {
		log.Append(nil)
	}
	if c := log.Counts(); c.Writes != 6 || c.Syncs != 3 {
		t.Errorf("counts %+v, want 3 syncs and 6 writes", c)
	}
}

func TestOpenFreshRemovesItsDirectory(t *testing.T) {
	parent := t.TempDir()
	_, done, err := OpenFresh(parent, "mem", func(string) (*memLog, error) { return &memLog{}, nil })
	if err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(parent); len(left) != 1 {
		t.Fatalf("%d directories while open, want 1", len(left))
	}
	if err := done(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(parent); len(left) != 0 {
		t.Errorf("%s left behind", left[0].Name())
	}
	_, _, err = OpenFresh(parent, "mem", func(string) (*memLog, error) { return nil, errInjected })
	if !errors.Is(err, errInjected) {
		t.Errorf("failed open: %v", err)
	}
	if left, _ := os.ReadDir(parent); len(left) != 0 {
		t.Errorf("a failed open left %s behind", left[0].Name())
	}
}

// Fresh warms the log up before measuring, counts only what measure did,
// and leaves nothing behind.
func TestFreshWarmsUpFirst(t *testing.T) {
	parent := t.TempDir()
	var opened *memLog
	open := func(string) (*memLog, error) { opened = &memLog{}; return opened, nil }
	r, err := Fresh(parent, "mem", open, 64, 0, func(log *memLog) (Result, error) {
		if n := log.appends.Load(); n != 1 {
			t.Errorf("%d appends before measuring, want the warm-up's 1", n)
		}
		return ClosedLoop{Writers: 2, Size: 64, Entries: 10}.Run(context.Background(), log)
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.Entries != 10 || r.Counts.Writes != 10 || opened.appends.Load() != 11 {
		t.Errorf("%d entries, %d writes counted, %d appends", r.Entries, r.Counts.Writes, opened.appends.Load())
	}
	if left, _ := os.ReadDir(parent); len(left) != 0 {
		t.Errorf("%s left behind", left[0].Name())
	}
	_, err = Fresh(parent, "mem", open, 64, 0, func(*memLog) (Result, error) { return Result{}, errInjected })
	if !errors.Is(err, errInjected) {
		t.Errorf("a failed measurement returned %v", err)
	}
	if left, _ := os.ReadDir(parent); len(left) != 0 {
		t.Errorf("a failed measurement left %s behind", left[0].Name())
	}
}

// busyLog spends CPU time on every append, a fixed amount of work, where
// memLog sleeps.
type busyLog struct{ memLog }

func (b *busyLog) Append(data []byte) (uint64, error) {
	x := uint64(1)
	for i := range 2_000_000 {
		x = x*6364136223846793005 + uint64(i)
	}
	b.sink.Store(x) // keeps the loop from being optimised away
	return b.memLog.Append(data)
}

// The CPU time is the process's, measured around the cell: a log that
// computes on every append costs more CPU per entry than one that sleeps,
// and no cell keeps more than every CPU busy.
func TestMeasureCountsCPUTime(t *testing.T) {
	busy, err := ClosedLoop{Writers: 2, Size: 1, Entries: 20}.Run(context.Background(), &busyLog{})
	if err != nil {
		t.Fatal(err)
	}
	idle, err := ClosedLoop{Writers: 2, Size: 1, Entries: 20}.Run(context.Background(), &memLog{delay: 2 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	b, i := NewCell("writers", "busy", 2, 1, busy), NewCell("writers", "idle", 2, 1, idle)
	t.Logf("busy: %.1f µs per entry, %.0f%% of the CPUs; idle: %.1f µs per entry, %.1f%%",
		b.CPUusPerEntry, 100*b.CPUUtilisation, i.CPUusPerEntry, 100*i.CPUUtilisation)
	if busy.CPU <= 0 || b.CPUusPerEntry != micros(busy.CPU)/20 {
		t.Errorf("busy: CPU %v, %v µs per entry", busy.CPU, b.CPUusPerEntry)
	}
	if b.CPUusPerEntry < 5*i.CPUusPerEntry {
		t.Errorf("computing costs %.1f µs per entry, sleeping %.1f: the CPU time is not the cell's", b.CPUusPerEntry, i.CPUusPerEntry)
	}
	for _, c := range []Cell{b, i} {
		if c.CPUUtilisation <= 0 || c.CPUUtilisation > 1.05 {
			t.Errorf("%s: CPU utilisation %v, want in (0, 1]", c.Stage, c.CPUUtilisation)
		}
	}
}
