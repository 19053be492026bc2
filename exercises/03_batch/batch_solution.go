//go:build solution || broken_write_per_entry || broken_sync_per_entry

package batch

import "fmt"

// maxRetainedBuffer caps the encode buffer kept between batches: one huge
// batch should not pin its memory forever.
const maxRetainedBuffer = 1 << 20

func (l *Log) AppendBatch(entries [][]byte) (uint64, error) {
	for i, data := range entries {
		if len(data) > MaxEntrySize {
			return 0, fmt.Errorf("%w: entry %d of the batch is %d bytes, the limit is %d",
				ErrTooLarge, i, len(data), MaxEntrySize)
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.failed != nil {
		return 0, fmt.Errorf("batch: failed earlier, reopen to recover: %w", l.failed)
	}
	first := l.next
	if len(entries) == 0 {
		return first, nil
	}
	if err := l.writeAndSync(entries); err != nil {
		l.failed = err // fail-stop: never write or sync again
		return 0, err
	}
	l.next += uint64(len(entries))
	return first, nil
}
