package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"walworkshop/compare/harness"
	"walworkshop/compare/probe"
	"walworkshop/compare/stages"
)

// ceilingKind is the lone durable write that bounds system's writers: the
// kind of write + sync the log itself makes an entry durable with, so that
// N writers, one such sync serving all of them, get at most N over its p50
// (Little's law). system is a stage or a peer, or a variant of a stage
// ("stage4_prealloc/low-latency"); ok is false for one not listed. This is
// the one place that says which row of the probe bounds which log.
func ceilingKind(system string) (kind probe.SyncKind, ok bool) {
	stage, _, _ := strings.Cut(system, "/")
	switch stage {
	case stages.Naive, stages.Buffered, stages.GroupCommit:
		// Buffered writes at the end of a growing file: every sync also
		// commits the new size and blocks to the filesystem's journal.
		return probe.SyncAppend, true
	case stages.Pebble:
		// pebble's WAL fallocates ahead, but an fallocated block is an
		// unwritten extent: the first write to it still changes metadata
		// that fdatasync must commit. Measured as slow as appending
		// (docs/FINDINGS.md).
		return probe.SyncAppend, true
	case stages.Tidwall:
		// tidwall/wal appends to its segment files and fsyncs each write.
		return probe.SyncAppend, true
	case stages.Prealloc:
		// Buffered writes into zero-filled, synced segments: fdatasync
		// has only the data to write back and the device's cache to flush.
		return probe.SyncPrealloc, true
	case stages.DirectCache:
		// O_DIRECT writes into zero-filled segments: the write itself
		// waits for the device, then fdatasync flushes the device's cache.
		return probe.SyncDirect, true
	}
	return 0, false
}

// ceilingOf is c's Little's-law ceiling: its writers over the p50 of its
// own kind of lone durable write; 0 where there is none.
func ceilingOf(p probe.Result, c harness.Cell) float64 {
	kind, ok := ceilingKind(c.Stage)
	if !ok {
		return 0
	}
	return p.LittleCeiling(kind, c.Writers)
}

// FillCeilings sets each writers cell's share of its own Little's-law
// ceiling (ceilingKind) at its number of writers, where the probe measured
// that ceiling.
func FillCeilings(cells []harness.Cell, p probe.Result) {
	for i, c := range cells {
		if ceiling := ceilingOf(p, c); c.Workload == "writers" && ceiling > 0 {
			cells[i].CeilingFraction = c.EntriesPS / ceiling
		}
	}
}

// ceilingKinds are the distinct kinds of ceiling of systems, in the order
// of the systems, each with the systems it bounds; only kinds the probe
// measured.
func ceilingKinds(p probe.Result, systems []string) (kinds []probe.SyncKind, bounded [][]string) {
	for _, s := range systems {
		kind, ok := ceilingKind(s)
		if !ok || p.Latency(kind).P50 <= 0 {
			continue
		}
		i := slices.Index(kinds, kind)
		if i < 0 {
			kinds, bounded = append(kinds, kind), append(bounded, nil)
			i = len(kinds) - 1
		}
		bounded[i] = append(bounded[i], s)
	}
	return kinds, bounded
}

// loneWrite says what a kind of lone durable write is, as the labels and
// notes say it: "a lone append + fdatasync".
func loneWrite(p probe.Result, kind probe.SyncKind) string {
	call, direct := syncCallOf(p), p.DirectIO
	if direct == "" {
		direct = "O_DIRECT"
	}
	switch kind {
	case probe.SyncAppend:
		return fmt.Sprintf("a lone append + %s", call)
	case probe.SyncPrealloc:
		return fmt.Sprintf("a lone write + %s into preallocated space", call)
	case probe.SyncDirect:
		return fmt.Sprintf("a lone %s write + %s into preallocated space", direct, call)
	case probe.SyncDsync:
		return fmt.Sprintf("a lone %s pwritev2 with RWF_DSYNC into preallocated space", direct)
	}
	return "a lone durable write"
}

// ceilingLabel names the Little's-law line of kind for what it is and
// whom it bounds: "N / 229µs, p50 of a lone append + fdatasync (stages
// 1-3, peers)".
func ceilingLabel(p probe.Result, kind probe.SyncKind, systems []string) string {
	return fmt.Sprintf("N / %v, p50 of %s (%s)", roundUs(p.Latency(kind).P50), loneWrite(p, kind), whoLabel(systems))
}

// whoLabel names systems briefly: "stages 1-3, peers", "stage 5",
// "stages 1, 3, pebble".
func whoLabel(systems []string) string {
	var nums []int
	var peers []string
	for _, s := range systems {
		if n, ok := stageNumber(s); ok {
			nums = append(nums, n)
		} else {
			peers = append(peers, s)
		}
	}
	slices.Sort(nums)
	nums = slices.Compact(nums)
	var parts []string
	for i := 0; i < len(nums); {
		j := i
		for j+1 < len(nums) && nums[j+1] == nums[j]+1 {
			j++
		}
		if j-i >= 2 {
			parts = append(parts, fmt.Sprintf("%d-%d", nums[i], nums[j]))
		} else {
			for k := i; k <= j; k++ {
				parts = append(parts, strconv.Itoa(nums[k]))
			}
		}
		i = j + 1
	}
	var out []string
	switch {
	case len(nums) == 1:
		out = append(out, "stage "+parts[0])
	case len(nums) > 1:
		out = append(out, "stages "+strings.Join(parts, ", "))
	}
	if slices.Contains(peers, stages.Pebble) && slices.Contains(peers, stages.Tidwall) && len(peers) == 2 {
		peers = []string{"peers"}
	}
	return strings.Join(append(out, peers...), ", ")
}

// stageNumber is 3 for "stage3_groupcommit" and its variants.
func stageNumber(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, "stage")
	if !ok {
		return 0, false
	}
	digits, _, _ := strings.Cut(rest, "_")
	n, err := strconv.Atoi(digits)
	return n, err == nil
}

// allSystems are every stage and peer, for what the report says of the
// ceilings before any section: who each bounds, whatever ran.
func allSystems() []string {
	var names []string
	for _, s := range stages.All() {
		names = append(names, s.Name)
	}
	return append(names, stages.Pebble, stages.Tidwall)
}

// aboveCeiling lists the cells of the writers workload faster than their
// own Little's-law ceiling at their writer count.
func aboveCeiling(res Results) []harness.Cell {
	var out []harness.Cell
	for _, c := range workloadCells(res.Cells, "writers") {
		if ceiling := ceilingOf(res.Probe, c); ceiling > 0 && c.EntriesPS > ceiling {
			out = append(out, c)
		}
	}
	return out
}
