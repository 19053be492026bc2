package directcache

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"
)

// fakeDevice is an io.ReaderAt over data that, like a direct I/O file,
// refuses reads that are not aligned to block, and records what it was
// asked. If failAt is set, a read covering that offset returns the bytes
// before it and errFake. If gate is set, reads other than the first block
// wait for it to be closed.
type fakeDevice struct {
	data   []byte
	block  int64
	failAt int64
	gate   chan struct{}

	mu       sync.Mutex
	calls    int
	inFlight int
	finished int
}

var errFake = errors.New("fake device error")

func (d *fakeDevice) ReadAt(p []byte, off int64) (int, error) {
	d.mu.Lock()
	d.calls++
	d.inFlight++
	d.mu.Unlock()
	defer func() {
		d.mu.Lock()
		d.inFlight--
		d.finished++
		d.mu.Unlock()
	}()
	if off%d.block != 0 || int64(len(p))%d.block != 0 || uintptr(unsafe.Pointer(unsafe.SliceData(p)))%memAlign != 0 {
		return 0, errors.New("unaligned read")
	}
	if d.gate != nil && off != 0 {
		<-d.gate
	}
	if d.failAt > 0 && off <= d.failAt && d.failAt < off+int64(len(p)) {
		return copy(p, d.data[off:d.failAt]), errFake
	}
	if off >= int64(len(d.data)) {
		return 0, io.EOF
	}
	n := copy(p, d.data[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (d *fakeDevice) started() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.calls
}

func randomBytes(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// readInPieces reads r to its end in pieces of varying sizes, skipping some
// bytes with Discard on the way, and returns what it read, with skipped bytes
// taken from want so the result is comparable. Each piece is looked at only
// just before the next call: next promises it stays valid until then, and a
// buffer handed to a new read too early shows up as wrong bytes (or, under
// -race, as a race).
func readInPieces(r *readAhead, start int64, want []byte) ([]byte, error) {
	var got, held []byte
	pos := start
	for i := 0; ; i++ {
		got = append(got, held...)
		held = nil
		if i%5 == 4 { // skip a few bytes, as Replay skips padding
			err := r.Discard(min(int64(i%37), r.end-pos))
			got = append(got, want[pos:r.pos]...)
			pos = r.pos
			if err != nil {
				return got, err
			}
			continue
		}
		b, err := r.next(1 + i*7%300)
		pos += int64(len(b))
		if err != nil {
			return append(got, b...), err
		}
		held = b
	}
}

func TestReadAheadReadsTheRange(t *testing.T) {
	const block, chunk, depth = 512, 2048, 3
	data := randomBytes(10*chunk + 300) // the file ends inside a block
	for _, c := range []struct {
		name       string
		start, end int64
	}{
		{"aligned", 0, 8 * chunk},
		{"unaligned start and end", 100, 7*chunk + 333},
		{"within one block", 700, 900},
		{"to the end of the file", 1000, int64(len(data))},
		{"empty", 600, 600},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := &fakeDevice{data: data, block: block}
			r := newReadAhead(d, c.start, c.end, block, chunk, depth)
			got, err := readInPieces(r, c.start, data)
			r.Close()
			if err != io.EOF {
				t.Fatalf("read ended with %v, want io.EOF", err)
			}
			if !bytes.Equal(got, data[c.start:c.end]) {
				t.Fatalf("read %d bytes, not the %d bytes of [%d, %d)", len(got), c.end-c.start, c.start, c.end)
			}
			if d.inFlight != 0 {
				t.Fatalf("%d reads still in flight after Close", d.inFlight)
			}
		})
	}
}

// A consumer that stops early (fn returned an error) must leave no read
// behind, and the reader must not have read further than its depth.
func TestReadAheadCloseWaitsForReadsInFlight(t *testing.T) {
	const block, chunk, depth = 512, 1024, 4
	d := &fakeDevice{data: randomBytes(20 * chunk), block: block, gate: make(chan struct{})}
	r := newReadAhead(d, 0, int64(len(d.data)), block, chunk, depth)
	if _, err := r.next(10); err != nil {
		t.Fatal(err)
	}
	for d.started() < depth { // until chunks 1..depth-1 wait at the gate
		runtime.Gosched()
	}
	closed := make(chan struct{})
	var inFlightAtClose int
	go func() {
		r.Close()
		d.mu.Lock()
		inFlightAtClose = d.inFlight
		d.mu.Unlock()
		close(closed)
	}()
	// Give a Close that does not wait the time to return. A Close that
	// waits cannot return before the gate opens, however long this is.
	time.Sleep(20 * time.Millisecond)
	close(d.gate)
	<-closed
	d.mu.Lock()
	defer d.mu.Unlock()
	if inFlightAtClose != 0 {
		t.Fatalf("Close returned with %d reads still in flight", inFlightAtClose)
	}
	if d.calls != depth {
		t.Fatalf("%d reads issued for a consumer still in the first chunk, want %d (the depth)", d.calls, depth)
	}
}

func TestReadAheadReportsTheFailedOffset(t *testing.T) {
	const block, chunk, depth = 512, 2048, 3
	data := randomBytes(10 * chunk)
	for _, c := range []struct {
		name               string
		start, end, failAt int64
	}{
		{"in a later chunk", 100, 9 * chunk, 5*chunk + 77},
		{"in the first chunk", 300, 9 * chunk, 1000},
		{"in the block of start", 300, 9 * chunk, 301},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := &fakeDevice{data: data, block: block, failAt: c.failAt}
			r := newReadAhead(d, c.start, c.end, block, chunk, depth)
			defer r.Close()
			got, err := readInPieces(r, c.start, data)
			if !errors.Is(err, errFake) {
				t.Fatalf("read ended with %v, want the device's error", err)
			}
			if want := data[c.start:c.failAt]; !bytes.Equal(got, want) {
				t.Fatalf("read %d bytes before the error, want the %d before offset %d", len(got), len(want), c.failAt)
			}
			if _, err := r.next(1); !errors.Is(err, errFake) {
				t.Fatalf("read after the error: %v, want the error again", err)
			}
		})
	}
}

