//go:build solution

package clockpro

import "fmt"

// The clock: every page, hot, cold and test, on one ring in the order it
// came in, oldest first, newest at the head. Three hands turn from the
// oldest pages toward the newest, each resting on the oldest page of the
// kind it works on:
//
//   - handCold makes room for a new page. An unread cold page is evicted,
//     and stays on as a test page (its key only) if it is in its test
//     period. A read one becomes hot if it was read in its test period and
//     wins a place among the hot pages; if not, it stays cold with a new
//     test period. Either way it goes to the head.
//   - handHot makes room among the hot pages for a page that earned one.
//     A hot page read since the hand last passed goes to the head; the
//     first unread one is demoted to cold. The cold pages it passes are
//     now older than every hot page: their test periods are over. If it
//     reaches the page that wants in first, every hot page was read more
//     recently than that page, which stays cold.
//   - handTest ends the oldest test periods when there are more test pages
//     than the capacity, so the keys kept stay bounded.
//
// "Read again soon" needs no timestamps: a cold page's test period lasts
// while it is younger than the oldest hot page. How many resident pages
// are cold (coldTarget) adapts: a test page read again grows it, a test
// period that ends unread shrinks it.

// pageState is where a page is in its life on the clock.
type pageState uint8

const (
	hotPage    pageState = iota // resident, read again within its test period
	coldInTest                  // resident, in its test period
	coldPage                    // resident, its test period over
	testPage                    // evicted in its test period: key only
	numPageStates
)

func (s pageState) resident() bool     { return s <= coldPage }
func (s pageState) residentCold() bool { return s == coldInTest || s == coldPage }
func (s pageState) inTestPeriod() bool { return s == coldInTest || s == testPage }

// page is one page on the clock.
type page struct {
	key        uint64
	value      []byte // nil for a test page
	state      pageState
	referenced bool  // read since a hand last passed it
	prev, next *page // neighbours on the ring; next is newer, except at the head
}

// ClockPro is the CLOCK-Pro policy over up to capacity resident pages.
type ClockPro struct {
	capacity   int
	coldTarget int // the resident pages that should be cold; the rest may be hot
	count      [numPageStates]int
	pages      map[uint64]*page
	head       *page // the newest page; head.next is the oldest

	// Each hand rests on the oldest page it works on, nil if there is none.
	handHot, handCold, handTest *page
}

var _ Cache = (*ClockPro)(nil)

func New(capacity int) (*ClockPro, error) {
	if capacity < 1 {
		return nil, fmt.Errorf("clockpro: capacity %d, want at least 1", capacity)
	}
	return &ClockPro{capacity: capacity, coldTarget: 1, pages: map[uint64]*page{}}, nil
}

func (c *ClockPro) Len() int     { return c.count[hotPage] + c.count[coldInTest] + c.count[coldPage] }
func (c *ClockPro) Tracked() int { return len(c.pages) }

func (c *ClockPro) residentCold() int { return c.count[coldInTest] + c.count[coldPage] }
func (c *ClockPro) inTestPeriod() int { return c.count[coldInTest] + c.count[testPage] }

// coldTarget stays in [1, capacity-1]: there is always a cold page to
// evict and, from a capacity of 2, room for a hot one.
func (c *ClockPro) growColdTarget()   { c.coldTarget = min(c.coldTarget+1, max(1, c.capacity-1)) }
func (c *ClockPro) shrinkColdTarget() { c.coldTarget = max(c.coldTarget-1, 1) }

func (c *ClockPro) Get(key uint64) ([]byte, bool) {
	p, ok := c.pages[key]
	if !ok || !p.state.resident() {
		return nil, false
	}
	p.referenced = true
	return p.value, true
}

func (c *ClockPro) Put(key uint64, value []byte) {
	if p, ok := c.pages[key]; ok && p.state.resident() {
		p.value, p.referenced = value, true
		return
	}
	for c.Len() >= c.capacity {
		c.runColdHand()
	}
	c.admit(key, value)
	c.settleHands()
}

