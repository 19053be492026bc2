//go:build !solution && !broken_plain_clock

package clockpro

import "errors"

// errTODO is what New returns until you write it.
var errTODO = errors.New("07_clockpro: not written yet (see README.md)")

// ClockPro is the CLOCK-Pro policy over up to capacity resident pages.
type ClockPro struct {
	capacity int
	// Add the clock (a ring of pages, oldest to newest), the three hands,
	// the map from key to page, the counts of each kind of page, and the
	// adaptive number of cold pages.
}

var _ Cache = (*ClockPro)(nil)

// New returns an empty CLOCK-Pro cache of capacity pages (at least 1).
func New(capacity int) (*ClockPro, error) {
	return nil, errTODO
}

// Get returns key's value if it is resident, and marks it as read: the
// hands act on the mark later, so a hit reorders nothing.
func (c *ClockPro) Get(key uint64) ([]byte, bool) {
	return nil, false
}

// Put brings key in: hot if it is a test page (evicted in its test
// period, and read again: its reuse distance is short) that wins a place
// among the hot pages, else cold, in a new test period. The cold hand
// makes room first.
func (c *ClockPro) Put(key uint64, value []byte) {}

// Len is the number of resident (hot and cold) pages.
func (c *ClockPro) Len() int { return 0 }

// Tracked is the number of pages on the clock, test pages (keys only)
// included: CLOCK-Pro keeps at most capacity of those, so at most twice
// the capacity in all.
func (c *ClockPro) Tracked() int { return 0 }
