package naive

import (
	"testing"
)

// An all-zero header must never decode: preallocated space is zeros.
func TestZeroHeaderIsNotARecord(t *testing.T) {
	if _, _, ok := decodeRecord(make([]byte, 64)); ok {
		t.Fatal("a zero header decoded as a valid empty record")
	}
}

// The naive write path is three syscalls per entry, in Append and in
// AppendBatch alike: this is the cost later stages remove.
func TestStatsShowThreeSyscallsPerEntry(t *testing.T) {
	w, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	before := w.Stats()
	for range 10 {
		if _, err := w.Append([]byte("entry")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.AppendBatch(make([][]byte, 10)); err != nil {
		t.Fatal(err)
	}
	after := w.Stats()
	if got := after.Syncs - before.Syncs; got != 20 {
		t.Errorf("20 entries took %d syncs, want one each", got)
	}
	if got := after.Writes - before.Writes; got != 40 {
		t.Errorf("20 entries took %d writes, want two each", got)
	}
}
