//go:build broken_no_replay_delete && !solution

package kvstore

import (
	"fmt"

	"walworkshop/exercises/internal/kvop"
)

// A broken variant, for the tests to catch: replay applies the puts and
// forgets the deletes, so a deleted key comes back after a restart.
func (s *Store) replay(index uint64, entry []byte) error {
	kind, key, value, err := kvop.Decode(entry)
	if err != nil {
		return fmt.Errorf("entry %d: %w", index, err)
	}
	if kind == kvop.Put {
		s.apply(kind, key, value)
	}
	return nil
}
