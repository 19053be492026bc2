//go:build broken_ack_before_sync && !solution

package groupcommit

import "fmt"

// A broken variant, for the tests to catch: the waiters are released as
// soon as the write returned, and the fsync runs after. It is fast, and
// every entry acknowledged while the fsync runs is one a power cut can
// take away: the original Java workshop's "optimized" WAL did this.
func (l *Log) commit(g *group) {
	g.err = l.failure()
	if g.err == nil {
		if _, err := l.f.Write(g.buf); err != nil {
			g.err = l.fail(fmt.Errorf("groupcommit: write: %w", err))
		}
	}
	close(g.done)
	if g.err == nil {
		if err := l.f.Sync(); err != nil {
			l.fail(fmt.Errorf("groupcommit: fsync: %w", err))
		}
	}
}
