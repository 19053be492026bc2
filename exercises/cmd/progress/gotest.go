package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// run is the outcome of one go test of one exercise.
type run struct {
	tests    []test // top-level tests, in step order
	buildErr string // set if the package did not compile
}

// test is one top-level test and what it printed.
type test struct {
	name   string
	result string // pass, fail or skip
	output []string
}

func (r run) failed() []string  { return r.names("fail") }
func (r run) passed() []string  { return r.names("pass") }
func (r run) skipped() []string { return r.names("skip") }

func (r run) names(result string) []string {
	var out []string
	for _, t := range r.tests {
		if t.result == result {
			out = append(out, t.name)
		}
	}
	return out
}

// event is a line of go test -json (cmd/test2json).
type event struct {
	Action string
	Test   string
	Output string
}

// goTest runs the tests of dir with tags and collects the top-level results.
func goTest(dir, tags string, race bool) run {
	args := []string{"test", "-json", "-count=1", "-timeout=5m"}
	if race {
		args = append(args, "-race")
	}
	if tags != "" {
		args = append(args, "-tags="+tags)
	}
	cmd := exec.Command("go", append(args, "./"+dir)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, _ := cmd.Output() // a failing test exits 1: the events say why
	return parseEvents(out, stderr.String())
}

func parseEvents(out []byte, stderr string) run {
	byName := map[string]*test{}
	var order []string
	var loose []string // output outside any test: build errors, panics
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			loose = append(loose, sc.Text())
			continue
		}
		top, _, _ := strings.Cut(e.Test, "/")
		if top == "" {
			if e.Output != "" {
				loose = append(loose, strings.TrimRight(e.Output, "\n"))
			}
			continue
		}
		t := byName[top]
		if t == nil {
			t = &test{name: top}
			byName[top] = t
			order = append(order, top)
		}
		switch {
		case e.Action == "output":
			t.output = append(t.output, strings.TrimRight(e.Output, "\n"))
		case e.Test == top && (e.Action == "pass" || e.Action == "fail" || e.Action == "skip"):
			t.result = e.Action
		}
	}
	var r run
	for _, name := range order {
		t := byName[name]
		if t.result == "" {
			t.result = "fail" // the binary died (a panic, a timeout) while it ran
		}
		r.tests = append(r.tests, *t)
	}
	slices.SortStableFunc(r.tests, func(a, b test) int { return stepNumber(a.name) - stepNumber(b.name) })
	if len(r.tests) == 0 {
		r.buildErr = firstError(append(loose, strings.Split(stderr, "\n")...))
	}
	return r
}

var stepName = regexp.MustCompile(`^TestStep([0-9]+)_`)

// stepNumber is N for TestStepN_..., and a large number for other tests.
func stepNumber(name string) int {
	m := stepName.FindStringSubmatch(name)
	if m == nil {
		return 1 << 20
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

var compileError = regexp.MustCompile(`\.go:[0-9]+:[0-9]+: `)

// firstError picks the line that best says why a package did not build.
func firstError(lines []string) string {
	for _, l := range lines {
		if compileError.MatchString(l) {
			return strings.TrimSpace(l)
		}
	}
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "FAIL") && !strings.HasPrefix(l, "#") {
			return l
		}
	}
	return "no tests ran"
}

// message extracts why a test failed from its output: testify's "Error:"
// and "Messages:" fields, or else the first file:line line of t.Error.
func (t test) message() string {
	// testify prints "<indent>\tLabel:<spaces>\tvalue", and continues a
	// value on lines whose label is blank. Messages (what the test says it
	// checks) reads better than Error (the comparison), so it comes first.
	fields := map[string][]string{}
	field := ""
	for _, line := range t.output {
		_, rest, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		label, value, ok := strings.Cut(rest, "\t")
		if !ok {
			continue
		}
		label, value = strings.TrimSpace(label), strings.TrimSpace(value)
		switch {
		case label == "Error:" || label == "Messages:":
			if len(fields[label]) > 0 {
				field = "" // a second failure in the same test: keep the first
				continue
			}
			field = label
			fields[label] = append(fields[label], value)
		case label != "":
			field = ""
		case field != "" && value != "":
			fields[field] = append(fields[field], value)
		}
	}
	if parts := append(fields["Messages:"], fields["Error:"]...); len(parts) > 0 {
		return strings.Join(parts, " ")
	}
	for _, line := range t.output {
		trimmed := strings.TrimSpace(line)
		if _, msg, ok := strings.Cut(trimmed, ".go:"); ok && !strings.HasPrefix(trimmed, "---") {
			if _, msg, ok = strings.Cut(msg, ": "); ok && strings.TrimSpace(msg) != "" {
				return strings.TrimSpace(msg)
			}
		}
	}
	for _, line := range t.output {
		if s := strings.TrimSpace(line); s != "" && !strings.HasPrefix(s, "===") && !strings.HasPrefix(s, "---") {
			return s
		}
	}
	return "failed"
}
