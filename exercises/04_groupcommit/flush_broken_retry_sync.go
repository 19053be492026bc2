//go:build broken_retry_sync && !solution

package groupcommit

import "fmt"

// A broken variant, for the tests to catch: a failed fsync is retried, and
// when the retry succeeds the group is acknowledged. On Linux the retry
// does succeed: the kernel reported the error once, dropped the dirty
// pages, and has nothing left to write (PostgreSQL's fsyncgate, 2018).
func (l *Log) commit(g *group) {
	g.err = l.failure()
	if g.err == nil {
		if _, err := l.f.Write(g.buf); err != nil {
			g.err = l.fail(fmt.Errorf("groupcommit: write: %w", err))
		} else if err := l.f.Sync(); err != nil {
			if err := l.f.Sync(); err != nil { // "try again"
				g.err = l.fail(fmt.Errorf("groupcommit: fsync: %w", err))
			}
		}
	}
	close(g.done)
}
