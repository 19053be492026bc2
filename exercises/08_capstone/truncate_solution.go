//go:build solution || broken_snapshot_in_place

package capstone

import (
	"fmt"
	"maps"
)

// Snapshot copies the map under the read lock, so that writers wait only
// for the copy, not for the file. The order of the two steps after it is
// the whole point: the log may forget entries only once a snapshot that
// covers them is durable. TruncateFront(index+1) keeps entry index+1 on,
// and drops whole segments only, so the log may keep more than it must.
func (s *Store) Snapshot() error {
	s.snapMu.Lock()
	defer s.snapMu.Unlock()
	s.mu.RLock()
	index, data := s.applied, maps.Clone(s.data)
	s.mu.RUnlock()
	if err := writeSnapshot(s.fs, s.dir, index, data); err != nil {
		return err
	}
	if err := s.log.TruncateFront(index + 1); err != nil {
		return fmt.Errorf("capstone: truncate the log below entry %d: %w", index+1, err)
	}
	return nil
}
