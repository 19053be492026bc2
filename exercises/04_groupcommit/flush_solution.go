//go:build solution

package groupcommit

import "fmt"

// commit writes g, covers it with one fsync and only then releases its
// waiters. A failed write or fsync fails g and the log: nothing is written
// or synced after it, because a retried fsync can report success for pages
// the kernel already dropped.
func (l *Log) commit(g *group) {
	g.err = l.failure()
	if g.err == nil {
		if _, err := l.f.Write(g.buf); err != nil {
			g.err = l.fail(fmt.Errorf("groupcommit: write of %d entries: %w", g.entries, err))
		} else if err := l.f.Sync(); err != nil {
			g.err = l.fail(fmt.Errorf("groupcommit: fsync of %d entries: %w", g.entries, err))
		}
	}
	close(g.done)
}
