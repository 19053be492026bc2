package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/tabwriter"
)

// printProgress prints one row per exercise: how many steps pass, the
// first that does not and why, and where its hint is.
func printProgress(out io.Writer, exercises []exercise, results []run) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "EXERCISE\tSTEPS\tFIRST FAILING STEP\tWHY\tHINT TO READ")
	for i, ex := range exercises {
		r := results[i]
		if r.buildErr != "" {
			fmt.Fprintf(tw, "%s\t?\t(does not build)\t%s\t%s\n", ex.name, shorten(r.buildErr, 50), "-")
			continue
		}
		passed := len(r.passed())
		first := firstFailing(r)
		if first == nil {
			fmt.Fprintf(tw, "%s\t%d/%d\t-\tall steps pass\t-\n", ex.name, passed, len(r.tests))
			continue
		}
		fmt.Fprintf(tw, "%s\t%d/%d\t%s\t%s\t%s\n", ex.name, passed, len(r.tests),
			first.name, shorten(strings.TrimPrefix(first.message(), "Received unexpected error: "), 60), hintFor(ex, first.name))
	}
	tw.Flush()
	fmt.Fprintln(out, "\nHints are in each exercise's HINTS.md; make check EX=NN runs one exercise verbosely.")
}

func firstFailing(r run) *test {
	for i := range r.tests {
		if r.tests[i].result != "pass" {
			return &r.tests[i]
		}
	}
	return nil
}

var hintHeading = regexp.MustCompile(`(?m)^## (Step ([0-9]+)[^\n]*)$`)

// hintFor names the HINTS.md section of the failing step, if it has one.
func hintFor(ex exercise, testName string) string {
	b, err := os.ReadFile(filepath.Join(ex.dir, "HINTS.md"))
	if err != nil {
		return "-"
	}
	want := fmt.Sprint(stepNumber(testName))
	for _, m := range hintHeading.FindAllStringSubmatch(string(b), -1) {
		if m[2] == want {
			return shorten(m[1], 30)
		}
	}
	return "HINTS.md"
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
