package waltest

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// tinyWAL is a write-ahead log small enough to read at a glance, for
// testing the suite itself: one file of records (length, CRC-32C of length
// and payload, payload), a copy of every entry in memory, one lock held
// across write and fsync. Done right, it keeps every acknowledged entry
// through a power cut, and the power-cut test must pass it; each of
// tinyFlaws breaks it the way real logs have been broken, and the power-cut
// test must catch that.
type tinyWAL struct {
	flaws tinyFlaws

	mu       sync.Mutex
	f        *os.File
	entries  [][]byte // entries[i] is index i+1
	end      int64    // where the next record goes
	unsynced int      // entries acknowledged since the last fsync
	failed   error
	closed   bool
}

// tinyFlaws are the mistakes a tinyWAL can be told to make.
type tinyFlaws struct {
	// ackBeforeSync acknowledges every append at once and fsyncs every
	// 100 entries, as the original Java workshop's "optimized" WAL did.
	ackBeforeSync bool
	// noParentSync never fsyncs the parent of the directory Open creates,
	// so the directory, the log and every entry in it may vanish.
	noParentSync bool
}

var (
	errTinyClosed   = errors.New("tiny: closed")
	errTinyCorrupt  = errors.New("tiny: corrupt") // never returned: a bad record ends the log
	errTinyNotFound = errors.New("tiny: not found")
	errTinyTooLarge = errors.New("tiny: too large") // never returned
)

const tinyHeader = 8

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// tinyChecksum covers the length too, so that zeros never pass for an
// empty record.
func tinyChecksum(header, payload []byte) uint32 {
	return crc32.Update(crc32.Checksum(header[:4], castagnoli), castagnoli, payload)
}

func openTiny(dir string, flaws tinyFlaws) (*tinyWAL, error) {
	_, statErr := os.Stat(dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if errors.Is(statErr, fs.ErrNotExist) && !flaws.noParentSync {
		if err := syncPath(filepath.Dir(dir)); err != nil {
			return nil, err
		}
	}
	path := filepath.Join(dir, "log")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	w := &tinyWAL{flaws: flaws, f: f}
	data, err := os.ReadFile(path)
	if err != nil {
		f.Close()
		return nil, err
	}
	// The first record that does not check out ends the log: under a
	// power cut, only unacknowledged records can be damaged.
	for rest := data; len(rest) >= tinyHeader; {
		n := int64(binary.LittleEndian.Uint32(rest))
		if n > int64(len(rest)-tinyHeader) || binary.LittleEndian.Uint32(rest[4:]) != tinyChecksum(rest, rest[tinyHeader:tinyHeader+n]) {
			break
		}
		w.entries = append(w.entries, append([]byte(nil), rest[tinyHeader:tinyHeader+n]...))
		w.end += tinyHeader + n
		rest = rest[tinyHeader+n:]
	}
	if err := f.Truncate(w.end); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	if err := syncPath(dir); err != nil { // the log file's name
		f.Close()
		return nil, err
	}
	return w, nil
}

func syncPath(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func (w *tinyWAL) Append(data []byte) (uint64, error) { return w.AppendBatch([][]byte{data}) }

func (w *tinyWAL) AppendBatch(entries [][]byte) (uint64, error) {
	var buf []byte
	for _, e := range entries {
		header := binary.LittleEndian.AppendUint32(nil, uint32(len(e)))
		header = binary.LittleEndian.AppendUint32(header, tinyChecksum(header, e))
		buf = append(append(buf, header...), e...)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case w.closed:
		return 0, errTinyClosed
	case w.failed != nil:
		return 0, w.failed
	}
	if _, err := w.f.WriteAt(buf, w.end); err != nil {
		w.failed = fmt.Errorf("tiny: write at offset %d: %w", w.end, err)
		return 0, w.failed
	}
	w.end += int64(len(buf))
	first := uint64(len(w.entries)) + 1
	for _, e := range entries {
		w.entries = append(w.entries, append([]byte(nil), e...))
	}
	w.unsynced += len(entries)
	if !w.flaws.ackBeforeSync || w.unsynced >= 100 {
		if err := w.f.Sync(); err != nil {
			w.failed = fmt.Errorf("tiny: fsync: %w", err)
			return 0, w.failed
		}
		w.unsynced = 0
	}
	return first, nil
}

func (w *tinyWAL) Read(index uint64) ([]byte, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil, errTinyClosed
	}
	if index < 1 || index > uint64(len(w.entries)) {
		return nil, errTinyNotFound
	}
	return append([]byte(nil), w.entries[index-1]...), nil
}

func (w *tinyWAL) Replay(from uint64, fn func(index uint64, data []byte) error) error {
	w.mu.Lock()
	entries := w.entries
	w.mu.Unlock()
	for i := max(from, 1); i <= uint64(len(entries)); i++ {
		if err := fn(i, entries[i-1]); err != nil {
			return err
		}
	}
	return nil
}

func (w *tinyWAL) FirstIndex() uint64 { return 1 }

func (w *tinyWAL) LastIndex() uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	return uint64(len(w.entries))
}

func (w *tinyWAL) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return errTinyClosed
	}
	w.closed = true
	return w.f.Close()
}

func tinyStage(name string, flaws tinyFlaws) Stage {
	return Stage{
		Name:        name,
		Open:        func(dir string) (WAL, error) { return openTiny(dir, flaws) },
		ErrClosed:   errTinyClosed,
		ErrCorrupt:  errTinyCorrupt,
		ErrNotFound: errTinyNotFound,
		ErrTooLarge: errTinyTooLarge,
	}
}

var (
	tinyCorrect       = tinyStage("tiny", tinyFlaws{})
	tinyAckBeforeSync = tinyStage("tiny/ack-before-fsync", tinyFlaws{ackBeforeSync: true})
	tinyNoParentSync  = tinyStage("tiny/no-parent-fsync", tinyFlaws{noParentSync: true})
)
