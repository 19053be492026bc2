package main

import (
	"time"

	groupcommit "walworkshop/stage3_groupcommit"
	prealloc "walworkshop/stage4_prealloc"
	directcache "walworkshop/stage5_direct_cache"
)

// A preset is one row of the seed workshop's tuning table: write buffer
// (MaxGroupBytes), batch (MaxGroupEntries), max wait (MaxWait) and
// preallocation size (SegmentSize), from low latency to high throughput.
type preset struct {
	name    string
	buffer  int
	batch   int
	wait    time.Duration
	segment int64
}

var presets = []preset{
	{"low-latency", 16 << 10, 10, time.Millisecond, 4 << 20},
	{"kit-default", 0, 0, 0, 0}, // the zero Options
	{"seed-default", 64 << 10, 100, 10 * time.Millisecond, 16 << 20},
	{"high-throughput", 256 << 10, 1000, 100 * time.Millisecond, 64 << 20},
}

// sweepStages are the stages that have knobs, once per preset.
func sweepStages() []stage {
	var out []stage
	for _, p := range presets {
		out = append(out,
			adapt("stage3_groupcommit/"+p.name, func(dir string, _ struct{}) (*groupcommit.WAL, error) {
				return groupcommit.Open(dir, groupcommit.Options{MaxGroupBytes: p.buffer, MaxGroupEntries: p.batch, MaxWait: p.wait})
			}),
			adapt("stage4_prealloc/"+p.name, func(dir string, _ struct{}) (*prealloc.WAL, error) {
				return prealloc.Open(dir, prealloc.Options{MaxGroupBytes: p.buffer, MaxGroupEntries: p.batch, MaxWait: p.wait, SegmentSize: p.segment})
			}),
			adapt("stage5_direct_cache/"+p.name, func(dir string, _ struct{}) (*directcache.WAL, error) {
				return directcache.Open(dir, directcache.Options{MaxGroupBytes: p.buffer, MaxGroupEntries: p.batch, MaxWait: p.wait, SegmentSize: p.segment})
			}),
		)
	}
	return out
}

// sweepWriters is the load every preset is measured under.
const sweepWriters = 64

func sweepCell(s stage, dir string, d time.Duration) (cell, error) {
	c, err := durableWriters(s, dir, sweepWriters, 128, d)
	c.Workload = "sweep"
	return c, err
}
