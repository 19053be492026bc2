package waltest

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// testCloseRacingAppends: Close while 16 writers append. Each Append either
// succeeds (and its entry survives) or returns ErrClosed; nothing hangs or
// panics.
func testCloseRacingAppends(t *testing.T, s Stage) {
	rng := newRand(t)
	dir := t.TempDir()
	w := mustOpen(t, s, dir)
	var mu sync.Mutex
	acked := map[uint64][]byte{}
	var count atomic.Int64
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := 0; ; seq++ {
				data := fmt.Appendf(nil, "closerace %d %d", g, seq)
				index, err := w.Append(data)
				if err != nil {
					if !isClosed(s, err) {
						t.Errorf("Append racing Close: %v, want ErrClosed", err)
					}
					return
				}
				mu.Lock()
				acked[index] = data
				mu.Unlock()
				count.Add(1)
			}
		}()
	}
	target := int64(rng.IntN(200))
	for deadline := time.Now().Add(2 * time.Second); count.Load() < target && time.Now().Before(deadline); {
		time.Sleep(100 * time.Microsecond)
	}
	within(t, 30*time.Second, "Close with 16 appenders", func() {
		if err := w.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		wg.Wait()
	})
	if _, err := w.Append([]byte("late")); !isClosed(s, err) {
		t.Fatalf("Append after Close: %v, want ErrClosed", err)
	}

	w = mustOpen(t, s, dir)
	defer mustClose(t, w)
	for index, data := range acked {
		if got, err := w.Read(index); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("acknowledged entry %d = %q, %v; want %q", index, got, err, data)
		}
	}
}

// testUseAfterClose: every call after Close returns ErrClosed, a second
// Close included.
func testUseAfterClose(t *testing.T, s Stage) {
	w := mustOpen(t, s, t.TempDir())
	appendEntries(t, w, 1, 3)
	mustClose(t, w)
	calls := map[string]func() error{
		"Append":      func() error { _, err := w.Append([]byte("x")); return err },
		"AppendBatch": func() error { _, err := w.AppendBatch([][]byte{[]byte("x")}); return err },
		"Read":        func() error { _, err := w.Read(1); return err },
		"Replay":      func() error { return w.Replay(1, func(uint64, []byte) error { return nil }) },
		"Close":       w.Close,
	}
	for name, call := range calls {
		if err := call(); !isClosed(s, err) {
			t.Errorf("%s after Close = %v, want ErrClosed", name, err)
		}
	}
}

// testPayloadSizes: empty payloads and 8 MiB payloads round-trip, through
// Append and AppendBatch, before and after reopen.
func testPayloadSizes(t *testing.T, s Stage) {
	rng := newRand(t)
	dir := t.TempDir()
	w := mustOpen(t, s, dir)
	big := randomBytes(rng, 8<<20)
	big2 := randomBytes(rng, 8<<20)
	want := [][]byte{{}, {}, big, {}, []byte("small"), big2, {}}
	if _, err := w.Append(nil); err != nil {
		t.Fatalf("Append(nil): %v", err)
	}
	if _, err := w.Append([]byte{}); err != nil {
		t.Fatalf("Append(empty): %v", err)
	}
	if _, err := w.Append(big); err != nil {
		t.Fatalf("Append(8 MiB): %v", err)
	}
	if _, err := w.AppendBatch(want[3:]); err != nil {
		t.Fatalf("AppendBatch(empty, small, 8 MiB, empty): %v", err)
	}
	checkLog(t, w, want)
	mustClose(t, w)
	w = mustOpen(t, s, dir)
	defer mustClose(t, w)
	checkLog(t, w, want)
}

