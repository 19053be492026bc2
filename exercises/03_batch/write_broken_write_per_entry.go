//go:build broken_write_per_entry && !solution

package batch

import (
	"fmt"

	"walworkshop/exercises/internal/walrecord"
)

// A broken variant, for the tests to catch: one sync for the batch, but
// one write per entry. Durable and correct, and it pays a syscall per
// entry that the batch was meant to save.
func (l *Log) writeAndSync(entries [][]byte) error {
	for _, data := range entries {
		if _, err := l.f.Write(walrecord.Append(nil, data)); err != nil {
			return fmt.Errorf("batch: write: %w", err)
		}
	}
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("batch: sync: %w", err)
	}
	return nil
}
