package directcache

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// Where the filesystem refuses direct I/O, Open still works, through the
// page cache, and says so once: in Stats and in one log line that names
// what was refused (O_DIRECT, or F_NOCACHE on macOS).
func TestRefusedDirectIO(t *testing.T) {
	refuse := openRefusingDirectIO(t)
	var lines []string
	opts := Options{Logf: func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)) }}
	dir := t.TempDir()
	for round := range 2 {
		w, err := open(dir, opts, refuse)
		if err != nil {
			t.Fatal(err)
		}
		if s := w.Stats(); s.DirectIO || s.Alignment != fallbackBlock {
			t.Errorf("Stats say DirectIO %v, Alignment %d; want false, %d", s.DirectIO, s.Alignment, fallbackBlock)
		}
		if _, err := w.Append([]byte(fmt.Sprint("entry ", round))); err != nil {
			t.Fatal(err)
		}
		if got, err := w.Read(uint64(round + 1)); err != nil || string(got) != fmt.Sprint("entry ", round) {
			t.Fatalf("Read(%d) = %q, %v", round+1, got, err)
		}
		w.Close()
	}
	if len(lines) != 2 || !strings.Contains(lines[0], directIO) {
		t.Errorf("want one line about %s per Open, got %q", directIO, lines)
	}
}

