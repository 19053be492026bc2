package waltest

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
)

// testRoundTrip: concurrent writers mixing Append and AppendBatch get
// consecutive indices, and every entry reads back, before and after reopen.
func testRoundTrip(t *testing.T, s Stage) {
	dir := t.TempDir()
	w := mustOpen(t, s, dir)
	if w.FirstIndex() != 1 || w.LastIndex() != 0 {
		t.Fatalf("empty log: FirstIndex=%d LastIndex=%d, want 1 and 0", w.FirstIndex(), w.LastIndex())
	}
	const writers, opsPerWriter = 8, 60
	var mu sync.Mutex
	got := map[uint64][]byte{}
	var wg sync.WaitGroup
	for g := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for op := range opsPerWriter {
				batch := [][]byte{fmt.Appendf(nil, "w%d op%d", g, op)}
				if op%7 == 3 {
					for k := 1; k <= op%5; k++ {
						batch = append(batch, fmt.Appendf(nil, "w%d op%d part%d", g, op, k))
					}
				}
				first, err := appendSome(w, batch)
				if err != nil {
					t.Errorf("writer %d: %v", g, err)
					return
				}
				mu.Lock()
				for k, data := range batch {
					if _, dup := got[first+uint64(k)]; dup {
						t.Errorf("index %d returned twice", first+uint64(k))
					}
					got[first+uint64(k)] = data
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	want := consecutive(t, got)
	checkLog(t, w, want)
	checkReplayFrom(t, w, want, uint64(len(want)/2))
	mustClose(t, w)

	w = mustOpen(t, s, dir)
	defer w.Close()
	checkLog(t, w, want)
}

// appendSome uses Append for one entry and AppendBatch for more, so both
// paths run under concurrency.
func appendSome(w WAL, batch [][]byte) (uint64, error) {
	if len(batch) == 1 {
		return w.Append(batch[0])
	}
	return w.AppendBatch(batch)
}

// consecutive checks that the indices in got are exactly 1..len(got) and
// returns the payloads in index order.
func consecutive(t testing.TB, got map[uint64][]byte) [][]byte {
	t.Helper()
	indices := make([]uint64, 0, len(got))
	for i := range got {
		indices = append(indices, i)
	}
	sort.Slice(indices, func(a, b int) bool { return indices[a] < indices[b] })
	want := make([][]byte, len(indices))
	for n, i := range indices {
		if i != uint64(n+1) {
			t.Fatalf("indices are not consecutive from 1: position %d holds index %d", n, i)
		}
		want[n] = got[i]
	}
	return want
}

func checkReplayFrom(t testing.TB, w WAL, want [][]byte, from uint64) {
	t.Helper()
	var visited []uint64
	stop := errors.New("stop")
	err := w.Replay(from, func(index uint64, data []byte) error {
		if !bytes.Equal(data, want[index-1]) {
			t.Fatalf("Replay(%d): entry %d differs", from, index)
		}
		visited = append(visited, index)
		if len(visited) == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("Replay(%d) returned %v, want the callback's error", from, err)
	}
	if len(visited) != 3 || visited[0] != from {
		t.Fatalf("Replay(%d) visited %v, want 3 entries from %d", from, visited, from)
	}
}

// testReopenAndContinue: appends after a reopen continue the index sequence
// and survive the next reopen, several times over.
func testReopenAndContinue(t *testing.T, s Stage) {
	dir := t.TempDir()
	n := 0
	for round := range 4 {
		w := mustOpen(t, s, dir)
		checkLog(t, w, entries(n))
		appendEntries(t, w, n+1, n+10+round*7)
		n += 10 + round*7
		first, err := w.AppendBatch([][]byte{entry(n + 1), entry(n + 2), entry(n + 3)})
		if err != nil || first != uint64(n+1) {
			t.Fatalf("AppendBatch after reopen = %d, %v; want %d", first, err, n+1)
		}
		n += 3
		mustClose(t, w)
	}
}
