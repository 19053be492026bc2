package directcache

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

// Concurrent appenders share writes and fsyncs (stage 3's group commit).
// MaxWait holds each group open long enough that this cannot depend on luck.
func TestConcurrentAppendsShareSyncs(t *testing.T) {
	w := openPrepared(t, Options{MaxWait: 2 * time.Millisecond})
	defer w.Close()
	entries, writes, syncs := appendConcurrently(t, w, 32, 20)
	if entries != 640 || syncs > entries/4 || writes > entries/4 {
		t.Fatalf("%d entries took %d writes and %d syncs; want at least 4 entries per sync", entries, writes, syncs)
	}
}

// A group is one write, so MaxGroupEntries=1 means one write per entry,
// while syncLoop still covers several written groups with one fsync.
func TestMaxGroupEntriesBoundsGroups(t *testing.T) {
	w := openPrepared(t, Options{MaxGroupEntries: 1})
	defer w.Close()
	entries, writes, syncs := appendConcurrently(t, w, 16, 20)
	if entries != 320 || writes != entries || syncs > writes {
		t.Fatalf("%d entries took %d writes and %d syncs; want one write per entry", entries, writes, syncs)
	}
}

// openPrepared opens a WAL, activates its first segment and waits until the
// next one is prepared, so the counters that follow see only appends.
func openPrepared(t *testing.T, opts Options) *WAL {
	t.Helper()
	w, err := Open(t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Append([]byte("first")); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); w.Stats().Segments < 2; {
		if time.Now().After(deadline) {
			t.Fatal("the next segment was not prepared within 10s")
		}
		time.Sleep(time.Millisecond)
	}
	return w
}