// On a filesystem that takes direct I/O, the segment files really use it.
func TestSegmentsAreOpenedWithODirect(t *testing.T) {
	w, err := Open(t.TempDir(), Options{SegmentSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if !w.Stats().DirectIO {
		t.Skip("this filesystem refuses O_DIRECT; TestRefusedDirectIO covers that path")
	}
	if _, err := w.Append([]byte("x")); err != nil {
		t.Fatal(err)
	}
	seg := w.index.all()[0]
	if !openForDirectIO(t, seg.f) {
		t.Fatalf("%s is open without %s", seg.path, directIO)
	}
	t.Logf("alignment %d bytes", w.Stats().Alignment)
}

// The alignment comes from the platform's query where it has one (statx on
// Linux) and is fallbackBlock where it has none (macOS, FreeBSD: their
// queryDIOAlign returns errNoAlignmentQuery, as the first case here does),
// or where what it reports does not fit the buffers.
func TestDIOAlignment(t *testing.T) {
	for _, tc := range []struct {
		name        string
		offset, mem uint32
		err         error
		want        int64
	}{
		{"no query on this platform", 0, 0, errNoAlignmentQuery, fallbackBlock},
		{"query failed", 512, 4, errors.New("EIO"), fallbackBlock}, // what it says then is not to be used
		{"512-byte sectors", 512, 4, nil, 512},
		{"4 KiB sectors", 4096, 512, nil, 4096},
		{"no offset alignment reported", 0, 4, nil, fallbackBlock},
		{"buffers need more than memAlign", 512, 2 * memAlign, nil, fallbackBlock},
		{"offset alignment memAlign is no multiple of", 3000, 4, nil, fallbackBlock},
	} {
		query := func(string) (uint32, uint32, error) { return tc.offset, tc.mem, tc.err }
		if got := dioAlignment("segment", query); got != tc.want {
			t.Errorf("%s: alignment %d, want %d", tc.name, got, tc.want)
		}
	}
	// And the real query answers something usable here, or falls back.
	path := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	offset, mem, err := queryDIOAlign(path)
	got := dioAlignment(path, queryDIOAlign)
	if got <= 0 || memAlign%got != 0 {
		t.Errorf("alignment %d for %s", got, path)
	}
	t.Logf("queryDIOAlign: offset %d, mem %d, err %v: alignment %d", offset, mem, err, got)
}

// writeRecorder remembers every write to the segment files.
type writeRecorder struct {
	mu     sync.Mutex
	writes map[logFile][]extent
}

type extent struct{ off, len int64 }

type recordedFile struct {
	logFile
	r *writeRecorder
}

func (f recordedFile) WriteAt(p []byte, off int64) (int, error) {
	f.r.mu.Lock()
	f.r.writes[f.logFile] = append(f.r.writes[f.logFile], extent{off, int64(len(p))})
	f.r.mu.Unlock()
	return f.logFile.WriteAt(p, off)
}

func (r *writeRecorder) open(name string, flag int, perm os.FileMode) (logFile, error) {
	f, err := openOSFile(name, flag, perm)
	if err != nil || strings.HasSuffix(name, probeName) {
		return f, err
	}
	return recordedFile{f, r}, nil
}

// The tail policy: no write ever covers a byte an earlier write covered.
// Every group starts on a fresh block, so a torn write can only damage its
// own, unacknowledged group, never an acknowledged one. Segments are
// fallocated here, so that every write to them is a group's.
func TestWritesNeverOverlap(t *testing.T) {
	rec := &writeRecorder{writes: map[logFile][]extent{}}
	w, err := open(t.TempDir(), Options{SegmentSize: 64 << 10, Prealloc: PreallocFallocate}, rec.open)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				if _, err := w.Append(bytes.Repeat([]byte{byte(g)}, (g*37+i*11)%700)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	block := int64(w.Stats().Alignment)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, spans := range rec.writes {
		sort.Slice(spans, func(i, j int) bool { return spans[i].off < spans[j].off })
		for i, s := range spans {
			if s.off%block != 0 || s.len%block != 0 {
				t.Errorf("write of %d bytes at offset %d is not aligned to %d", s.len, s.off, block)
			}
			if i > 0 && spans[i-1].off+spans[i-1].len > s.off {
				t.Errorf("write at %d+%d overlaps the write at %d+%d", s.off, s.len, spans[i-1].off, spans[i-1].len)
			}
		}
		total += len(spans)
	}
	if total < 20 {
		t.Fatalf("only %d writes recorded", total)
	}
}

// A crash that tears a group after its first records leaves valid records
// ending inside a block. Recovery pads them to the block boundary (a zero
// gap would end the log there), rewriting only bytes it read, and the
// records before the damage keep their bytes.
func TestRecoveryPadsATornGroup(t *testing.T) {
	dir := t.TempDir()
	w, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Append([]byte("acknowledged")); err != nil {
		t.Fatal(err)
	}
	if _, err := w.AppendBatch([][]byte{[]byte("kept 1"), []byte("kept 2"), []byte("torn")}); err != nil {
		t.Fatal(err)
	}
	seg := w.index.all()[0]
	path, tornAt := seg.path, seg.offsets[3]
	w.Close()

	flipByte(t, path, tornAt+headerSize) // the last record of the group is torn
	before := readPrefix(t, path, tornAt)

	w, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if last := w.LastIndex(); last != 3 {
		t.Fatalf("LastIndex after the torn group = %d, want 3", last)
	}
	if _, err := w.Append([]byte("after")); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if after := readPrefix(t, path, tornAt); !bytes.Equal(before, after) {
		t.Fatal("recovery changed bytes before the damage")
	}
	w, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	want := []string{"acknowledged", "kept 1", "kept 2", "after"}
	for i, s := range want {
		if got, err := w.Read(uint64(i + 1)); err != nil || string(got) != s {
			t.Errorf("Read(%d) = %q, %v; want %q", i+1, got, err, s)
		}
	}
}

func flipByte(t *testing.T, path string, off int64) {
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
	b[0] ^= 0xff
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

func readPrefix(t *testing.T, path string, n int64) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b[:n]
}

// A page that reaches past the durable end still receives later groups
// (with 512-byte blocks, eight groups share a 4 KiB page): caching it would
// serve its old zeros. Each Read here lands on such a page.
func TestPartlyWrittenPagesAreNotCached(t *testing.T) {
	w, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for i := range 64 {
		want := fmt.Sprint("entry ", i)
		idx, err := w.Append([]byte(want))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := w.Read(idx); err != nil || string(got) != want {
			t.Fatalf("Read(%d) = %q, %v; want %q", idx, got, err, want)
		}
	}
}

// Reads come from the cache once their pages are in it, and the cache
// never holds more than its budget.
func TestCacheServesRepeatedReads(t *testing.T) {
	for _, budget := range []int64{64 << 10, 3*pageSize + 100} {
		t.Run(fmt.Sprint(budget), func(t *testing.T) {
			w, err := Open(t.TempDir(), Options{CacheBytes: budget})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			batch := make([][]byte, 200)
			for i := range batch {
				batch[i] = bytes.Repeat([]byte{byte(i)}, 100)
			}
			if _, err := w.AppendBatch(batch); err != nil {
				t.Fatal(err)
			}
			// A page is cached only once it is final: push the durable end
			// a page past the batch.
			if _, err := w.Append(make([]byte, pageSize)); err != nil {
				t.Fatal(err)
			}
			for pass := range 2 {
				before := w.Stats()
				for i := range batch {
					got, err := w.Read(uint64(i + 1))
					if err != nil || !bytes.Equal(got, batch[i]) {
						t.Fatalf("Read(%d) = %v, %v", i+1, got, err)
					}
					if held := w.Stats().CacheBytes; held > uint64(budget) {
						t.Fatalf("the cache holds %d bytes, over its budget of %d", held, budget)
					}
				}
				after := w.Stats()
				misses := after.CacheMisses - before.CacheMisses
				t.Logf("pass %d: %d hits, %d misses", pass, after.CacheHits-before.CacheHits, misses)
				if pass == 1 && budget >= 64<<10 && misses != 0 {
					t.Errorf("second pass over 200 entries (about 6 pages) with a 64 KiB cache: %d misses", misses)
				}
			}
		})
	}
}

func TestBadCacheOption(t *testing.T) {
	if _, err := Open(t.TempDir(), Options{Cache: 9}); err == nil {
		t.Fatal("Open accepted Options.Cache = 9")
	}
}

// The probe file is gone after Open, and other files are not touched.
func TestProbeLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	w, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	if _, err := os.Stat(filepath.Join(dir, probeName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("%s left behind: %v", probeName, err)
	}
}
