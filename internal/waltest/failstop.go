package waltest

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// testFailStop injects one failed write or sync while eight writers append.
// The failure must surface; afterwards every call fails without touching
// the disk, the failed file is never synced again (a retried fsync can
// report success for pages the kernel already dropped), and after a reopen
// every acknowledged entry is there.
func testFailStop(t *testing.T, s Stage, arm func(f *Faults, n int)) {
	rng := newRand(t)
	dir := t.TempDir()
	faults := NewFaults()
	w, err := s.OpenWithFaults(dir, faults)
	if err != nil {
		t.Fatal(err)
	}
	const prefilled = 10
	appendEntries(t, w, 1, prefilled)
	acked := map[uint64][]byte{}
	for i, data := range entries(prefilled) {
		acked[uint64(i+1)] = data
	}

	arm(faults, 1+rng.IntN(3))
	if failures := appendUntilFailure(t, w, acked); failures != 8 {
		t.Fatalf("%d of 8 writers saw an error; the injected failure was swallowed", failures)
	}
	checkStopped(t, w, faults)
	w.Close()
	checkAcked(t, s, dir, acked, prefilled)
}

// appendUntilFailure runs eight writers that append until one of their
// appends fails, adding every acknowledged entry to acked, and returns how
// many of them saw a failure.
func appendUntilFailure(t *testing.T, w WAL, acked map[uint64][]byte) (failures int) {
	var mu sync.Mutex // guards acked and failures
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := range 1000 {
				data := fmt.Appendf(nil, "failstop %d %d", g, seq)
				index, err := w.Append(data)
				mu.Lock()
				if err != nil {
					failures++
					mu.Unlock()
					return
				}
				acked[index] = data
				mu.Unlock()
			}
		}()
	}
	within(t, time.Minute, "appends after an injected failure", wg.Wait)
	return failures
}

// checkStopped: after the failure every append fails without a write or a
// sync, and no file was synced after its sync failed.
func checkStopped(t *testing.T, w WAL, faults *Faults) {
	writes, syncs := faults.Writes(), faults.Syncs()
	for range 3 {
		if _, err := w.Append([]byte("after the failure")); err == nil {
			t.Fatal("Append succeeded after a failed write or sync")
		}
		if _, err := w.AppendBatch([][]byte{[]byte("after"), []byte("the failure")}); err == nil {
			t.Fatal("AppendBatch succeeded after a failed write or sync")
		}
	}
	if faults.Writes() != writes || faults.Syncs() != syncs {
		t.Fatalf("the failed WAL still issued %d writes and %d syncs", faults.Writes()-writes, faults.Syncs()-syncs)
	}
	if n := faults.SyncsAfterFailure(); n != 0 {
		t.Fatalf("a file was synced %d times after its sync failed", n)
	}
}

// checkAcked reopens the log in dir: every acknowledged entry is there, and
// every entry after the first prefilled is one a writer appended.
func checkAcked(t *testing.T, s Stage, dir string, acked map[uint64][]byte, prefilled uint64) {
	w := mustOpen(t, s, dir)
	defer mustClose(t, w)
	for index, data := range acked {
		got, err := w.Read(index)
		if err != nil || string(got) != string(data) {
			t.Fatalf("acknowledged entry %d = %.30q, %v; want %q", index, got, err, data)
		}
	}
	err := w.Replay(1, func(index uint64, data []byte) error {
		if index > prefilled && !strings.HasPrefix(string(data), "failstop ") {
			t.Fatalf("entry %d is %.30q, which nobody wrote", index, data)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Replay after reopen: %v", err)
	}
}
