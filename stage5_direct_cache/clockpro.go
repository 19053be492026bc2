package directcache

import (
	"errors"
	"fmt"
)

// CLOCK-Pro, from Song Jiang, Feng Chen and Xiaodong Zhang, "CLOCK-Pro: An
// Effective Improvement of the CLOCK Replacement", USENIX ATC 2005.
//
// # Why not LRU
//
// LRU bets that the page read longest ago is the last one needed again.
// A loop over more pages than the cache holds makes it lose every bet: the
// page it drops is the very page the loop reads next, and every read
// misses. One pass over a large file, such as a replay of old segments,
// is as bad: it flushes everything LRU held, however often it was read.
//
// CLOCK-Pro looks at how soon a page is read again instead: its reuse
// distance. A page read again soon is hot and stays; a page read once is
// cold and is the first to go. "Soon" needs no timestamps: a cold page is
// read again soon if it is read again while it is still younger than the
// oldest hot page. That stretch of its life is its test period. A cold
// page evicted during its test period leaves its key behind as a test
// page, so that a read shortly after its eviction still counts.
//
// # The clock
//
// All pages, hot, cold and test, are on one ring in the order they came
// in: oldest first, newest at the head. Three hands turn from the oldest
// pages toward the newest, each resting on the oldest page it works on:
//
//	                      head   tail
//	           newest ->  h   |   c  <- handCold: the oldest resident cold page
//	                  t             H  <- handHot: the oldest hot page
//	               c                   c
//	              H                     t  <- handTest: the oldest page in
//	              c                     h     its test period
//	               t                   C
//	                  h             t
//	                      c   h
//
//	h, H  hot page (H: read since a hand last passed it)
//	c, C  cold page, resident (C: read since it came in)
//	t     test page: evicted in its test period, key only
//
//   - handCold makes room for a new page. An unread cold page (c) is
//     evicted, and stays on as a test page if it is in its test period. A
//     read one (C) becomes hot if it was read in its test period and wins
//     a place among the hot pages; if not, it stays cold with a new test
//     period. Either way it goes to the head.
//   - handHot makes room among the hot pages for a cold page read in its
//     test period. A hot page read since the hand last passed (H) goes to
//     the head; the first unread one (h) is demoted to cold. The cold pages
//     it passes are now older than every hot page: their test periods are
//     over, and test pages leave the clock. If the hand reaches the cold
//     page that wants in before it demotes a hot page, every hot page was
//     read more recently than that page, and it stays cold.
//   - handTest ends the oldest test periods when there are more test pages
//     than the cache has room for pages, to bound the keys kept.
//
// A hit only marks the page: no list to reorder, so hits are cheap and the
// hands do their work on misses.
//
// # How many cold pages
//
// The resident pages are split into coldTarget cold pages and the rest
// hot, and the split adapts. A test page read again is a miss that more
// cold pages would have turned into a hit, so coldTarget grows by one. A
// test page whose test period ends unread says the cold pages need less
// room, so coldTarget shrinks by one. (A cold page read while still
// resident changes nothing: that read was a hit already.) It stays in
// [1, capacity-1]: there is always a cold page to evict and, from a
// capacity of 2, room for a hot one. A cache of one page has no hot page,
// and works as plain CLOCK.
//
// # Loops and scans
//
// In a loop over 1.5 times the cache's pages, the first pass brings every
// page in cold, and the cold hand evicts them as test pages. On the second
// pass they are read in their test periods and turn hot, until the hot
// pages fill their share. From then on every hot page is read again on
// every pass, so the hot hand never finds one to demote: when a page of
// the rest of the loop comes back, the hand reaches it first and it stays
// cold. The hot pages hit on every pass, two reads in three; LRU hits
// none. The pages of a one-pass scan are never read again: they go through
// the cold pages, their test periods end unread, and the hot pages, those
// read again and again, stay.

// pageState is where a page is in its life on the clock.
type pageState uint8

const (
	hotPage    pageState = iota // resident, read again within its test period
	coldInTest                  // resident, in its test period
	coldPage                    // resident, its test period over
	testPage                    // evicted in its test period: key only
	numPageStates
)

func (s pageState) String() string {
	switch s {
	case hotPage:
		return "hot"
	case coldInTest:
		return "cold in test"
	case coldPage:
		return "cold"
	case testPage:
		return "test"
	}
	return fmt.Sprintf("pageState(%d)", int(s))
}

