package directcache

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

// A padding record is a valid record, but never an entry.
func TestPaddingIsNotAnEntry(t *testing.T) {
	for _, size := range []int{headerSize, headerSize + 1, 512, 4096 + headerSize - 1} {
		b := appendPadding(nil, size, record{index: 7, durable: 6})
		if len(b) != size {
			t.Fatalf("appendPadding(%d) wrote %d bytes", size, len(b))
		}
		if _, _, ok := decodeRecord(b); ok {
			t.Errorf("a %d-byte padding record decoded as an entry", size)
		}
		if r, n, padding, ok := decodeAny(b); !ok || !padding || n != size || r.index != 7 || r.durable != 6 {
			t.Errorf("decodeAny(padding of %d) = %+v, size %d, padding %v, ok %v", size, r, n, padding, ok)
		}
	}
}

func TestPaddingAfter(t *testing.T) {
	for _, c := range []struct{ end, block, want int64 }{
		{0, 512, 0},
		{512, 512, 0},
		{100, 512, 412},
		{512 - headerSize, 512, headerSize},
		{512 - headerSize + 1, 512, headerSize - 1 + 512}, // too small for a header: one more block
		{4095, 4096, 1 + 4096},
	} {
		got := paddingAfter(c.end, c.block)
		if got != c.want {
			t.Errorf("paddingAfter(%d, %d) = %d, want %d", c.end, c.block, got, c.want)
		}
		if (c.end+got)%c.block != 0 || got != 0 && got < headerSize {
			t.Errorf("paddingAfter(%d, %d) = %d does not end on a block with room for a header", c.end, c.block, got)
		}
	}
}

// fuzzDecodeAny: no input panics decodeAny; what decodes re-encodes to
// the same bytes, so no damaged record passes for a padding record.
func fuzzDecodeAny(f *testing.F) {
	f.Add(appendPadding(nil, 64, record{index: 3, durable: 2}))
	f.Add(appendRecord(nil, record{index: 3, durable: 2, payload: []byte("entry")}))
	f.Add(make([]byte, 32))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, size, padding, ok := decodeAny(b)
		if !ok {
			return
		}
		var again []byte
		if padding {
			if !isZero(r.payload) {
				return // a valid CRC over non-zero padding: allowed, never written
			}
			again = appendPadding(nil, size, r)
		} else {
			again = appendRecord(nil, r)
		}
		if string(again) != string(b[:size]) {
			t.Fatalf("decoded %d bytes (padding %v) that do not re-encode to themselves", size, padding)
		}
	})
}
