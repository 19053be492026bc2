// Command benchtable is `make bench`: it runs `go test` with its own
// arguments (or, with none, reads the output of one on stdin), passes the
// output through as it comes, and ends with a table a person can read: per
// benchmark, each stage's entries/s and fsyncs/op and its ratio to the
// stage before it. It exits with go test's status.
//
//	go run ./tools/benchtable -run='^$' -bench=. -benchtime=2s -p 1 ./stage1_naive ./stage2_buffered
//	go test -run='^$' -bench=. ./stage3_groupcommit | go run ./tools/benchtable
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

func main() {
	status, err := run(os.Args[1:], os.Stdin, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
	}
	os.Exit(status)
}

// run runs go test with args, or reads in if there are none, and writes
// its output and then the table to out. It returns the exit status.
func run(args []string, in io.Reader, out io.Writer) (int, error) {
	if len(args) == 0 {
		results, err := parse(io.TeeReader(in, out))
		if err != nil {
			return 1, err
		}
		writeTable(out, results)
		return 0, nil
	}
	cmd := exec.Command("go", append([]string{"test"}, args...)...)
	cmd.Stderr = os.Stderr
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return 1, err
	}
	if err := cmd.Start(); err != nil {
		return 1, err
	}
	results, parseErr := parse(io.TeeReader(pipe, out))
	err = cmd.Wait()
	writeTable(out, results)
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode(), nil
	case err != nil:
		return 1, err
	case parseErr != nil:
		return 1, parseErr
	}
	return 0, nil
}

// A result is one benchmark of one stage.
type result struct {
	benchmark, stage string
	entriesPS        float64
	fsyncsPerOp      float64
	hasFsyncs        bool
}

// parse reads go test -bench output: "pkg: walworkshop/stage1_naive" names
// the stage of the benchmark lines after it, and a line such as
//
//	BenchmarkAppend-2  5000  250000 ns/op  0.51 MB/s  1.000 fsyncs/op  4000 entries/s
//
// is one result. Lines without entries/s are left out.
func parse(r io.Reader) ([]result, error) {
	var out []result
	stage := ""
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if pkg, ok := strings.CutPrefix(line, "pkg: "); ok {
			stage = path.Base(strings.TrimSpace(pkg))
			continue
		}
		if res, ok := parseLine(line); ok {
			res.stage = stage
			out = append(out, res)
		}
	}
	return out, sc.Err()
}

func parseLine(line string) (result, bool) {
	fields := strings.Fields(line)
	if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
		return result{}, false
	}
	res := result{benchmark: trimProcs(fields[0])}
	found := false
	// fields[1] is the number of iterations; then value, unit pairs.
	for i := 2; i+1 < len(fields); i += 2 {
		v, err := strconv.ParseFloat(fields[i], 64)
		if err != nil {
			return result{}, false
		}
		switch fields[i+1] {
		case "entries/s":
			res.entriesPS, found = v, true
		case "fsyncs/op":
			res.fsyncsPerOp, res.hasFsyncs = v, true
		}
	}
	return res, found
}

// trimProcs drops the -GOMAXPROCS suffix go test adds: BenchmarkAppend-2.
func trimProcs(name string) string {
	if i := strings.LastIndexByte(name, '-'); i > 0 {
		if _, err := strconv.Atoi(name[i+1:]); err == nil {
			return name[:i]
		}
	}
	return name
}

// writeTable writes one table per benchmark, its stages in the order they
// ran, each compared with the stage above it: names to the left, numbers
// to the right.
func writeTable(w io.Writer, results []result) {
	if len(results) == 0 {
		return
	}
	var benchmarks []string
	for _, r := range results {
		if !slices.Contains(benchmarks, r.benchmark) {
			benchmarks = append(benchmarks, r.benchmark)
		}
	}
	rows := [][]string{{"benchmark", "stage", "entries/s", "fsyncs/op", "vs the stage above"}}
	for _, b := range benchmarks {
		var prev *result
		for _, r := range results {
			if r.benchmark != b {
				continue
			}
			vs := ""
			if prev != nil && prev.entriesPS > 0 {
				vs = fmt.Sprintf("%.2fx", r.entriesPS/prev.entriesPS)
			}
			fsyncs := "–"
			if r.hasFsyncs {
				fsyncs = strconv.FormatFloat(r.fsyncsPerOp, 'f', 3, 64)
			}
			rows = append(rows, []string{strings.TrimPrefix(b, "Benchmark"), r.stage, thousands(r.entriesPS), fsyncs, vs})
			prev = &r
		}
	}
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	fmt.Fprintln(w)
	for _, row := range rows {
		var line strings.Builder
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell))
			if i < 2 {
				line.WriteString(cell + pad + "  ")
			} else {
				line.WriteString(pad + cell + "  ")
			}
		}
		fmt.Fprintln(w, strings.TrimRight(line.String(), " "))
	}
}

// thousands writes x rounded, with thousands separators.
func thousands(x float64) string {
	s := strconv.FormatFloat(x, 'f', 0, 64)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
