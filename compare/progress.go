package main

import (
	"fmt"
	"io"
	"os"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"walworkshop/compare/harness"
)

// newProgress returns what to call after each cell: a progress bar when
// the output is a terminal, one line per finished cell otherwise (CI logs,
// files), so nothing is lost when nobody watches.
func newProgress(w io.Writer, total int) func(harness.Cell) {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		bar := progressbar.NewOptions(total, progressbar.OptionSetWriter(w),
			progressbar.OptionShowCount(), progressbar.OptionSetWidth(30),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }))
		return func(c harness.Cell) {
			bar.Describe(fmt.Sprintf("%-8s %-20s %s", c.Workload, c.Stage, setting(c)))
			bar.Add(1)
		}
	}
	done := 0
	return func(c harness.Cell) {
		done++
		fmt.Fprintf(w, "[%d/%d] %-8s %-20s %s %12.0f entries/s  p99 %8.0f µs%s\n",
			done, total, c.Workload, c.Stage, setting(c), c.EntriesPS, c.P99us, hitRatioNote(c))
	}
}

// setting is what varies between the cells of one workload.
func setting(c harness.Cell) string {
	if c.Trace != "" {
		return fmt.Sprintf("trace=%-17s", c.Trace)
	}
	return fmt.Sprintf("writers=%-3d size=%-6d", c.Writers, c.EntrySize)
}

func hitRatioNote(c harness.Cell) string {
	if c.HitRatio == nil {
		return ""
	}
	return fmt.Sprintf("  hits %5.1f%%", 100**c.HitRatio)
}
