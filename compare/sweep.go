package main

import (
	"time"

	"walworkshop/compare/harness"
	"walworkshop/compare/stages"
	groupcommit "walworkshop/stage3_groupcommit"
	prealloc "walworkshop/stage4_prealloc"
	directcache "walworkshop/stage5_direct_cache"
)

// A preset is one row of the original Java workshop's tuning table: write
// buffer (MaxGroupBytes), batch (MaxGroupEntries), max wait (MaxWait) and
// preallocation size (SegmentSize), from low latency to high throughput.
type preset struct {
	name    string
	buffer  int
	batch   int
	wait    time.Duration
	segment int64
}

// java-default is the original Java workshop's default options.
var presets = []preset{
	{"low-latency", 16 << 10, 10, time.Millisecond, 4 << 20},
	{"kit-default", 0, 0, 0, 0}, // the zero Options
	{"java-default", 64 << 10, 100, 10 * time.Millisecond, 16 << 20},
	{"high-throughput", 256 << 10, 1000, 100 * time.Millisecond, 64 << 20},
}

// sweptStages are the stages that have the knobs, in the order the sweep
// chart draws each preset's line through them.
var sweptStages = []string{stages.GroupCommit, stages.Prealloc, stages.DirectCache}

// sweepStages are the stages that have knobs, once per preset.
func sweepStages() []harness.Stage {
	var out []harness.Stage
	for _, p := range presets {
		out = append(out,
			harness.Adapt(stages.Variant(stages.GroupCommit, p.name), func(dir string, _ struct{}) (*groupcommit.WAL, error) {
				return groupcommit.Open(dir, groupcommit.Options{MaxGroupBytes: p.buffer, MaxGroupEntries: p.batch, MaxWait: p.wait})
			}),
			harness.Adapt(stages.Variant(stages.Prealloc, p.name), func(dir string, _ struct{}) (*prealloc.WAL, error) {
				return prealloc.Open(dir, prealloc.Options{MaxGroupBytes: p.buffer, MaxGroupEntries: p.batch, MaxWait: p.wait, SegmentSize: p.segment})
			}),
			harness.Adapt(stages.Variant(stages.DirectCache, p.name), func(dir string, _ struct{}) (*directcache.WAL, error) {
				return directcache.Open(dir, directcache.Options{MaxGroupBytes: p.buffer, MaxGroupEntries: p.batch, MaxWait: p.wait, SegmentSize: p.segment})
			}),
		)
	}
	return out
}

// sweepWriters is the load every preset is measured under.
const sweepWriters = 64

// planSweep adds one cell per stage and preset, whatever -stages says.
func planSweep(p *planner) {
	for _, s := range sweepStages() {
		p.jobs = append(p.jobs, func() (harness.Cell, error) { return p.closedLoop("sweep", s, sweepWriters, 128) })
	}
}
