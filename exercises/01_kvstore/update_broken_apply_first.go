//go:build broken_apply_first && !solution

package kvstore

import (
	"fmt"

	"walworkshop/exercises/internal/kvop"
)

// A broken variant, for the tests to catch: the change is applied before
// it is logged. A reader can see a value that is not durable yet, and
// when the Append fails the map keeps a change the log never got.
func (s *Store) update(kind byte, key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apply(kind, key, value)
	if _, err := s.log.Append(kvop.Encode(kind, key, value)); err != nil {
		return fmt.Errorf("kvstore: log %c %q: %w", kind, key, err)
	}
	return nil
}
