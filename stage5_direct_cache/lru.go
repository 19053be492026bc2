package directcache

import (
	"container/list"
	"fmt"
)

// lru is the textbook least-recently-used policy, the baseline for
// CLOCK-Pro: a list in order of last use, most recent at the front, and a
// map from key to list element. Every hit moves a page to the front; the
// page at the back is the one dropped.
type lru struct {
	capacity int
	order    *list.List // of *lruPage, most recently used first
	pages    map[pageKey]*list.Element
}

type lruPage struct {
	key  pageKey
	data []byte
}

func newLRU(capacity int) *lru {
	return &lru{capacity: capacity, order: list.New(), pages: make(map[pageKey]*list.Element)}
}

func (l *lru) get(k pageKey) ([]byte, bool) {
	e, ok := l.pages[k]
	if !ok {
		return nil, false
	}
	l.order.MoveToFront(e)
	return e.Value.(*lruPage).data, true
}

// put of a page already cached counts as a use and keeps the cached copy:
// pages never change, so both copies hold the same bytes.
func (l *lru) put(k pageKey, data []byte) {
	if e, ok := l.pages[k]; ok {
		l.order.MoveToFront(e)
		return
	}
	if l.capacity < 1 {
		return
	}
	if l.order.Len() >= l.capacity {
		oldest := l.order.Back()
		delete(l.pages, oldest.Value.(*lruPage).key)
		l.order.Remove(oldest)
	}
	l.pages[k] = l.order.PushFront(&lruPage{key: k, data: data})
}

func (l *lru) len() int { return l.order.Len() }

func (l *lru) check() error {
	if l.order.Len() != len(l.pages) {
		return fmt.Errorf("lru: %d pages in the list, %d in the map", l.order.Len(), len(l.pages))
	}
	if l.order.Len() > l.capacity {
		return fmt.Errorf("lru: %d pages resident, capacity %d", l.order.Len(), l.capacity)
	}
	for e := l.order.Front(); e != nil; e = e.Next() {
		p := e.Value.(*lruPage)
		if l.pages[p.key] != e {
			return fmt.Errorf("lru: the map does not point at the list element of %v", p.key)
		}
		if p.data == nil {
			return fmt.Errorf("lru: page %v has no data", p.key)
		}
	}
	return nil
}
