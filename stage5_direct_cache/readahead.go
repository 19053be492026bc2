package directcache

import "io"

// Read-ahead for Replay. With O_DIRECT there is no kernel read-ahead: a
// buffered reader that asks for the next megabyte only when it has consumed
// the last one leaves the device idle while the records are decoded, and
// gives it one request at a time when it could serve several at once. A
// readAhead keeps depth aligned chunks in flight, each read by its own
// goroutine into its own aligned buffer, and hands their bytes out in order.
// Memory stays at depth chunks: a buffer is read into again only after its
// bytes have all been handed out.

const (
	// readAheadChunk is the size of one read: large enough that the cost of
	// a request is small next to its transfer.
	readAheadChunk = 1 << 20
	// readAheadDepth is how many chunks are read at once (and the memory
	// Replay holds: 4 MiB). A handful of requests in flight is what a
	// device needs to stream; more only holds memory.
	readAheadDepth = 4
)

// readAhead hands out bytes [pos, end) of f in order, with next and Discard.
// Its reads are aligned to block, so on a direct I/O file they go to the
// device without a copy in alignedReads. Close must be called: it waits for
// the reads in flight, so that no goroutine outlives the reader.
type readAhead struct {
	f     io.ReaderAt
	block int64
	end   int64

	pos      int64    // offset of the next byte next returns
	cur      []byte   // the bytes of the oldest chunk not handed out yet
	curBuf   []byte   // the buffer cur points into, reused once cur is empty
	straddle []byte   // a record that straddles two chunks, put together
	nextRead int64    // aligned offset of the next chunk to read
	pending  []*chunk // reads in flight, oldest first
	err      error    // sticky: what stopped the reader
}

// chunk is one read in flight. Its goroutine sets n and err, then closes
// done.
type chunk struct {
	off  int64
	buf  []byte
	n    int
	err  error
	done chan struct{}
}

// newReadAhead starts depth reads of chunkSize bytes each (a multiple of
// block), the first at start rounded down to block.
func newReadAhead(f io.ReaderAt, start, end, block int64, chunkSize, depth int) *readAhead {
	r := &readAhead{f: f, block: block, end: end, pos: start, nextRead: roundDown(start, block)}
	for range depth {
		r.startRead(alignedBuffer(chunkSize))
	}
	return r
}

// startRead reads the next chunk into buf, unless the range is all read.
// The last chunk is cut to the block after end, never beyond.
func (r *readAhead) startRead(buf []byte) {
	if r.nextRead >= r.end {
		return
	}
	n := min(int64(len(buf)), roundUp(r.end, r.block)-r.nextRead)
	c := &chunk{off: r.nextRead, buf: buf[:n], done: make(chan struct{})}
	r.nextRead += n
	r.pending = append(r.pending, c)
	f := r.f
	go func() {
		defer close(c.done)
		c.n, c.err = f.ReadAt(c.buf, c.off)
	}()
}

// fill makes cur hold the bytes at pos, waiting for the oldest read. The
// chunk just emptied goes back to reading the one after the last in flight.
func (r *readAhead) fill() error {
	if r.err != nil {
		return r.err
	}
	if r.pos >= r.end {
		return io.EOF
	}
	if r.curBuf != nil {
		r.startRead(r.curBuf[:cap(r.curBuf)])
		r.curBuf = nil
	}
	if len(r.pending) == 0 { // only after Close
		return io.ErrUnexpectedEOF
	}
	c := r.pending[0]
	r.pending = r.pending[1:]
	<-c.done
	// The chunk holds [c.off, c.off+n); the range wants [pos, min(end, ...)).
	have := c.off + int64(c.n)
	want := min(r.end, c.off+int64(len(c.buf)))
	if have < want {
		// Hand out what did arrive; the error comes after it.
		r.err = c.err
		if r.err == nil {
			r.err = io.ErrUnexpectedEOF
		}
		want = max(have, r.pos)
	}
	r.cur = c.buf[r.pos-c.off : want-c.off]
	r.curBuf = c.buf
	if len(r.cur) == 0 {
		return r.err
	}
	return nil
}

// next returns the next n bytes of the range and moves past them. When one
// chunk holds them all, which is nearly always, they are a view into its
// buffer: Replay checks and hands out a record where the device put it,
// with no copy. Only a record that straddles two chunks is assembled, in
// straddle. Either way the bytes stay valid until the next call of next or
// Discard, which may hand their buffer to a new read. If the range or a read
// ends first, next returns the bytes that did arrive, and the error.
func (r *readAhead) next(n int) ([]byte, error) {
	if len(r.cur) == 0 {
		if err := r.fill(); err != nil {
			return nil, err
		}
	}
	if n <= len(r.cur) {
		b := r.cur[:n]
		r.skip(n)
		return b, nil
	}
	r.straddle = append(r.straddle[:0], r.cur...)
	r.skip(len(r.cur))
	for len(r.straddle) < n {
		if err := r.fill(); err != nil {
			return r.straddle, err
		}
		k := min(n-len(r.straddle), len(r.cur))
		r.straddle = append(r.straddle, r.cur[:k]...)
		r.skip(k)
	}
	return r.straddle, nil
}

// skip moves past the first n bytes of cur.
func (r *readAhead) skip(n int) {
	r.cur = r.cur[n:]
	r.pos += int64(n)
}

// Discard skips n bytes (the padding between groups) without copying them.
func (r *readAhead) Discard(n int64) error {
	for n > 0 {
		if len(r.cur) == 0 {
			if err := r.fill(); err != nil {
				return err
			}
		}
		k := min(n, int64(len(r.cur)))
		r.skip(int(k))
		n -= k
	}
	return nil
}

// Close waits for the reads still in flight and drops the buffers. ReadAt
// cannot be interrupted, so this waits for at most depth reads.
func (r *readAhead) Close() {
	for _, c := range r.pending {
		<-c.done
	}
	r.pending, r.cur, r.curBuf, r.straddle = nil, nil, nil, nil
}
