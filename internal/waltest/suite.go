package waltest

import (
	"bytes"
	"errors"
	"runtime"
	"testing"
	"time"
)

// Run runs the whole conformance and crash suite against a stage. Every
// promise of docs/DESIGN.md has a test here.
func Run(t *testing.T, s Stage) {
	t.Run("RoundTrip", func(t *testing.T) { testRoundTrip(t, s) })
	t.Run("ReopenAndContinue", func(t *testing.T) { testReopenAndContinue(t, s) })
	t.Run("TornTail", func(t *testing.T) { testTornTail(t, s) })
	t.Run("HoleInUnacknowledgedWrite", func(t *testing.T) { testHoleInUnacknowledgedWrite(t, s) })
	t.Run("MidLogCorruption", func(t *testing.T) { testMidLogCorruption(t, s) })
	t.Run("KillDuringAppends", func(t *testing.T) { testKillDuringAppends(t, s) })
	t.Run("PowerCut", func(t *testing.T) { testPowerCut(t, s) })
	t.Run("DiskFull", func(t *testing.T) { testDiskFull(t, s) })
	t.Run("FailedSync", func(t *testing.T) { testFailStop(t, s, (*Faults).FailSync) })
	t.Run("FailedWrite", func(t *testing.T) { testFailStop(t, s, (*Faults).FailWrite) })
	t.Run("CloseRacingAppends", func(t *testing.T) { testCloseRacingAppends(t, s) })
	t.Run("UseAfterClose", func(t *testing.T) { testUseAfterClose(t, s) })
	t.Run("EmptyAndLargePayloads", func(t *testing.T) { testPayloadSizes(t, s) })
	t.Run("BadInput", func(t *testing.T) { testBadInput(t, s) })
	t.Run("StatsCountSyscalls", func(t *testing.T) { testStatsCountSyscalls(t, s) })
	t.Run("NoGoroutineLeak", func(t *testing.T) { testNoGoroutineLeak(t, s) })
	t.Run("OneOwner", func(t *testing.T) { testOneOwner(t, s) })
	t.Run("PrivateFiles", func(t *testing.T) { testPrivateFiles(t, s) })
}

func mustOpen(t testing.TB, s Stage, dir string) WAL {
	t.Helper()
	w, err := s.Open(dir)
	if err != nil {
		t.Fatalf("%s: Open(%s): %v", s.Name, dir, err)
	}
	return w
}

func mustClose(t testing.TB, w WAL) {
	t.Helper()
	if err := w.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

// appendEntries appends entry(from) .. entry(to) one by one.
func appendEntries(t testing.TB, w WAL, from, to int) {
	t.Helper()
	for i := from; i <= to; i++ {
		idx, err := w.Append(entry(i))
		if err != nil {
			t.Fatalf("Append(entry %d): %v", i, err)
		}
		if idx != uint64(i) {
			t.Fatalf("Append(entry %d) returned index %d", i, idx)
		}
	}
}

// checkLog asserts that the log holds exactly want (want[0] is index 1),
// through LastIndex, Read and Replay.
func checkLog(t testing.TB, w WAL, want [][]byte) {
	t.Helper()
	if got := w.FirstIndex(); got != 1 {
		t.Fatalf("FirstIndex = %d, want 1", got)
	}
	if got := w.LastIndex(); got != uint64(len(want)) {
		t.Fatalf("LastIndex = %d, want %d", got, len(want))
	}
	for i, data := range want {
		got, err := w.Read(uint64(i + 1))
		if err != nil {
			t.Fatalf("Read(%d): %v", i+1, err)
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("Read(%d) = %.40q, want %.40q", i+1, got, data)
		}
	}
	next := uint64(1)
	err := w.Replay(1, func(index uint64, data []byte) error {
		if index != next {
			t.Fatalf("Replay visited index %d, want %d", index, next)
		}
		if !bytes.Equal(data, want[index-1]) {
			t.Fatalf("Replay(%d) = %.40q, want %.40q", index, data, want[index-1])
		}
		next++
		return nil
	})
	if err != nil {
		t.Fatalf("Replay: %v", err)
	}
	if next != uint64(len(want))+1 {
		t.Fatalf("Replay visited %d entries, want %d", next-1, len(want))
	}
}

// entries returns entry(1) .. entry(n).
func entries(n int) [][]byte {
	var out [][]byte
	for i := 1; i <= n; i++ {
		out = append(out, entry(i))
	}
	return out
}

// within fails the test if fn does not return within d: a deadlock.
func within(t testing.TB, d time.Duration, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); fn() }()
	select {
	case <-done:
	case <-time.After(d):
		buf := make([]byte, 1<<20)
		t.Fatalf("%s did not finish within %v (deadlock?)\n%s", what, d, buf[:runtime.Stack(buf, true)])
	}
}

// isClosed reports whether err says the WAL is closed.
func isClosed(s Stage, err error) bool { return errors.Is(err, s.ErrClosed) }
