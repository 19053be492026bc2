//go:build broken_sync_per_entry && !solution

package batch

import (
	"fmt"

	"walworkshop/exercises/internal/walrecord"
)

// A broken variant, for the tests to catch: stage 1's loop, a write and a
// sync per entry. Durable, and as slow as if there were no batch.
func (l *Log) writeAndSync(entries [][]byte) error {
	for _, data := range entries {
		if _, err := l.f.Write(walrecord.Append(nil, data)); err != nil {
			return fmt.Errorf("batch: write: %w", err)
		}
		if err := l.f.Sync(); err != nil {
			return fmt.Errorf("batch: sync: %w", err)
		}
	}
	return nil
}
