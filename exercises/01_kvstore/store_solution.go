//go:build solution || broken_apply_first || broken_no_replay_delete

package kvstore

import (
	"fmt"
	"sync"

	"walworkshop/exercises/internal/kvop"
)

// Store is a durable map from string keys to string values. All methods
// are safe for concurrent use.
type Store struct {
	log Log

	// mu is held for writing across a change's Append and its apply, so
	// the log's order is the order changes reach the map.
	mu   sync.RWMutex
	data map[string]string // guarded by mu
}

func OpenLog(log Log) (*Store, error) {
	s := &Store{log: log, data: map[string]string{}}
	if err := log.Replay(1, s.replay); err != nil {
		return nil, fmt.Errorf("kvstore: replay: %w", err)
	}
	return s, nil
}

func (s *Store) Put(key, value string) error { return s.update(kvop.Put, key, value) }

func (s *Store) Delete(key string) error { return s.update(kvop.Delete, key, "") }

// apply changes the map; the change is already in the log. Callers hold
// mu, or are OpenLog, before the store is shared.
func (s *Store) apply(kind byte, key, value string) {
	if kind == kvop.Delete {
		delete(s.data, key)
		return
	}
	s.data[key] = value
}

func (s *Store) Get(key string) (value string, ok bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	value, ok = s.data[key]
	return value, ok
}

func (s *Store) Close() error { return s.log.Close() }
