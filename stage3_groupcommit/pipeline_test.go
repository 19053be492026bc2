package groupcommit

import (
	"sync"
	"testing"
	"time"
)

// appendConcurrently runs writers goroutines that append n entries each and
// returns how much Stats grew.
func appendConcurrently(t *testing.T, w *WAL, writers, n int) (entries, writes, syncs uint64) {
	t.Helper()
	before := w.Stats()
	var wg sync.WaitGroup
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range n {
				if _, err := w.Append([]byte("concurrent")); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	after := w.Stats()
	return after.Entries - before.Entries, after.Writes - before.Writes, after.Syncs - before.Syncs
}

// Concurrent appenders share writes and fsyncs: the lesson of this stage.
// MaxWait holds each group open long enough that this cannot depend on luck.
func TestConcurrentAppendsShareSyncs(t *testing.T) {
	w, err := Open(t.TempDir(), Options{MaxWait: 2 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	entries, writes, syncs := appendConcurrently(t, w, 32, 20)
	if entries != 640 || syncs > entries/4 || writes > entries/4 {
		t.Fatalf("%d entries took %d writes and %d syncs; want at least 4 entries per sync", entries, writes, syncs)
	}
}

// A group is one write, so MaxGroupEntries=1 means one write per entry,
// while syncLoop still covers several written groups with one fsync.
func TestMaxGroupEntriesBoundsGroups(t *testing.T) {
	w, err := Open(t.TempDir(), Options{MaxGroupEntries: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	entries, writes, syncs := appendConcurrently(t, w, 16, 20)
	if entries != 320 || writes != entries || syncs > writes {
		t.Fatalf("%d entries took %d writes and %d syncs; want one write per entry", entries, writes, syncs)
	}
}
