//go:build solution || broken_no_replay_delete

package kvstore

import (
	"fmt"

	"walworkshop/exercises/internal/kvop"
)

// update is the write-ahead rule: log the change, wait until it is
// durable, then apply it. If the Append fails, the map is untouched: a
// reader never sees a value a crash could take back.
func (s *Store) update(kind byte, key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.log.Append(kvop.Encode(kind, key, value)); err != nil {
		return fmt.Errorf("kvstore: log %c %q: %w", kind, key, err)
	}
	s.apply(kind, key, value)
	return nil
}
