package waltest

import (
	"bytes"
	"testing"
)

// testHoleInUnacknowledgedWrite builds by hand what a power cut leaves of a
// write that was never acknowledged: its records reached the disk, in the
// order the page cache happened to write them back, with a hole where one
// of them should be. Recovery must cut the log at the hole and keep every
// acknowledged entry ("Cut"); it must never let a record from behind the
// hole come back after new appends; and if a record behind the hole says
// the damaged entry had been durable, the damage hit acknowledged data and
// Open must report ErrCorrupt ("ProvenDurable"). See docs/DESIGN.md,
// "Recovery: why cutting is safe".
func testHoleInUnacknowledgedWrite(t *testing.T, s Stage) {
	if s.Codec.Encode == nil {
		t.Skipf("%s: no Codec in its Stage", s.Name)
	}
	const acked, written, hole = 20, 28, 23 // entries 21..28 were never acknowledged; 23 is lost
	for _, proven := range []bool{false, true} {
		name := "Cut"
		if proven {
			name = "ProvenDurable"
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			w := mustOpen(t, s, dir)
			appendEntries(t, w, 1, acked)
			mustClose(t, w)

			last := locate(t, dir, entry(acked))
			var tail []byte
			var holeAt, holeEnd int
			for i := acked + 1; i <= written; i++ {
				r := Record{Index: uint64(i), Durable: acked, Payload: entry(i)}
				if proven && i == written {
					r.Durable = hole // written after the entry at the hole was durable
				}
				start := len(tail)
				tail = s.Codec.Encode(tail, r)
				if i == hole {
					holeAt, holeEnd = start, len(tail)
				}
			}
			clear(tail[holeAt:holeEnd])
			overwrite(t, last.path, last.off+last.len, tail)

			w, err := s.Open(dir)
			if proven {
				if err == nil {
					w.Close()
				}
				checkCorruptError(t, s, err, last.path)
				return
			}
			if err != nil {
				t.Fatalf("Open after a hole in an unacknowledged write: %v", err)
			}
			want := entries(hole - 1) // the intact records before the hole may stay
			checkLog(t, w, want)
			// Same length as the lost entry, so that a record left behind
			// the hole would sit right after it if recovery had not erased it.
			next := bytes.Repeat([]byte{'n'}, len(entry(hole)))
			if idx, err := w.Append(next); err != nil || idx != hole {
				t.Fatalf("Append after the cut = %d, %v; want index %d", idx, err, hole)
			}
			mustClose(t, w)
			w = mustOpen(t, s, dir)
			defer w.Close()
			checkLog(t, w, append(want, next))
		})
	}
}