// testBadInput: bad arguments get clear errors and cost nothing that was
// acknowledged; the WAL stays usable.
func testBadInput(t *testing.T, s Stage) {
	w := mustOpen(t, s, t.TempDir())
	defer mustClose(t, w)
	appendEntries(t, w, 1, 5)
	for _, i := range []uint64{0, 6, 1 << 62} {
		if _, err := w.Read(i); !errors.Is(err, s.ErrNotFound) {
			t.Errorf("Read(%d) = %v, want ErrNotFound", i, err)
		}
	}
	err := w.Replay(6, func(index uint64, _ []byte) error {
		t.Errorf("Replay(6) visited %d in a log of 5", index)
		return nil
	})
	if err != nil {
		t.Errorf("Replay past the end: %v", err)
	}
	if first, err := w.AppendBatch(nil); err != nil || w.LastIndex() != 5 {
		t.Errorf("AppendBatch(nil) = %d, %v and LastIndex %d; want no error and nothing appended", first, err, w.LastIndex())
	}

	huge := make([]byte, 8<<20+1)
	want := entries(5)
	if index, err := w.Append(huge); err == nil {
		want = append(want, huge) // a stage may accept more than 8 MiB
		if index != 6 {
			t.Fatalf("Append(8 MiB + 1) = %d, want 6", index)
		}
	} else if !errors.Is(err, s.ErrTooLarge) {
		t.Fatalf("Append(8 MiB + 1) = %v, want ErrTooLarge or success", err)
	}
	batch := [][]byte{[]byte("fine"), huge}
	if _, err := w.AppendBatch(batch); err == nil {
		want = append(want, batch...)
	} else if !errors.Is(err, s.ErrTooLarge) {
		t.Fatalf("AppendBatch with an oversized entry = %v, want ErrTooLarge or success", err)
	}
	appendEntries(t, w, len(want)+1, len(want)+1)
	checkLog(t, w, append(want, entry(len(want)+1)))
}

// testStatsCountSyscalls: Stats.Writes and Stats.Syncs match the writes and
// syncs the files really saw.
func testStatsCountSyscalls(t *testing.T, s Stage) {
	faults := NewFaults()
	w, err := s.OpenWithFaults(t.TempDir(), faults)
	if err != nil {
		t.Fatal(err)
	}
	defer mustClose(t, w)
	before, writes, syncs := quietCounts(s, w, faults)
	appendEntries(t, w, 1, 10)
	if _, err := w.AppendBatch(entries(5)); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				if _, err := w.Append([]byte("stats")); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	after, sawWrites, sawSyncs := quietCounts(s, w, faults)
	sawWrites, sawSyncs = sawWrites-writes, sawSyncs-syncs
	if got := after.Entries - before.Entries; got != 55 {
		t.Errorf("Stats.Entries grew by %d, want 55", got)
	}
	if got := after.Writes - before.Writes; got != sawWrites || got == 0 {
		t.Errorf("Stats.Writes grew by %d over 55 appends, want the %d writes the files saw (and at least one)", got, sawWrites)
	}
	if got := after.Syncs - before.Syncs; got != sawSyncs || got == 0 {
		t.Errorf("Stats.Syncs grew by %d over 55 appends, want the %d syncs the files saw (and at least one)", got, sawSyncs)
	}
	if after.Bytes-before.Bytes < 55*5 {
		t.Errorf("Stats.Bytes grew by %d, less than the payloads", after.Bytes-before.Bytes)
	}
}

// quietCounts reads Stats and what the files saw at a moment when no
// syscall is in flight: a background goroutine (stage 4's segment
// preparation) may be between counting a syscall and issuing it.
func quietCounts(s Stage, w WAL, faults *Faults) (st Stats, writes, syncs uint64) {
	for range 200 {
		writes, syncs = faults.Writes(), faults.Syncs()
		st = s.Stats(w)
		time.Sleep(2 * time.Millisecond)
		if writes == faults.Writes() && syncs == faults.Syncs() {
			break
		}
	}
	return st, writes, syncs
}

// testNoGoroutineLeak: after Close, every goroutine the WAL started is gone.
func testNoGoroutineLeak(t *testing.T, s Stage) {
	before := runtime.NumGoroutine()
	dir := t.TempDir()
	for round := range 3 {
		w := mustOpen(t, s, dir)
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 10 {
					if _, err := w.Append([]byte("leak")); err != nil {
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		mustClose(t, w)
		if w.LastIndex() != uint64(40*(round+1)) {
			t.Fatalf("LastIndex %d after round %d", w.LastIndex(), round)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines before Open, %d after Close:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}
