package directcache

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// smallSegments keeps every test's log spread over many segment files.
var smallSegments = Options{SegmentSize: 1024}

func payload(i int) []byte { return fmt.Appendf(nil, "entry %04d padded to some length ..........", i) }

// writeLog appends n entries and closes the log, returning its segment
// files, oldest first (the unused prepared one included).
func writeLog(t *testing.T, dir string, n int) []string {
	t.Helper()
	w, err := Open(dir, smallSegments)
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= n; i++ {
		if _, err := w.Append(payload(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.seg"))
	if err != nil || len(files) < 4 {
		t.Fatalf("want at least 4 segments, have %v (%v)", files, err)
	}
	return files
}

func checkEntries(t *testing.T, w *WAL, from, to int) {
	t.Helper()
	for i := from; i <= to; i++ {
		got, err := w.Read(uint64(i))
		if err != nil || string(got) != string(payload(i)) {
			t.Fatalf("Read(%d) = %q, %v", i, got, err)
		}
	}
}

func TestTruncateFront(t *testing.T) {
	dir := t.TempDir()
	before := writeLog(t, dir, 100)
	w, err := Open(dir, smallSegments)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.TruncateFront(60); err != nil {
		t.Fatal(err)
	}
	first := w.FirstIndex()
	if first <= 1 || first > 60 {
		t.Fatalf("FirstIndex after TruncateFront(60) = %d, want in (1, 60]", first)
	}
	if _, err := w.Read(first - 1); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Read(%d) below FirstIndex = %v, want ErrNotFound", first-1, err)
	}
	checkEntries(t, w, int(first), 100)
	checkReplayFrom(t, w, first, 100)
	if _, err := os.Stat(before[0]); !os.IsNotExist(err) {
		t.Fatalf("the oldest segment %s is still there: %v", before[0], err)
	}
	w.Close()

	w, err = Open(dir, smallSegments)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if w.FirstIndex() != first || w.LastIndex() != 100 {
		t.Fatalf("after reopen: %d..%d, want %d..100", w.FirstIndex(), w.LastIndex(), first)
	}
	checkEntries(t, w, int(first), 100)
}

// checkReplayFrom checks that Replay(1) starts at first, the FirstIndex
// after a truncation, and visits every entry up to last.
func checkReplayFrom(t *testing.T, w *WAL, first, last uint64) {
	t.Helper()
	visited := uint64(0)
	err := w.Replay(1, func(index uint64, _ []byte) error {
		if visited == 0 && index != first {
			t.Fatalf("Replay(1) started at %d, want FirstIndex %d", index, first)
		}
		visited++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if visited != last-first+1 {
		t.Fatalf("Replay visited %d entries, want %d", visited, last-first+1)
	}
}

// A crash part-way through TruncateFront removed only the oldest of the
// segments it was dropping: the log must open and start at the next one.
func TestCrashDuringTruncateFront(t *testing.T) {
	dir := t.TempDir()
	files := writeLog(t, dir, 100)
	if err := os.Remove(files[0]); err != nil {
		t.Fatal(err)
	}
	w, err := Open(dir, smallSegments)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if w.FirstIndex() <= 1 || w.LastIndex() != 100 {
		t.Fatalf("%d..%d after losing the oldest segment", w.FirstIndex(), w.LastIndex())
	}
	checkEntries(t, w, int(w.FirstIndex()), 100)
}

// A missing segment in the middle is lost data, never a shorter log.
func TestMissingMiddleSegment(t *testing.T) {
	dir := t.TempDir()
	files := writeLog(t, dir, 100)
	if err := os.Remove(files[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, smallSegments); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Open with segment 2 missing = %v, want ErrCorrupt", err)
	}
}

// A segment file shorter than its size: fine when only zeros were cut,
// ErrCorrupt when records of a segment that others follow were cut.
func TestShortSegment(t *testing.T) {
	dir := t.TempDir()
	files := writeLog(t, dir, 100)
	w, err := Open(dir, smallSegments)
	if err != nil {
		t.Fatal(err)
	}
	end := w.index.all()[1].end
	w.Close()

	if err := os.Truncate(files[1], end); err != nil {
		t.Fatal(err)
	}
	w, err = Open(dir, smallSegments)
	if err != nil {
		t.Fatalf("Open after cutting the zeros of segment 2: %v", err)
	}
	checkEntries(t, w, 1, 100)
	w.Close()

	if err := os.Truncate(files[1], end-10); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, smallSegments); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("Open after cutting a record of segment 2 = %v, want ErrCorrupt", err)
	}
}

// The newest segment was prepared but its directory entry never made it to
// disk (or the preparation was cut short and left a .tmp file): the log
// opens, appends continue, and nothing is lost.
func TestUnsyncedNewSegment(t *testing.T) {
	dir := t.TempDir()
	files := writeLog(t, dir, 100)
	if err := os.Remove(files[len(files)-1]); err != nil { // the unused, prepared one
		t.Fatal(err)
	}
	if err := os.WriteFile(files[len(files)-1]+".tmp", make([]byte, 100), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := Open(dir, smallSegments)
	if err != nil {
		t.Fatal(err)
	}
	for i := 101; i <= 150; i++ {
		if _, err := w.Append(payload(i)); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	w, err = Open(dir, smallSegments)
	if err != nil {
		t.Fatal(err)
	}
	checkEntries(t, w, 1, 150)
	w.Close() // waits for the segment being prepared
	if leftovers, _ := filepath.Glob(filepath.Join(dir, "*.tmp")); len(leftovers) != 0 {
		t.Fatalf("leftover temporary files: %v", leftovers)
	}
}

// A batch larger than a segment gets a segment of its own.
func TestBatchLargerThanSegment(t *testing.T) {
	dir := t.TempDir()
	w, err := Open(dir, smallSegments)
	if err != nil {
		t.Fatal(err)
	}
	big := make([]byte, 5000)
	if _, err := w.AppendBatch([][]byte{payload(1), big, payload(3)}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	w, err = Open(dir, smallSegments)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if got, err := w.Read(2); err != nil || len(got) != len(big) {
		t.Fatalf("Read(2) = %d bytes, %v", len(got), err)
	}
}

// A zeroed first block in front of acknowledged records is damage, not an
// unused segment: deleting it would drop acknowledged entries without a
// word. The segment after it, written once these were durable, proves it.
func TestZeroedSegmentHeader(t *testing.T) {
	dir := t.TempDir()
	files := writeLog(t, dir, 100)
	damaged := files[len(files)-3] // the last one is prepared and unused
	f, err := os.OpenFile(damaged, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(make([]byte, segmentHeaderSize), 0); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if w, err := Open(dir, smallSegments); !errors.Is(err, ErrCorrupt) {
		if err == nil {
			w.Close()
		}
		t.Fatalf("Open with a zeroed header before records = %v, want ErrCorrupt", err)
	}
	if _, err := os.Stat(damaged); err != nil {
		t.Fatalf("the damaged segment was removed: %v", err)
	}
}

// Open removes its own leftover .tmp files, and nothing else.
func TestForeignFilesAreLeftAlone(t *testing.T) {
	dir := t.TempDir()
	writeLog(t, dir, 100)
	foreign := filepath.Join(dir, "notes.tmp")
	if err := os.WriteFile(foreign, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := Open(dir, smallSegments)
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	if _, err := os.Stat(foreign); err != nil {
		t.Fatalf("Open removed a file that is not the WAL's: %v", err)
	}
}

func TestBadPreallocOption(t *testing.T) {
	if _, err := Open(t.TempDir(), Options{Prealloc: 7}); err == nil {
		t.Fatal("Open accepted Prealloc(7)")
	}
}