func (s pageState) resident() bool     { return s <= coldPage }
func (s pageState) residentCold() bool { return s == coldInTest || s == coldPage }
func (s pageState) inTestPeriod() bool { return s == coldInTest || s == testPage }

// clockPage is one page on the clock.
type clockPage struct {
	key        pageKey
	data       []byte // nil for a test page
	state      pageState
	referenced bool       // read since a hand last passed it
	prev, next *clockPage // neighbours on the ring; next is newer, except at the head
}

// clockPro is the CLOCK-Pro policy for up to capacity resident pages.
type clockPro struct {
	capacity   int
	coldTarget int // the resident pages that should be cold; the rest are hot
	count      [numPageStates]int
	pages      map[pageKey]*clockPage
	head       *clockPage // the newest page; head.next is the oldest

	// Each hand rests on the oldest page it works on, nil if there is
	// none: handHot on a hot page, handCold on a resident cold page,
	// handTest on a page in its test period.
	handHot, handCold, handTest *clockPage
}

const minColdTarget = 1

func newClockPro(capacity int) *clockPro {
	return &clockPro{capacity: capacity, coldTarget: minColdTarget, pages: make(map[pageKey]*clockPage)}
}

func (c *clockPro) maxColdTarget() int { return max(minColdTarget, c.capacity-1) }

func (c *clockPro) growColdTarget()   { c.coldTarget = min(c.coldTarget+1, c.maxColdTarget()) }
func (c *clockPro) shrinkColdTarget() { c.coldTarget = max(c.coldTarget-1, minColdTarget) }

// hotTarget is the hot pages' share of the resident pages.
func (c *clockPro) hotTarget() int { return c.capacity - c.coldTarget }

func (c *clockPro) len() int {
	return c.count[hotPage] + c.count[coldInTest] + c.count[coldPage]
}

func (c *clockPro) residentCold() int { return c.count[coldInTest] + c.count[coldPage] }
func (c *clockPro) inTestPeriod() int { return c.count[coldInTest] + c.count[testPage] }

// get only marks the page: the hands act on the mark later.
func (c *clockPro) get(k pageKey) ([]byte, bool) {
	p, ok := c.pages[k]
	if !ok || !p.state.resident() {
		return nil, false
	}
	p.referenced = true
	return p.data, true
}

func (c *clockPro) put(k pageKey, data []byte) {
	if c.capacity < 1 {
		return
	}
	p, known := c.pages[k]
	if known && p.state.resident() {
		// Two readers missed at once and both read the page. The second
		// put is a read like get's; the bytes are the same.
		p.referenced = true
		return
	}
	c.makeRoom()
	c.admit(k, data)
	c.settleHands()
}

// admit brings page k in once there is room for it: hot if it is a test
// page that wins its place among the hot pages, else cold, at the start of
// its test period.
func (c *clockPro) admit(k pageKey, data []byte) {
	// Look k up again: making room may have ended its test period.
	if p, ok := c.pages[k]; ok {
		c.growColdTarget()
		if c.promote(p) {
			p.data = data
			c.setState(p, hotPage)
			c.moveToHead(p)
			return
		}
		if c.onClock(p) {
			c.remove(p)
		}
	}
	c.insert(&clockPage{key: k, data: data, state: coldInTest})
}

// onClock reports whether p is still on the clock: a hand may have
// removed it since it was looked up.
func (c *clockPro) onClock(p *clockPage) bool { return c.pages[p.key] == p }

// makeRoom evicts cold pages until a new page fits. There is always a
// cold page to evict: hot pages are fewer than capacity (promote).
func (c *clockPro) makeRoom() {
	for c.len() >= c.capacity {
		c.runColdHand()
	}
}

// runColdHand deals with the oldest resident cold page: promotes it, gives
// it a new test period or evicts it. makeRoom's loop ends: a page the hand
// keeps goes to the head unmarked, and is evicted when next reached.
func (c *clockPro) runColdHand() {
	c.settleColdHand()
	p := c.handCold
	switch {
	case p.referenced && p.state == coldInTest && c.promote(p):
		p.referenced = false
		c.setState(p, hotPage)
		c.moveToHead(p)
	case p.referenced:
		p.referenced = false
		c.setState(p, coldInTest)
		c.moveToHead(p)
	case p.state == coldInTest:
		p.data = nil // dropped, not reused: a reader may still hold it
		c.setState(p, testPage)
		c.dropExcessTests()
	default:
		c.remove(p)
	}
	c.settleHands()
}

