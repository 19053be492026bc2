//go:build solution || broken_apply_first

package kvstore

import (
	"fmt"

	"walworkshop/exercises/internal/kvop"
)

// replay applies one log entry at Open. Deletes are replayed like puts:
// skipping them would bring deleted keys back after a restart.
func (s *Store) replay(index uint64, entry []byte) error {
	kind, key, value, err := kvop.Decode(entry)
	if err != nil {
		return fmt.Errorf("entry %d: %w", index, err)
	}
	s.apply(kind, key, value)
	return nil
}
