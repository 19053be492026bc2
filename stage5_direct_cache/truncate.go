package directcache

import (
	"fmt"
	"os"
)

// TruncateFront drops the segments whose entries all come before index i,
// typically once a snapshot covers them. Whole segments go; the newest one
// always stays, so FirstIndex may remain below i. Afterwards FirstIndex is
// the first entry of the oldest remaining segment, and Read below it
// returns ErrNotFound.
//
// It is crash-safe because it removes the oldest segment first, and syncs
// the directory after each removal, so that no filesystem can persist a
// later removal before an earlier one: a crash part-way leaves an unbroken
// run of segments, whose oldest header names the new first index.
func (w *WAL) TruncateFront(i uint64) error {
	if w.closed.Load() {
		return ErrClosed
	}
	w.truncateMu.Lock()
	defer w.truncateMu.Unlock()
	dropped := w.index.dropBefore(i)
	if len(dropped) == 0 {
		return nil
	}
	for _, seg := range dropped {
		seg.f.Close()
	}
	for _, seg := range dropped {
		if err := os.Remove(seg.path); err != nil {
			return fmt.Errorf("wal: truncate: remove %s: %w", seg.path, err)
		}
		if err := w.syncDir(w.dir); err != nil {
			return err
		}
	}
	return nil
}