// promote makes room among the hot pages for p, a cold page read in its
// test period, and reports whether p may become hot. Room means fewer hot
// pages than hotTarget, which keeps at least one resident page cold.
func (c *clockPro) promote(p *clockPage) bool {
	for c.count[hotPage] >= c.hotTarget() {
		if !c.runHotHand(p) {
			return false
		}
	}
	return true
}

// runHotHand moves the hot hand toward p until it demotes an unread hot
// page, one older than p, and reports true. It reports false if it reaches
// p first: then every hot page was read more recently than p, and p's test
// period is over. The pages it passes are older than every hot page left,
// so their test periods are over too. It ends: a hot page it keeps goes to
// the head, after p, unmarked.
func (c *clockPro) runHotHand(p *clockPage) bool {
	if c.handHot == nil {
		c.settleHotHand()
	}
	for c.count[hotPage] > 0 && c.handHot != p {
		q := c.handHot
		c.handHot = q.next
		switch {
		case q.state != hotPage:
			c.endTestPeriod(q)
		case q.referenced:
			q.referenced = false
			c.moveToHead(q)
		default:
			c.setState(q, coldPage)
			c.moveToHead(q)
			return true
		}
	}
	c.settleHotHand() // passes p, ending its test period
	return false
}

// dropExcessTests ends the oldest test periods until the test pages fit in
// the capacity again.
func (c *clockPro) dropExcessTests() {
	for c.count[testPage] > c.capacity {
		c.settleTestHand()
		p := c.handTest
		c.handTest = p.next
		c.endTestPeriod(p)
	}
}

// endTestPeriod ends p's test period, if it is in one. A test page is
// removed: it has nothing left to prove.
func (c *clockPro) endTestPeriod(p *clockPage) {
	switch p.state {
	case coldInTest:
		c.setState(p, coldPage)
	case testPage:
		c.remove(p)
		c.shrinkColdTarget()
	}
}

// settleHands puts each hand on the oldest page of its kind.
func (c *clockPro) settleHands() {
	c.settleHotHand()
	c.settleColdHand()
	c.settleTestHand()
}

// settleHotHand moves the hot hand on to the oldest hot page. The pages it
// passes are older than every hot page: their test periods are over.
func (c *clockPro) settleHotHand() {
	if c.count[hotPage] == 0 {
		c.handHot = nil
		return
	}
	if c.handHot == nil {
		c.handHot = c.head.next
	}
	for c.handHot.state != hotPage {
		p := c.handHot
		c.handHot = p.next
		c.endTestPeriod(p)
	}
}

func (c *clockPro) settleColdHand() {
	if c.residentCold() == 0 {
		c.handCold = nil
		return
	}
	if c.handCold == nil {
		c.handCold = c.head.next
	}
	for !c.handCold.state.residentCold() {
		c.handCold = c.handCold.next
	}
}

func (c *clockPro) settleTestHand() {
	if c.inTestPeriod() == 0 {
		c.handTest = nil
		return
	}
	if c.handTest == nil {
		c.handTest = c.head.next
	}
	for !c.handTest.state.inTestPeriod() {
		c.handTest = c.handTest.next
	}
}

func (c *clockPro) setState(p *clockPage, s pageState) {
	c.count[p.state]--
	p.state = s
	c.count[s]++
}

// insert puts a new page at the head.
func (c *clockPro) insert(p *clockPage) {
	c.pages[p.key] = p
	c.count[p.state]++
	c.link(p)
}

// remove takes p off the clock and forgets it.
func (c *clockPro) remove(p *clockPage) {
	c.unlink(p)
	c.count[p.state]--
	delete(c.pages, p.key)
}

func (c *clockPro) moveToHead(p *clockPage) {
	if p != c.head {
		c.unlink(p)
		c.link(p)
	}
}

// link puts p on the ring as the head, the newest page.
func (c *clockPro) link(p *clockPage) {
	if c.head == nil {
		p.prev, p.next = p, p
	} else {
		p.prev, p.next = c.head, c.head.next
		p.prev.next = p
		p.next.prev = p
	}
	c.head = p
}

// unlink takes p off the ring. A hand on p moves on to the next page, the
// one it would have looked at next.
func (c *clockPro) unlink(p *clockPage) {
	next := p.next
	if next == p {
		next = nil // p was the only page
	}
	for _, hand := range []**clockPage{&c.handHot, &c.handCold, &c.handTest} {
		if *hand == p {
			*hand = next
		}
	}
	if c.head == p {
		c.head = p.prev
		if next == nil {
			c.head = nil
		}
	}
	p.prev.next = p.next
	p.next.prev = p.prev
	p.prev, p.next = nil, nil
}

