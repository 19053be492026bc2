package report

import (
	"fmt"
	"slices"

	"walworkshop/compare/harness"
	"walworkshop/compare/stages"
)

// headlineWriters is the load of the second and third headlines: the
// writers workload's default middle, where group commit has had its say
// and the disk is not yet the only limit.
const headlineWriters = 64

// Headlines are the ratios an instructor reads aloud: stage 2 over stage 1
// on the original Java workshop's batches, the best stage over stage 1 at
// 64 writers, that stage over pebble, and that stage over its own
// Little's-law ceiling. A ratio the run has no cells for says what it
// needs instead. Each is one line.
func Headlines(res Results) []string {
	return []string{batchesHeadline(res.Cells), writersHeadline(res.Cells), pebbleHeadline(res.Cells), ceilingHeadline(res)}
}

func batchesHeadline(cells []harness.Cell) string {
	const what = "batches of 100, one writer"
	naive, ok1 := cellOf(cells, "batches", stages.Naive, 1)
	buffered, ok2 := cellOf(cells, "batches", stages.Buffered, 1)
	if !ok1 || !ok2 {
		return fmt.Sprintf("%s: not measured (needs -workloads batches and stages 1 and 2)", what)
	}
	return fmt.Sprintf("%s: %s", what, versus(buffered, naive))
}

func writersHeadline(cells []harness.Cell) string {
	n, best, ok := bestStage(cells)
	what := fmt.Sprintf("%s, durable", writersLabel(n))
	naive, ok1 := cellOf(cells, "writers", stages.Naive, n)
	if !ok || !ok1 || best.Stage == stages.Naive {
		return fmt.Sprintf("best stage vs stage 1 at %s writers: not measured (needs -workloads writers, stage 1 and another stage)", Thousands(headlineWriters))
	}
	return fmt.Sprintf("%s: %s", what, versus(best, naive))
}

func pebbleHeadline(cells []harness.Cell) string {
	n, best, ok := bestStage(cells)
	pebble, ok1 := cellOf(cells, "writers", stages.Pebble, n)
	if !ok || !ok1 {
		return fmt.Sprintf("best stage vs pebble at %s writers: not measured (pebble runs with -peers, in the writers workload)", Thousands(headlineWriters))
	}
	return fmt.Sprintf("%s, durable: %s", writersLabel(n), versus(best, pebble))
}

// ceilingHeadline: "best stage at 64 writers: stage4_prealloc at 41.2% of
// its ceiling (...)", the ceiling being its own (ceilingKind).
func ceilingHeadline(res Results) string {
	n, best, ok := bestStage(res.Cells)
	kind, known := ceilingKind(best.Stage)
	ceiling := res.Probe.LittleCeiling(kind, n)
	if !ok || !known || ceiling <= 0 {
		return fmt.Sprintf("best stage at %s writers vs its ceiling: not measured (needs -workloads writers and the probe's lone-sync latencies)", Thousands(headlineWriters))
	}
	return fmt.Sprintf("best stage at %s: %s at %s of its ceiling (%s of %d / %v = %s entries/s, Little's law over the p50 of %s)",
		writersLabel(n), best.Stage, percent(best.EntriesPS/ceiling), Thousands(int(best.EntriesPS+0.5)),
		n, roundUs(res.Probe.Latency(kind).P50), Thousands(int(ceiling+0.5)), loneWrite(res.Probe, kind))
}

// bestStage is the kit's fastest stage in the writers workload at 64
// writers, or at the most writers measured if 64 was not.
func bestStage(cells []harness.Cell) (writers int, best harness.Cell, ok bool) {
	var counts []int
	for _, c := range workloadCells(cells, "writers") {
		counts = append(counts, c.Writers)
	}
	if len(counts) == 0 {
		return headlineWriters, best, false
	}
	writers = slices.Max(counts)
	if slices.Contains(counts, headlineWriters) {
		writers = headlineWriters
	}
	for _, c := range workloadCells(cells, "writers") {
		if c.Writers == writers && isStage(c.Stage) && c.EntriesPS > best.EntriesPS {
			best, ok = c, true
		}
	}
	return writers, best, ok
}

// isStage tells the kit's stages from the peers.
func isStage(name string) bool {
	return slices.ContainsFunc(stages.All(), func(s harness.Stage) bool { return s.Name == name })
}

func cellOf(cells []harness.Cell, workload, stage string, writers int) (harness.Cell, bool) {
	for _, c := range cells {
		if c.Workload == workload && c.Stage == stage && c.Writers == writers && c.EntriesPS > 0 {
			return c, true
		}
	}
	return harness.Cell{}, false
}

// versus: "stage2_buffered is 68.4x stage1_naive (412,076 vs 6,021 entries/s)".
func versus(a, b harness.Cell) string {
	return fmt.Sprintf("%s is %.1fx %s (%s vs %s entries/s)", a.Stage, a.EntriesPS/b.EntriesPS, b.Stage,
		Thousands(int(a.EntriesPS+0.5)), Thousands(int(b.EntriesPS+0.5)))
}
