package latency

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestMergePercentiles(t *testing.T) {
	a, b := NewRecorder(), NewRecorder()
	for i := 1; i <= 500; i++ {
		a.Record(time.Duration(i) * time.Microsecond)
		b.Record(time.Duration(500+i) * time.Microsecond)
	}
	s := Merge(a, b)
	if s.Count != 1000 {
		t.Fatalf("count %d", s.Count)
	}
	near := func(got, want time.Duration) bool { return got >= want*999/1000 && got <= want*1001/1000 }
	if !near(s.P50, 500*time.Microsecond) || !near(s.P99, 990*time.Microsecond) || !near(s.P999, 999*time.Microsecond) || !near(s.Max, 1000*time.Microsecond) {
		t.Fatalf("%v", s)
	}
}

// A recorder holds its latencies in batches: every one of them must reach
// the summary once, whether it filled a batch or was still pending at Merge.
// Merging twice (a report summarises a cell more than once) counts nothing
// twice.
func TestMergeCountsEveryBatchOnce(t *testing.T) {
	a, b := NewRecorder(), NewRecorder()
	const many = 2*recordBatch + 7
	for i := range many {
		a.Record(time.Duration(i%1000+1) * time.Microsecond)
	}
	b.Record(5 * time.Second)
	for range 2 {
		s := Merge(a, b)
		if s.Count != many+1 || s.Max < 4*time.Second {
			t.Fatalf("%v, want %d latencies, the largest 5s", s, many+1)
		}
	}
}

func TestRecordClamps(t *testing.T) {
	r := NewRecorder()
	r.Record(0)
	r.Record(time.Hour)
	if s := Merge(r); s.Count != 2 || s.Max < 99*time.Second {
		t.Fatalf("%v", s)
	}
}

// The point of the open loop: one 100 ms stall delays every call scheduled
// during it, so many samples show it, not one. A closed loop over the same
// calls would record a single slow sample and a p99 near 1 ms.
func TestOpenLoopSeesTheStall(t *testing.T) {
	var calls atomic.Int64
	op := func() error {
		if calls.Add(1) == 100 {
			time.Sleep(100 * time.Millisecond) // the stall
		}
		return nil
	}
	// 1,000 calls/s for 1 s, one worker: the stall holds up ~100 calls.
	s, err := OpenLoop(1000, time.Second, 1, op)
	if err != nil {
		t.Fatal(err)
	}
	if s.Count < 900 {
		t.Fatalf("only %d calls", s.Count)
	}
	if s.P99 < 20*time.Millisecond {
		t.Fatalf("p99 %v: the stall was hidden (coordinated omission)", s.P99)
	}
	if s.P50 > 20*time.Millisecond {
		t.Fatalf("p50 %v: the schedule did not catch up after the stall", s.P50)
	}
}

func TestOpenLoopErrorsAndBadInput(t *testing.T) {
	boom := errors.New("boom")
	if _, err := OpenLoop(100, 50*time.Millisecond, 2, func() error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("got %v, want the op's error", err)
	}
	for _, bad := range []struct {
		rate float64
		d    time.Duration
		w    int
	}{{0, time.Second, 1}, {10, 0, 1}, {10, time.Second, 0}} {
		if _, err := OpenLoop(bad.rate, bad.d, bad.w, func() error { return nil }); err == nil {
			t.Errorf("OpenLoop(%v, %v, %d) accepted", bad.rate, bad.d, bad.w)
		}
	}
}
