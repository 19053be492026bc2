package prealloc

import "testing"

// An all-zero header must never decode: preallocated space is zeros.
func TestZeroHeaderIsNotARecord(t *testing.T) {
	if _, _, ok := decodeRecord(make([]byte, 64)); ok {
		t.Fatal("a zero header decoded as a valid empty record")
	}
}

// A lone writer pays one write and one sync per Append, and per AppendBatch
// however large, as in stages 2 and 3.
func TestStatsShowOneWriteAndSyncPerCall(t *testing.T) {
	w := openPrepared(t, Options{})
	defer w.Close()
	before := w.Stats()
	for range 10 {
		if _, err := w.Append([]byte("entry")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.AppendBatch(make([][]byte, 100)); err != nil {
		t.Fatal(err)
	}
	after := w.Stats()
	if got := after.Syncs - before.Syncs; got != 11 {
		t.Errorf("10 Appends and one AppendBatch took %d syncs, want 11", got)
	}
	if got := after.Writes - before.Writes; got != 11 {
		t.Errorf("10 Appends and one AppendBatch took %d writes, want 11", got)
	}
	if got := after.Entries - before.Entries; got != 110 {
		t.Errorf("Entries grew by %d, want 110", got)
	}
}
