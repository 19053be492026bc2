//go:build broken_truncate_first && !solution

package capstone

import (
	"fmt"
	"maps"
)

// A broken variant, for the tests to catch: the log is truncated before
// the snapshot that covers the dropped entries is durable. Until the new
// snapshot is renamed into place (and its directory synced), the durable
// snapshot is the old one, and the log already starts above it: a crash in
// that window loses every change between the two snapshots.
func (s *Store) Snapshot() error {
	s.snapMu.Lock()
	defer s.snapMu.Unlock()
	s.mu.RLock()
	index, data := s.applied, maps.Clone(s.data)
	s.mu.RUnlock()
	if err := s.log.TruncateFront(index + 1); err != nil {
		return fmt.Errorf("capstone: truncate: %w", err)
	}
	return writeSnapshot(s.fs, s.dir, index, data)
}
