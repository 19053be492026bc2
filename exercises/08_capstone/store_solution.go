//go:build solution || broken_snapshot_in_place || broken_truncate_first

package capstone

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"walworkshop/exercises/internal/crashfs"
	"walworkshop/exercises/internal/kvop"
	directcache "walworkshop/stage5_direct_cache"
)

// Store is a durable map from string keys to string values. All methods
// are safe for concurrent use.
type Store struct {
	log *directcache.WAL
	dir string
	fs  crashfs.FS

	snapMu sync.Mutex // one Snapshot at a time

	// mu is held for writing across a change's Append and its apply, so
	// that the log's order is the order changes reach the map, and applied
	// names exactly the changes in data.
	mu      sync.RWMutex
	data    map[string]string // guarded by mu
	applied uint64            // the index of the last log entry in data; guarded by mu
}

func Open(dir string, opts Options) (*Store, error) {
	opts = opts.withDefaults()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("capstone: create %s: %w", dir, err)
	}
	snapPath := filepath.Join(dir, snapshotName)
	index, data, err := loadSnapshot(opts.FS, snapPath)
	if err != nil {
		return nil, err
	}
	log, err := directcache.Open(filepath.Join(dir, walDir), directcache.Options{SegmentSize: opts.SegmentSize})
	if err != nil {
		return nil, fmt.Errorf("capstone: open log: %w", err)
	}
	s := &Store{log: log, dir: dir, fs: opts.FS, data: data, applied: index}
	if err := s.replay(snapPath); err != nil {
		log.Close()
		return nil, err
	}
	return s, nil
}

// replay applies the log's entries after the snapshot. The log must
// continue the snapshot: if its first entry comes after the one the
// snapshot ends at, the entries between are gone, and a store without
// them would silently have lost acknowledged changes.
func (s *Store) replay(snapPath string) error {
	if first := s.log.FirstIndex(); first > s.applied+1 {
		return fmt.Errorf("capstone: the log starts at entry %d, but %s covers only up to entry %d: entries %d to %d are lost",
			first, snapPath, s.applied, s.applied+1, first-1)
	}
	if last := s.log.LastIndex(); last < s.applied {
		return fmt.Errorf("capstone: the log ends at entry %d, before %s's entry %d", last, snapPath, s.applied)
	}
	return s.log.Replay(s.applied+1, func(index uint64, entry []byte) error {
		kind, key, value, err := kvop.Decode(entry)
		if err != nil {
			return fmt.Errorf("capstone: log entry %d: %w", index, err)
		}
		s.apply(index, kind, key, value)
		return nil
	})
}

// apply changes the map for log entry index. Callers hold mu, or are
// Open, before the store is shared.
func (s *Store) apply(index uint64, kind byte, key, value string) {
	if kind == kvop.Delete {
		delete(s.data, key)
	} else {
		s.data[key] = value
	}
	s.applied = index
}

func (s *Store) Put(key, value string) error { return s.update(kvop.Put, key, value) }

func (s *Store) Delete(key string) error { return s.update(kvop.Delete, key, "") }

// update logs the change, waits until it is durable, then applies it.
func (s *Store) update(kind byte, key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	index, err := s.log.Append(kvop.Encode(kind, key, value))
	if err != nil {
		return fmt.Errorf("capstone: log %c %q: %w", kind, key, err)
	}
	s.apply(index, kind, key, value)
	return nil
}

func (s *Store) Get(key string) (value string, ok bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	value, ok = s.data[key]
	return value, ok
}

func (s *Store) Close() error { return s.log.Close() }
