// Package clockpro is exercise 07: the replacement policy of stage 5's
// read cache, CLOCK-Pro (Song Jiang, Feng Chen and Xiaodong Zhang, USENIX
// ATC 2005), behind a small cache interface with a fixed budget.
//
// With O_DIRECT the kernel caches nothing for the log, so stage 5 keeps
// its own pages, up to a budget. Which page goes when the budget is full
// decides the hit ratio. LRU drops the page read longest ago, and loses
// every bet on a loop over more pages than it holds: the page it drops is
// the one the loop reads next. CLOCK-Pro looks at how soon a page is read
// again instead (its reuse distance): a page read again soon is hot and
// stays, a page read once is cold and goes first, and a scan passes
// through without flushing the hot pages.
//
// You write ClockPro in clockpro.go. README.md has the steps.
package clockpro

// Cache is a fixed-capacity cache of pages keyed by number. It is not safe
// for concurrent use: stage 5's pageCache holds a mutex around every call.
type Cache interface {
	// Get returns the value of key if it is resident.
	Get(key uint64) ([]byte, bool)
	// Put makes key resident with value, evicting another page if the
	// cache is full. Putting a resident key again counts as a read of it.
	Put(key uint64, value []byte)
	// Len is the number of resident pages: never more than the capacity.
	Len() int
}
