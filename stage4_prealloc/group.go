package prealloc

import "time"

// group is the unit of group commit: the records of every append that
// arrived while the previous group was being written, written with one
// write and made durable by one fdatasync. The first group of a segment
// starts with the segment's header.
type group struct {
	seg      *segment  // the segment the group goes to; a group never spans two
	buf      []byte    // the encoded records, in file order
	writeOff int64     // where buf goes in the segment
	offsets  []int64   // where each entry starts in the segment
	waiters  int       // appenders waiting for the group: one per AppendBatch
	end      int64     // where the record after this group starts
	opened   time.Time // when the first entry joined, for MaxWait

	done chan struct{} // closed once the group is durable or failed
	err  error         // why the group failed; read after done is closed
}

func newGroup(buf []byte) *group {
	if cap(buf) > maxRetainedBuffer {
		buf = nil // one huge group should not pin its memory forever
	}
	return &group{buf: buf[:0], done: make(chan struct{})}
}

func (g *group) isFull(o Options) bool {
	return len(g.buf) >= o.MaxGroupBytes || len(g.offsets) >= o.MaxGroupEntries
}

// notify sends a wake-up on a channel of capacity 1 without blocking: one
// pending wake-up is as good as many.
func notify(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}