// check verifies the invariants of the clock: a well-formed ring holding
// exactly the pages of the map, the counts right, the sizes within their
// bounds, and each hand on the oldest page of its kind.
func (c *clockPro) check() error {
	if err := c.checkRing(); err != nil {
		return err
	}
	switch hot := c.count[hotPage]; {
	case c.len() > c.capacity:
		return fmt.Errorf("clock-pro: %d pages resident, capacity %d", c.len(), c.capacity)
	case c.count[testPage] > c.capacity:
		return fmt.Errorf("clock-pro: %d test pages, capacity %d", c.count[testPage], c.capacity)
	case c.coldTarget < minColdTarget || c.coldTarget > c.maxColdTarget():
		return fmt.Errorf("clock-pro: coldTarget %d outside [%d, %d]", c.coldTarget, minColdTarget, c.maxColdTarget())
	case hot > 0 && hot >= c.capacity:
		return fmt.Errorf("clock-pro: %d hot pages, capacity %d: no cold page left to evict", hot, c.capacity)
	}
	return c.checkHands()
}

// checkRing walks the ring from the oldest page to the head, checking its
// links and pages and counting them. A walk that first comes back to its
// start after len(c.pages) steps, through pages that are each the map's
// page for their key, has seen every page of the map exactly once.
func (c *clockPro) checkRing() error {
	if c.head == nil {
		if len(c.pages) != 0 || c.count != [numPageStates]int{} {
			return errors.New("clock-pro: no head, but the clock is not empty")
		}
		return nil
	}
	var counts [numPageStates]int
	start := c.head.next
	p, steps := start, 0
	for {
		if err := c.checkPage(p); err != nil {
			return err
		}
		counts[p.state]++
		p, steps = p.next, steps+1
		if p == start || steps > len(c.pages) {
			break
		}
	}
	if steps != len(c.pages) {
		return fmt.Errorf("clock-pro: the ring is not a cycle of the %d pages in the map", len(c.pages))
	}
	if counts != c.count {
		return fmt.Errorf("clock-pro: counted %v pages of each state, recorded %v", counts, c.count)
	}
	return nil
}

// checkPage checks one page on the ring.
func (c *clockPro) checkPage(p *clockPage) error {
	switch {
	case p == nil || p.next == nil || p.prev == nil:
		return errors.New("clock-pro: the ring is broken")
	case p.next.prev != p:
		return fmt.Errorf("clock-pro: page %v: next.prev is not the page", p.key)
	case c.pages[p.key] != p:
		return fmt.Errorf("clock-pro: page %v on the ring is not the one in the map", p.key)
	case p.state >= numPageStates:
		return fmt.Errorf("clock-pro: page %v in %v", p.key, p.state)
	case p.state.resident() == (p.data == nil):
		return fmt.Errorf("clock-pro: %v page %v has %d bytes of data", p.state, p.key, len(p.data))
	case p.state == testPage && p.referenced:
		return fmt.Errorf("clock-pro: test page %v is marked read", p.key)
	}
	return nil
}

// checkHands checks that each hand is on the oldest page of its kind, and
// that no page older than the oldest hot page is in its test period.
func (c *clockPro) checkHands() error {
	hands := []struct {
		name  string
		hand  *clockPage
		count int
		kind  func(pageState) bool
	}{
		{"hot", c.handHot, c.count[hotPage], func(s pageState) bool { return s == hotPage }},
		{"cold", c.handCold, c.residentCold(), pageState.residentCold},
		{"test", c.handTest, c.inTestPeriod(), pageState.inTestPeriod},
	}
	for _, h := range hands {
		if (h.hand == nil) != (h.count == 0) {
			return fmt.Errorf("clock-pro: %s hand %v with %d pages of its kind", h.name, h.hand != nil, h.count)
		}
		if h.hand == nil {
			continue
		}
		p := c.head.next
		for ; p != h.hand && !h.kind(p.state) && p != c.head; p = p.next {
			if h.name == "hot" && p.state.inTestPeriod() {
				return fmt.Errorf("clock-pro: %v page %v is older than every hot page", p.state, p.key)
			}
		}
		if p != h.hand {
			return fmt.Errorf("clock-pro: the %s hand is not on the oldest page of its kind", h.name)
		}
		if !h.kind(p.state) {
			return fmt.Errorf("clock-pro: the %s hand is on a %v page", h.name, p.state)
		}
	}
	return nil
}
