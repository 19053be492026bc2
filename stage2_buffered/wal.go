package buffered

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
)

const (
	// logName is the single file this stage writes.
	logName = "wal.log"
	// maxRetainedBuffer caps the encode buffer kept between appends.
	maxRetainedBuffer = 1 << 20
)

// Options holds this stage's knobs. Stage 2 has none.
type Options struct{}

// WAL is a write-ahead log in one file. All methods are safe for concurrent
// use.
type WAL struct {
	path  string
	f     logFile
	lock  *dirLock
	index index
	stats counters

	mu     sync.Mutex // serializes writers: held across write and fsync
	end    int64      // where the next record goes; guarded by mu
	buf    []byte     // records being written, reused; guarded by mu
	failed error      // set after a failed write or sync; guarded by mu
	closed atomic.Bool
}

// Open opens or creates the log in dir and recovers it: a torn tail is cut
// off, damage in the middle of the log is an ErrCorrupt error.
func Open(dir string, opts Options) (*WAL, error) {
	return open(dir, opts, openOSFile)
}

func open(dir string, _ Options, openFile openFileFunc) (*WAL, error) {
	w := &WAL{path: filepath.Join(dir, logName)}
	if err := w.makeDir(dir); err != nil {
		return nil, err
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	f, err := openFile(w.path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		lock.release()
		return nil, fmt.Errorf("wal: open %s: %w", w.path, err)
	}
	w.f, w.lock = f, lock
	if err := w.recover(dir); err != nil {
		f.Close()
		lock.release()
		return nil, err
	}
	return w, nil
}

// recover rebuilds the index from the file, cuts a torn tail, and makes the
// file and its directory entry durable before anything is appended.
func (w *WAL) recover(dir string) error {
	offsets, end, err := recoverLog(w.f, w.path)
	if err != nil {
		return err
	}
	if err := w.f.Truncate(end); err != nil {
		return fmt.Errorf("wal: cut torn tail of %s at offset %d: %w", w.path, end, err)
	}
	if _, err := w.f.Seek(end, 0); err != nil {
		return fmt.Errorf("wal: seek %s to offset %d: %w", w.path, end, err)
	}
	if err := w.sync(); err != nil {
		return err
	}
	if err := w.syncDir(dir); err != nil {
		return err
	}
	w.end = end
	w.index.add(offsets, end)
	return nil
}

// Append writes data as one entry and returns its index once it is durable.
func (w *WAL) Append(data []byte) (uint64, error) {
	return w.AppendBatch([][]byte{data})
}

// AppendBatch appends entries in order and returns the index of the first.
// The whole batch is encoded into one buffer and costs one write and one
// fsync, however many entries it holds. An empty batch writes nothing and
// returns the index the next entry gets.
func (w *WAL) AppendBatch(entries [][]byte) (uint64, error) {
	if err := checkSizes(entries); err != nil {
		return 0, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.usable(); err != nil {
		return 0, err
	}
	if len(entries) == 0 {
		return w.index.last() + 1, nil
	}
	offsets := w.encode(entries)
	if err := w.write(w.buf); err != nil {
		return 0, w.fail(err)
	}
	if err := w.sync(); err != nil {
		return 0, w.fail(err)
	}
	w.stats.entries.Add(uint64(len(entries)))
	return w.index.add(offsets, w.end), nil
}

// encode fills w.buf with the records of entries and returns where each one
// will start in the file.
func (w *WAL) encode(entries [][]byte) []int64 {
	if cap(w.buf) > maxRetainedBuffer {
		w.buf = nil // one huge batch should not pin its memory forever
	}
	w.buf = w.buf[:0]
	offsets := make([]int64, len(entries))
	// Every entry in the index is durable: each AppendBatch syncs before
	// it returns, and this one holds mu.
	durable := w.index.last()
	for i, data := range entries {
		offsets[i] = w.end + int64(len(w.buf))
		w.buf = appendRecord(w.buf, record{index: durable + 1 + uint64(i), durable: durable, payload: data})
	}
	return offsets
}

func (w *WAL) write(b []byte) error {
	w.stats.writes.Add(1)
	n, err := w.f.Write(b)
	w.stats.bytes.Add(uint64(n))
	if err != nil {
		return fmt.Errorf("wal: write %s at offset %d: %w", w.path, w.end, err)
	}
	w.end += int64(n)
	return nil
}

// sync is a full fsync: the file grows with every append, so its size (the
// inode) must be made durable along with the data.
func (w *WAL) sync() error {
	w.stats.syncs.Add(1)
	if err := w.f.Sync(); err != nil {
		return fmt.Errorf("wal: fsync %s: %w", w.path, err)
	}
	return nil
}

// fail makes the WAL fail-stop. After a failed fsync the kernel may have
// dropped the dirty pages and cleared the error, so a retried fsync can
// "succeed" without the data ever reaching the disk (PostgreSQL's
// fsyncgate, 2018). The only safe answer is to stop and let Open recover
// from what is really on disk.
func (w *WAL) fail(err error) error {
	w.failed = err
	return err
}

// usable reports why the WAL cannot take appends, if it cannot. Callers hold mu.
func (w *WAL) usable() error {
	if w.closed.Load() {
		return ErrClosed
	}
	if w.failed != nil {
		return fmt.Errorf("wal: failed earlier, reopen to recover: %w", w.failed)
	}
	return nil
}

func checkSizes(entries [][]byte) error {
	for i, data := range entries {
		if len(data) > MaxEntrySize {
			return fmt.Errorf("%w: entry %d of the batch is %d bytes, the limit is %d",
				ErrTooLarge, i, len(data), MaxEntrySize)
		}
	}
	return nil
}

// Stats returns the counters since Open.
func (w *WAL) Stats() Stats { return w.stats.snapshot() }

// Close waits for the append in progress, then closes the file. Every
// acknowledged entry is already durable, so there is nothing to flush.
func (w *WAL) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed.Swap(true) {
		return ErrClosed
	}
	if err := w.f.Close(); err != nil {
		w.lock.release()
		return fmt.Errorf("wal: close %s: %w", w.path, err)
	}
	return w.lock.release()
}
