package main

// BROKEN ON PURPOSE. Nothing but this demo may use the log in this file.

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// unsafeSyncEvery is how often the unsafe log calls fsync: once every 100
// entries, as the original Java workshop's "optimized" WAL did.
const unsafeSyncEvery = 100

// unsafeLog is the original Java workshop's "optimized" write-ahead log,
// kept to be caught: Append hands the entry to write(2) and acknowledges it
// at once, and only every unsafeSyncEvery-th Append calls fsync. A killed
// process loses none of it, since the kernel holds every write, so it passes
// the kill -9 demo. A power cut loses every entry since the last fsync,
// acknowledged or not.
//
// The rest is plain and careful, so that the bug on show is that one alone:
// the file's creation is made durable (its directory is synced), every
// record carries a checksum, and Open cuts the log at the first record that
// does not check (a torn tail, or the hole an unsynced block left).
type unsafeLog struct {
	f       *os.File
	path    string
	end     int64    // where the next record goes
	entries [][]byte // entry i at i-1: the demo's logs are small
}

// An unsafe record is its payload's length (4 bytes, little-endian), a
// CRC-32C of that length and the payload (4 bytes), then the payload.
const unsafeHeader = 8

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// openUnsafe opens the unsafe log in dir, an existing directory, creating
// its file if need be, and recovers the entries it holds.
func openUnsafe(dir string) (*unsafeLog, error) {
	path := filepath.Join(dir, "unsafe.log")
	_, statErr := os.Stat(path)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("unsafe log: %w", err)
	}
	if errors.Is(statErr, fs.ErrNotExist) {
		if err := syncDir(dir); err != nil {
			f.Close()
			return nil, err
		}
	}
	data, err := io.ReadAll(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("unsafe log: read %s: %w", path, err)
	}
	l := &unsafeLog{f: f, path: path}
	for len(data[l.end:]) >= unsafeHeader {
		rec := data[l.end:]
		n := int64(binary.LittleEndian.Uint32(rec))
		if n > int64(len(rec)-unsafeHeader) {
			break // torn: the payload is not all there
		}
		if unsafeSum(rec[:4], rec[unsafeHeader:unsafeHeader+n]) != binary.LittleEndian.Uint32(rec[4:]) {
			break
		}
		l.entries = append(l.entries, rec[unsafeHeader:unsafeHeader+n])
		l.end += unsafeHeader + n
	}
	// Cut whatever follows the last good record: a torn one, or zeros.
	if err := f.Truncate(l.end); err != nil {
		f.Close()
		return nil, fmt.Errorf("unsafe log: cut %s at offset %d: %w", path, l.end, err)
	}
	return l, nil
}

// unsafeSum covers the length too, so that zeros never pass for a record.
func unsafeSum(length, payload []byte) uint32 {
	return crc32.Update(crc32.Checksum(length, castagnoli), castagnoli, payload)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("unsafe log: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("unsafe log: fsync %s: %w", dir, err)
	}
	return nil
}

// Append writes data and returns its index: acknowledged, and not durable.
func (l *unsafeLog) Append(data []byte) (uint64, error) {
	rec := make([]byte, unsafeHeader+len(data))
	binary.LittleEndian.PutUint32(rec, uint32(len(data)))
	copy(rec[unsafeHeader:], data)
	binary.LittleEndian.PutUint32(rec[4:], unsafeSum(rec[:4], data))
	if _, err := l.f.WriteAt(rec, l.end); err != nil {
		return 0, fmt.Errorf("unsafe log: write %s at offset %d: %w", l.path, l.end, err)
	}
	l.end += int64(len(rec))
	l.entries = append(l.entries, rec[unsafeHeader:])
	index := uint64(len(l.entries))
	// THE BUG: the entry is in the page cache only, and the caller will be
	// told it is safe. 99 entries in 100 are acknowledged before any fsync.
	if index%unsafeSyncEvery == 0 {
		if err := l.f.Sync(); err != nil {
			return 0, fmt.Errorf("unsafe log: fsync %s: %w", l.path, err)
		}
	}
	return index, nil
}

func (l *unsafeLog) FirstIndex() uint64 { return 1 }

func (l *unsafeLog) LastIndex() uint64 { return uint64(len(l.entries)) }

// Replay calls fn for every entry from index from on, in order.
func (l *unsafeLog) Replay(from uint64, fn func(index uint64, data []byte) error) error {
	for i := max(from, 1); i <= l.LastIndex(); i++ {
		if err := fn(i, l.entries[i-1]); err != nil {
			return err
		}
	}
	return nil
}

func (l *unsafeLog) Close() error { return l.f.Close() }