// countedReads counts the reads in flight on the segment files, and can slow
// them down, so that a read left behind is still running when looked for.
type countedReads struct {
	inFlight atomic.Int64
	slow     atomic.Bool
}

type countedFile struct {
	logFile
	c *countedReads
}

func (f countedFile) ReadAt(p []byte, off int64) (int, error) {
	f.c.inFlight.Add(1)
	defer f.c.inFlight.Add(-1)
	if f.c.slow.Load() && off > 0 {
		time.Sleep(5 * time.Millisecond)
	}
	return f.logFile.ReadAt(p, off)
}

func (c *countedReads) open(name string, flag int, perm os.FileMode) (logFile, error) {
	f, err := openOSFile(name, flag, perm)
	if err != nil || strings.HasSuffix(name, probeName) {
		return f, err
	}
	return countedFile{f, c}, nil
}

// When fn stops a replay, Replay returns its error only after the reads it
// started ahead have finished.
func TestReplayStoppedEarlyLeavesNoReads(t *testing.T) {
	c := &countedReads{}
	w, err := open(t.TempDir(), Options{SegmentSize: 16 << 20}, c.open)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	entry := bytes.Repeat([]byte{7}, 64<<10)
	for range 64 { // 4 MiB: more than one chunk
		if _, err := w.Append(entry); err != nil {
			t.Fatal(err)
		}
	}
	errStop := errors.New("stop")
	c.slow.Store(true)
	err = w.Replay(0, func(uint64, []byte) error { return errStop })
	c.slow.Store(false)
	if !errors.Is(err, errStop) {
		t.Fatalf("Replay returned %v, want fn's error", err)
	}
	if n := c.inFlight.Load(); n != 0 {
		t.Fatalf("Replay returned with %d reads still in flight", n)
	}
}
