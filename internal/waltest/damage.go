package waltest

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A damage changes the bytes of one record on disk. loc is where that
// record's payload sits; the header is just before it. Damages only assume
// that a record's header ends right where its payload starts.
type damage struct {
	name string
	// afterLast: the damage adds bytes after the record instead of hurting
	// it, so the record itself must survive.
	afterLast bool
	apply     func(t testing.TB, loc location, rng *rand.Rand)
}

var tailDamages = []damage{
	{name: "TruncatedInPayload", apply: func(t testing.TB, l location, _ *rand.Rand) {
		truncate(t, l.path, l.off+l.len/2)
	}},
	{name: "TruncatedInHeader", apply: func(t testing.TB, l location, _ *rand.Rand) {
		truncate(t, l.path, l.off-2)
	}},
	{name: "Zeroed", apply: func(t testing.TB, l location, _ *rand.Rand) {
		overwrite(t, l.path, l.off-4, make([]byte, 4+l.len))
	}},
	{name: "Garbage", apply: func(t testing.TB, l location, rng *rand.Rand) {
		overwrite(t, l.path, l.off-4, randomBytes(rng, 4+int(l.len)))
	}},
	{name: "BitFlipInPayload", apply: func(t testing.TB, l location, rng *rand.Rand) {
		flipBit(t, l.path, l.off+rng.Int64N(l.len), rng.IntN(8))
	}},
	{name: "BitFlipInHeader", apply: func(t testing.TB, l location, rng *rand.Rand) {
		flipBit(t, l.path, l.off-1-rng.Int64N(4), rng.IntN(8))
	}},
	{name: "ZerosAfterLast", afterLast: true, apply: func(t testing.TB, l location, _ *rand.Rand) {
		overwrite(t, l.path, l.off+l.len, make([]byte, 8192))
	}},
	{name: "GarbageAfterLast", afterLast: true, apply: func(t testing.TB, l location, rng *rand.Rand) {
		overwrite(t, l.path, l.off+l.len, randomBytes(rng, 1000))
	}},
}

// testTornTail: damage to the last record (or after it) is a torn tail. Open
// cuts it, keeps every entry before it, and appends continue and survive the
// next reopen without the damage coming back.
func testTornTail(t *testing.T, s Stage) {
	for _, d := range tailDamages {
		t.Run(d.name, func(t *testing.T) {
			rng := newRand(t)
			dir := t.TempDir()
			const n = 20
			w := mustOpen(t, s, dir)
			appendEntries(t, w, 1, n+1)
			mustClose(t, w)

			d.apply(t, locate(t, dir, entry(n+1)), rng)

			want := entries(n)
			if d.afterLast {
				want = entries(n + 1)
			}
			w = mustOpen(t, s, dir)
			checkLog(t, w, want)
			next := []byte("written after the repair")
			if idx, err := w.Append(next); err != nil || idx != uint64(len(want)+1) {
				t.Fatalf("Append after repair = %d, %v; want index %d", idx, err, len(want)+1)
			}
			mustClose(t, w)

			w = mustOpen(t, s, dir)
			defer w.Close()
			checkLog(t, w, append(want, next))
		})
	}
}

var midLogDamages = []damage{
	{name: "BitFlipInPayload", apply: tailDamages[4].apply},
	{name: "BitFlipInHeader", apply: tailDamages[5].apply},
	{name: "Zeroed", apply: tailDamages[2].apply},
	{name: "Garbage", apply: tailDamages[3].apply},
}

// testMidLogCorruption: damage followed by valid records is corruption.
// Open (or else Read and Replay of the damaged entry) must return ErrCorrupt
// naming the file and offset; never wrong bytes, never a shorter log.
func testMidLogCorruption(t *testing.T, s Stage) {
	for _, d := range midLogDamages {
		t.Run(d.name, func(t *testing.T) {
			rng := newRand(t)
			dir := t.TempDir()
			const n, damaged = 40, 17
			w := mustOpen(t, s, dir)
			appendEntries(t, w, 1, n)
			mustClose(t, w)

			loc := locate(t, dir, entry(damaged))
			d.apply(t, loc, rng)

			w, err := s.Open(dir)
			if err != nil {
				checkCorruptError(t, s, err, loc.path)
				return
			}
			defer w.Close()
			if w.LastIndex() != n {
				t.Fatalf("Open succeeded with LastIndex %d after mid-log damage, want %d or ErrCorrupt", w.LastIndex(), n)
			}
			_, err = w.Read(damaged)
			checkCorruptError(t, s, err, loc.path)
			err = w.Replay(1, func(uint64, []byte) error { return nil })
			checkCorruptError(t, s, err, loc.path)
			for i := 1; i <= n; i++ {
				if i == damaged {
					continue
				}
				if got, err := w.Read(uint64(i)); err != nil || string(got) != string(entry(i)) {
					t.Fatalf("Read(%d) = %.20q, %v; want the intact entry", i, got, err)
				}
			}
		})
	}
}

func checkCorruptError(t testing.TB, s Stage, err error, path string) {
	t.Helper()
	if !errors.Is(err, s.ErrCorrupt) {
		t.Fatalf("got %v, want an error wrapping ErrCorrupt", err)
	}
	if msg := err.Error(); !strings.Contains(msg, filepath.Base(path)) || !strings.Contains(msg, "offset") {
		t.Fatalf("error %q does not name the file %s and the offset", msg, filepath.Base(path))
	}
}

func truncate(t testing.TB, path string, size int64) {
	t.Helper()
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
}

func overwrite(t testing.TB, path string, off int64, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

func flipBit(t testing.TB, path string, off int64, bit int) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, 1)
	if _, err := f.ReadAt(b, off); err != nil {
		t.Fatal(err)
	}
	b[0] ^= 1 << bit
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

func randomBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// newRand returns a generator seeded randomly and, if the test fails, logs
// the seed so the failure can be replayed with WALTEST_SEED.
func newRand(t testing.TB) *rand.Rand {
	seed := rand.Uint64()
	if s := os.Getenv("WALTEST_SEED"); s != "" {
		var err error
		if seed, err = parseUint(s); err != nil {
			t.Fatalf("WALTEST_SEED: %v", err)
		}
	}
	// Said only when the test fails: a passing run has nothing to replay,
	// and a line per test would bury the output that matters.
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("random seed %d: WALTEST_SEED=%d replays this test", seed, seed)
		}
	})
	return rand.New(rand.NewPCG(seed, seed))
}
