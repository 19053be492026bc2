package main

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"
)

// check is one go test run the CI makes of one exercise, and what it must show.
type check struct {
	ex   exercise
	kind string // skeleton, solution, or a broken_* tag
}

// runCI proves the exercises teach what they claim. On the untouched
// skeleton every top-level test must fail (a test that passes there
// checks nothing the attendee wrote); each broken variant must fail at
// least one test; the solutions must pass every test under -race. It
// prints a table and returns the exit code.
func runCI(exercises []exercise, jobs int) int {
	var checks []check
	for _, ex := range exercises {
		checks = append(checks, check{ex, "skeleton"}, check{ex, "solution"})
		for _, tag := range ex.tags {
			checks = append(checks, check{ex, tag})
		}
	}
	results := runAll(jobs, len(checks), func(i int) run {
		c := checks[i]
		start := time.Now()
		defer func() {
			fmt.Fprintf(os.Stderr, "  %-15s %-25s %5.1fs\n", c.ex.name, c.kind, time.Since(start).Seconds())
		}()
		switch c.kind {
		case "skeleton":
			return goTest(c.ex.dir, "", false)
		case "solution":
			return goTest(c.ex.dir, "solution", true)
		default:
			return goTest(c.ex.dir, c.kind, false)
		}
	})
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "EXERCISE\tVARIANT\tRESULT\tDETAIL")
	bad := 0
	for i, c := range checks {
		ok, detail := judge(c, results[i])
		result := "ok"
		if !ok {
			result, bad = "PROBLEM", bad+1
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.ex.name, c.kind, result, detail)
	}
	tw.Flush()
	if bad > 0 {
		fmt.Printf("\n%d problem(s)\n", bad)
		return 1
	}
	fmt.Printf("\n%d exercises: every test fails on its skeleton, every broken variant is caught, the solutions pass.\n", len(exercises))
	return 0
}

func judge(c check, r run) (ok bool, detail string) {
	if r.buildErr != "" {
		return false, "does not build: " + r.buildErr
	}
	if len(r.tests) == 0 {
		return false, "no tests"
	}
	failed := r.failed()
	switch c.kind {
	case "skeleton":
		if notFailing := append(r.passed(), r.skipped()...); len(notFailing) > 0 {
			return false, "passes or skips on the skeleton: " + strings.Join(notFailing, ", ")
		}
		return true, fmt.Sprintf("all %d tests fail", len(failed))
	case "solution":
		if len(failed) > 0 || len(r.skipped()) > 0 {
			return false, fmt.Sprintf("fails: %s; skips: %s", strings.Join(failed, ", "), strings.Join(r.skipped(), ", "))
		}
		return true, fmt.Sprintf("all %d tests pass (-race)", len(r.tests))
	default:
		if len(failed) == 0 {
			return false, "not caught: every test passes"
		}
		return true, "caught by " + strings.Join(failed, ", ")
	}
}
