package waltest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzCodec checks a stage's record codec on arbitrary bytes: decoding never
// panics, whatever decodes re-encodes to the same bytes, a record with one
// bit flipped or cut short never decodes, and neither does an all-zero
// header.
func FuzzCodec(f *testing.F, c Codec) {
	f.Add([]byte{}, uint32(0), uint64(1), uint64(0))
	f.Add([]byte("hello, wal"), uint32(77), uint64(12), uint64(11))
	f.Add(make([]byte, 64), uint32(3), uint64(0), uint64(0))
	f.Add(c.Encode(nil, Record{Index: 5, Durable: 2, Payload: []byte("a record")}), uint32(5), uint64(9), uint64(1))
	f.Fuzz(func(t *testing.T, b []byte, flip uint32, index, durable uint64) {
		// Arbitrary bytes as a record.
		if r, size, ok := c.Decode(b); ok {
			if size > len(b) {
				t.Fatalf("decoded size %d from %d bytes", size, len(b))
			}
			if r.Index == 0 || r.Durable >= r.Index {
				t.Fatalf("decoded entry %d with durable %d: impossible fields", r.Index, r.Durable)
			}
			if re := c.Encode(nil, r); !bytes.Equal(re, b[:size]) {
				t.Fatalf("decoded %+v, which encodes to %x, not %x", r, re, b[:size])
			}
		}
		if _, _, ok := c.Decode(make([]byte, len(b)+64)); ok {
			t.Fatalf("%d zero bytes decoded as a record", len(b)+64)
		}
		// Arbitrary bytes as a payload, with fields a writer could write.
		want := Record{Index: max(index, 1), Payload: b}
		want.Durable = durable % want.Index
		record := c.Encode(nil, want)
		got, size, ok := c.Decode(record)
		if !ok || size != len(record) || got.Index != want.Index || got.Durable != want.Durable || !bytes.Equal(got.Payload, b) {
			t.Fatalf("round trip of %+v: got %+v, size %d of %d, ok=%v", want, got, size, len(record), ok)
		}
		if _, _, ok := c.Decode(record[:len(record)-1]); ok {
			t.Fatalf("a record cut short by one byte decoded")
		}
		damaged := bytes.Clone(record)
		bit := int(flip % uint32(8*len(damaged)))
		damaged[bit/8] ^= 1 << (bit % 8)
		if r, n, ok := c.Decode(damaged); ok {
			t.Fatalf("a record with bit %d flipped decoded as %+v (%d bytes)", bit, r, n)
		}
	})
}

// The ways FuzzRecovery damages a log.
const (
	fuzzTruncate  = iota // cut the file at off
	fuzzFlipBit          // flip bit data[0]%8 of the byte at off
	fuzzOverwrite        // overwrite up to 3 bytes at off: too few to forge a checksum
	fuzzZero             // zero len(data) bytes from off
	fuzzAppend           // append data after the end of the file
	fuzzModes
)

const fuzzEntries = 10

// FuzzRecovery damages a log of 10 entries and reopens it. Open either
// reports ErrCorrupt or returns a log in which every entry is the one that
// was written, every entry written entirely before the damage is present,
// and no entry is missing while a later one survived intact.
func FuzzRecovery(f *testing.F, s Stage) {
	log := writeFuzzLog(f, s)
	for mode := range fuzzModes {
		f.Add(uint8(mode), uint32(log.payloadAt[fuzzEntries]+3), []byte{1, 2, 3})
		f.Add(uint8(mode), uint32(log.payloadAt[4]-1), []byte{0x80})
	}
	f.Fuzz(func(t *testing.T, mode uint8, off uint32, data []byte) {
		dir := t.TempDir()
		copyDir(t, log.dir, dir)
		start, end, ok := fuzzDamage(t, filepath.Join(dir, log.target), int64(len(log.image)), mode, off, data)
		if ok {
			checkRecovered(t, s, dir, log, start, end)
		}
	})
}

// fuzzLog is the pristine log FuzzRecovery damages copies of.
type fuzzLog struct {
	dir, target string // the log, and the name of the file that holds the entries
	image       []byte // that file's bytes
	payloadAt   [fuzzEntries + 1]int64
}

// writeFuzzLog writes entries 1 to fuzzEntries and finds them on disk.
func writeFuzzLog(f *testing.F, s Stage) fuzzLog {
	log := fuzzLog{dir: f.TempDir()}
	w, err := s.Open(log.dir)
	if err != nil {
		f.Fatal(err)
	}
	for i := 1; i <= fuzzEntries; i++ {
		if _, err := w.Append(entry(i)); err != nil {
			f.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		f.Fatal(err)
	}
	// Damage the file that holds the entries (a segmented log also has a
	// prepared, unused segment of the same size).
	log.target = filepath.Base(locate(f, log.dir, entry(fuzzEntries)).path)
	if log.image, err = os.ReadFile(filepath.Join(log.dir, log.target)); err != nil {
		f.Fatal(err)
	}
	for i := 1; i <= fuzzEntries; i++ {
		log.payloadAt[i] = int64(bytes.Index(log.image, entry(i)))
	}
	return log
}

// fuzzDamage damages the file at path, of size bytes, the way mode says, and
// returns the range of bytes the damage may have touched; ok is false if
// this mode cannot damage anything at off.
func fuzzDamage(t *testing.T, path string, size int64, mode uint8, off uint32, data []byte) (start, end int64, ok bool) {
	at := int64(off) % (size + 1)
	start, end = at, size
	switch mode % fuzzModes {
	case fuzzTruncate:
		truncate(t, path, at)
	case fuzzFlipBit:
		if at == size || len(data) == 0 {
			return 0, 0, false
		}
		flipBit(t, path, at, int(data[0]%8))
		end = at + 1
	case fuzzOverwrite:
		data = data[:min(len(data), 3)]
		overwrite(t, path, at, data)
		end = at + int64(len(data))
	case fuzzZero:
		overwrite(t, path, at, make([]byte, len(data)))
		end = at + int64(len(data))
	case fuzzAppend:
		overwrite(t, path, size, data)
		start, end = size, size+int64(len(data))
	}
	return start, end, true
}

// checkRecovered reopens the damaged log in dir: ErrCorrupt, or only
// entries that were written, and every entry outside [start, end) there.
func checkRecovered(t *testing.T, s Stage, dir string, log fuzzLog, start, end int64) {
	w, err := s.Open(dir)
	if err != nil {
		if !errors.Is(err, s.ErrCorrupt) {
			t.Fatalf("Open of a damaged log: %v, want ErrCorrupt", err)
		}
		return
	}
	defer w.Close()
	last := w.LastIndex()
	for i := uint64(1); i <= min(last, fuzzEntries); i++ {
		got, err := w.Read(i)
		if err != nil && !errors.Is(err, s.ErrCorrupt) {
			t.Fatalf("Read(%d): %v", i, err)
		}
		if err == nil && !bytes.Equal(got, entry(int(i))) {
			t.Fatalf("Read(%d) = %q, want %q: wrong bytes", i, got, entry(int(i)))
		}
	}
	for i := 1; i <= fuzzEntries; i++ {
		entryEnd := log.payloadAt[i] + int64(len(entry(i)))
		// A record wholly before the damage must survive; so must one
		// wholly after it (a header is under 64 bytes), or Open must
		// have reported ErrCorrupt.
		intact := entryEnd <= start || log.payloadAt[i]-64 >= end
		if intact && last < uint64(i) {
			t.Fatalf("entry %d was intact (damage at [%d, %d)) but the log ends at %d", i, start, end, last)
		}
	}
}

func copyDir(t testing.TB, from, to string) {
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
