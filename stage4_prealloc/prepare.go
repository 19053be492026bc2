package prealloc

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// preparedSegment is a segment file ready to be written: preallocated,
// synced, and linked into the directory under its final name.
type preparedSegment struct {
	num  uint64
	path string
	f    logFile
	err  error
}

// prepareLoop keeps the next segment ready, so the writer never waits for
// allocation in the common case (etcd's filePipeline). It prepares one
// segment, waits until rotation takes it, and prepares the next. Once a
// preparation failed, or the WAL did, it prepares nothing more (no retry on
// a full disk), but still answers, with the error, so that a rotation never
// waits forever.
func (w *WAL) prepareLoop() {
	defer w.prep.Done()
	var failed error
	for num := w.nextNum; ; {
		if failed == nil {
			failed = w.failure()
		}
		p := preparedSegment{err: failed}
		if failed == nil {
			p = w.prepareSegment(num)
			failed = p.err
		}
		select {
		case w.prepared <- p:
			num++
		case <-w.stopPrep:
			if p.f != nil {
				p.f.Close() // it stays on disk, unused; Open removes it
			}
			return
		}
	}
}

// prepareSegment creates segment num under a temporary name, preallocates
// and syncs it, then renames it into place and syncs the directory. A crash
// at any point leaves either a .tmp file (removed by Open) or a complete,
// unused segment: never a half-prepared file under a segment's name.
func (w *WAL) prepareSegment(num uint64) preparedSegment {
	path := filepath.Join(w.dir, segmentName(num))
	tmp := path + ".tmp"
	f, err := w.openFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return preparedSegment{err: fmt.Errorf("wal: create %s: %w", tmp, err)}
	}
	if err := w.preallocate(f, tmp); err != nil {
		f.Close()
		return preparedSegment{err: err}
	}
	if err := w.failure(); err != nil { // no more syncs once the WAL failed
		f.Close()
		return preparedSegment{err: err}
	}
	w.stats.syncs.Add(1)
	if err := f.Sync(); err != nil { // a full fsync: the size changed
		f.Close()
		return preparedSegment{err: fmt.Errorf("wal: fsync %s: %w", tmp, err)}
	}
	if err := os.Rename(tmp, path); err != nil {
		f.Close()
		return preparedSegment{err: fmt.Errorf("wal: rename %s: %w", tmp, err)}
	}
	if err := w.syncDir(w.dir); err != nil {
		f.Close()
		return preparedSegment{err: err}
	}
	w.stats.segments.Add(1)
	return preparedSegment{num: num, path: path, f: f}
}

// zeroChunk is how much of a segment is zero-filled and synced at a time.
const zeroChunk = 256 << 10

// preallocate reserves SegmentSize bytes as Options.Prealloc says.
func (w *WAL) preallocate(f logFile, name string) error {
	switch w.opts.Prealloc {
	case PreallocZero:
		// Sync each chunk as it is written: one fsync of 64 MiB of dirty
		// zeros would occupy the disk for tens of milliseconds, and every
		// append's fdatasync would wait behind it. Small flushes interleave.
		zeros := make([]byte, min(w.opts.SegmentSize, zeroChunk))
		for off := int64(0); off < w.opts.SegmentSize; off += int64(len(zeros)) {
			chunk := zeros[:min(int64(len(zeros)), w.opts.SegmentSize-off)]
			if w.failure() != nil {
				return w.failure() // stop writing once the WAL has failed
			}
			w.stats.writes.Add(1)
			n, err := f.WriteAt(chunk, off)
			w.stats.prepBytes.Add(uint64(n))
			if err != nil {
				return fmt.Errorf("wal: zero-fill %s at offset %d: %w", name, off, err)
			}
			w.stats.syncs.Add(1)
			if err := f.Datasync(); err != nil {
				return fmt.Errorf("wal: fdatasync %s: %w", name, err)
			}
		}
	case PreallocFallocate:
		if err := unix.Fallocate(int(f.Fd()), 0, 0, w.opts.SegmentSize); err != nil {
			return fmt.Errorf("wal: fallocate %s: %w", name, err)
		}
	}
	return nil
}
