// Command progress runs the exercises' tests and says how far each one is:
// a table of exercises, steps passed, the first failing step with its
// message, and the hint to read next. `make exercises` runs it on your
// code; `make exercises-ci` runs it with -ci, which checks the exercises
// themselves: every test fails on the untouched skeleton, every broken
// variant is caught by at least one test, and the solutions pass under the
// race detector.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
)

func main() {
	tags := flag.String("tags", "", "build tags to test with, as for go test (solution: the reference solutions)")
	only := flag.String("ex", "", "run only the exercise whose folder starts with this (04 or 04_groupcommit)")
	ci := flag.Bool("ci", false, "check the exercises: skeletons fail every test, broken variants are caught, solutions pass")
	jobs := flag.Int("j", 2, "go test runs at a time")
	root := flag.String("dir", "exercises", "the folder that holds the exercises")
	flag.Parse()

	exercises, err := findExercises(*root, *only)
	if err != nil {
		fmt.Fprintln(os.Stderr, "progress:", err)
		os.Exit(2)
	}
	if *ci {
		os.Exit(runCI(exercises, *jobs))
	}
	results := runAll(*jobs, len(exercises), func(i int) run {
		return goTest(exercises[i].dir, *tags, false)
	})
	printProgress(os.Stdout, exercises, results)
}

// exercise is one folder of the workshop.
type exercise struct {
	name string   // 04_groupcommit
	dir  string   // exercises/04_groupcommit
	tags []string // its broken variants' build tags
}

var exerciseDir = regexp.MustCompile(`^[0-9][0-9]_`)

func findExercises(root, only string) ([]exercise, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	var out []exercise
	for _, e := range entries {
		if !e.IsDir() || !exerciseDir.MatchString(e.Name()) || !strings.HasPrefix(e.Name(), only) {
			continue
		}
		dir := filepath.Join(root, e.Name())
		tags, err := brokenTags(dir)
		if err != nil {
			return nil, err
		}
		out = append(out, exercise{name: e.Name(), dir: dir, tags: tags})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no exercise in %s matches %q", root, only)
	}
	return out, nil
}

var brokenTag = regexp.MustCompile(`\bbroken_[A-Za-z0-9_]+`)

// brokenTags lists the broken_* build tags the exercise's files mention.
func brokenTags(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var tags []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(line, "//go:build ") {
				tags = append(tags, brokenTag.FindAllString(line, -1)...)
			}
		}
	}
	slices.Sort(tags)
	return slices.Compact(tags), nil
}

// runAll runs n jobs, at most jobs at a time, and returns their results in order.
func runAll(jobs, n int, job func(i int) run) []run {
	results := make([]run, n)
	sem := make(chan struct{}, max(jobs, 1))
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = job(i)
		}()
	}
	wg.Wait()
	return results
}