// admit brings key in once there is room for it.
func (c *ClockPro) admit(key uint64, value []byte) {
	// Look key up again: making room may have ended its test period.
	if p, ok := c.pages[key]; ok {
		c.growColdTarget() // more cold room would have made this miss a hit
		if c.promote(p) {
			p.value = value
			c.setState(p, hotPage)
			c.moveToHead(p)
			return
		}
		if c.pages[key] == p {
			c.remove(p)
		}
	}
	c.insert(&page{key: key, value: value, state: coldInTest})
}

// runColdHand deals with the oldest resident cold page.
func (c *ClockPro) runColdHand() {
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
		p.value = nil
		c.setState(p, testPage)
		c.dropExcessTests()
	default:
		c.remove(p)
	}
	c.settleHands()
}

// promote makes room among the hot pages for p and reports whether p may
// become hot.
func (c *ClockPro) promote(p *page) bool {
	for c.count[hotPage] >= c.capacity-c.coldTarget {
		if !c.runHotHand(p) {
			return false
		}
	}
	return true
}

// runHotHand turns the hot hand toward p until it demotes an unread hot
// page (true), or reaches p first (false).
func (c *ClockPro) runHotHand(p *page) bool {
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
// the capacity.
func (c *ClockPro) dropExcessTests() {
	for c.count[testPage] > c.capacity {
		c.settleTestHand()
		p := c.handTest
		c.handTest = p.next
		c.endTestPeriod(p)
	}
}

// endTestPeriod ends p's test period. A test page leaves the clock, and
// says the cold pages need less room.
func (c *ClockPro) endTestPeriod(p *page) {
	switch p.state {
	case coldInTest:
		c.setState(p, coldPage)
	case testPage:
		c.remove(p)
		c.shrinkColdTarget()
	}
}

func (c *ClockPro) settleHands() {
	c.settleHotHand()
	c.settleColdHand()
	c.settleTestHand()
}

// settleHotHand moves the hot hand on to the oldest hot page, ending the
// test periods of the pages it passes: they are older than every hot page.
func (c *ClockPro) settleHotHand() {
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

func (c *ClockPro) settleColdHand() {
	c.handCold = c.settle(c.handCold, c.residentCold(), pageState.residentCold)
}

func (c *ClockPro) settleTestHand() {
	c.handTest = c.settle(c.handTest, c.inTestPeriod(), pageState.inTestPeriod)
}

// settle moves hand on to the first page of its kind (n of them).
func (c *ClockPro) settle(hand *page, n int, ofKind func(pageState) bool) *page {
	if n == 0 {
		return nil
	}
	if hand == nil {
		hand = c.head.next
	}
	for !ofKind(hand.state) {
		hand = hand.next
	}
	return hand
}

func (c *ClockPro) setState(p *page, s pageState) {
	c.count[p.state]--
	p.state = s
	c.count[s]++
}

func (c *ClockPro) insert(p *page) {
	c.pages[p.key] = p
	c.count[p.state]++
	c.link(p)
}

func (c *ClockPro) remove(p *page) {
	c.unlink(p)
	c.count[p.state]--
	delete(c.pages, p.key)
}

func (c *ClockPro) moveToHead(p *page) {
	if p != c.head {
		c.unlink(p)
		c.link(p)
	}
}

// link puts p on the ring as the head, the newest page.
func (c *ClockPro) link(p *page) {
	if c.head == nil {
		p.prev, p.next = p, p
	} else {
		p.prev, p.next = c.head, c.head.next
		p.prev.next = p
		p.next.prev = p
	}
	c.head = p
}

// unlink takes p off the ring. A hand on p moves on to the page it would
// have looked at next.
func (c *ClockPro) unlink(p *page) {
	next := p.next
	if next == p {
		next = nil // p was the only page
	}
	for _, hand := range []**page{&c.handHot, &c.handCold, &c.handTest} {
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
