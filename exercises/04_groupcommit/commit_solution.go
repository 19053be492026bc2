//go:build solution || broken_ack_before_sync || broken_retry_sync

package groupcommit

import (
	"fmt"
	"sync"

	"walworkshop/exercises/internal/walrecord"
)

// Log appends records to one file, committing concurrent appends in
// groups. All methods are safe for concurrent use.
type Log struct {
	f       File
	work    chan struct{} // the pending group has entries, or Close was called (capacity 1)
	stopped chan struct{} // closed when syncLoop returns

	mu      sync.Mutex
	pending *group // the group collecting appenders; guarded by mu
	next    uint64 // the index the next enqueued entry gets; guarded by mu
	failed  error  // set after a failed write or sync; guarded by mu
	closed  bool   // guarded by mu
}

// group is the unit of group commit: the records of every append that
// arrived while the previous group was being synced.
type group struct {
	buf     []byte
	entries int
	done    chan struct{} // closed once the group is durable or failed
	err     error         // why it failed; read after done is closed
}

func newGroup() *group { return &group{done: make(chan struct{})} }

func New(f File) (*Log, error) {
	l := &Log{
		f:       f,
		work:    make(chan struct{}, 1),
		stopped: make(chan struct{}),
		pending: newGroup(),
		next:    1,
	}
	go l.syncLoop()
	return l, nil
}

func (l *Log) Append(data []byte) (uint64, error) {
	if len(data) > MaxEntrySize {
		return 0, fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, len(data), MaxEntrySize)
	}
	g, index, err := l.enqueue(data)
	if err != nil {
		return 0, err
	}
	<-g.done // released only once the group's fsync returned
	if g.err != nil {
		return 0, g.err
	}
	return index, nil
}

// enqueue adds data's record to the pending group and wakes syncLoop.
func (l *Log) enqueue(data []byte) (*group, uint64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil, 0, ErrClosed
	}
	if l.failed != nil {
		return nil, 0, fmt.Errorf("groupcommit: failed earlier, reopen to recover: %w", l.failed)
	}
	g := l.pending
	g.buf = walrecord.Append(g.buf, data)
	g.entries++
	index := l.next
	l.next++
	notify(l.work)
	return g, index, nil
}

// syncLoop commits the pending group, again and again. While it is in
// commit (the write and the fsync), new appenders join the next pending
// group: that is the whole trick.
func (l *Log) syncLoop() {
	defer close(l.stopped)
	for range l.work {
		for {
			g, closed := l.take()
			if g == nil {
				if closed {
					return // nothing pending, and nothing new can arrive
				}
				break
			}
			l.commit(g)
		}
	}
}

// take swaps in an empty group and returns the pending one, or nil if it
// has no entries. closed reports whether Close was called.
func (l *Log) take() (g *group, closed bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.pending.entries == 0 {
		return nil, l.closed
	}
	g, l.pending = l.pending, newGroup()
	return g, l.closed
}

// fail makes the log fail-stop and returns err.
func (l *Log) fail(err error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.failed == nil {
		l.failed = err
	}
	return err
}

// failure is the error that failed the log, if one did.
func (l *Log) failure() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.failed
}

func (l *Log) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return ErrClosed
	}
	l.closed = true
	l.mu.Unlock()
	notify(l.work)
	<-l.stopped // every group enqueued before Close is durable or failed
	return nil
}

// notify sends a wake-up on a channel of capacity 1 without blocking: one
// pending wake-up is as good as many.
func notify(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}
