package main

import (
	"strings"
	"testing"
)

const sample = `goos: linux
goarch: amd64
pkg: walworkshop/stage1_naive
cpu: AMD EPYC
BenchmarkAppend-2            	    4000	    160000 ns/op	   0.80 MB/s	         1.000 fsyncs/op	         6250 entries/s	         2.000 writes/op
BenchmarkWriters/writers=64-2	   20000	    170000 ns/op	         1.000 fsyncs/op	         5900 entries/s
ok  	walworkshop/stage1_naive	12.3s
pkg: walworkshop/stage2_buffered
BenchmarkAppend-2            	    5000	    130000 ns/op	   0.98 MB/s	         1.000 fsyncs/op	         7700 entries/s	         1.000 writes/op
BenchmarkWriters/writers=64-2	   20000	    160000 ns/op	         1.000 fsyncs/op	         6000 entries/s
BenchmarkRead-2              	 1000000	      1000 ns/op
ok  	walworkshop/stage2_buffered	10.1s
`

// The table has a row per benchmark and stage with entries/s, fsyncs/op
// and the ratio to the stage above; lines without entries/s are left out.
func TestTable(t *testing.T) {
	var out strings.Builder
	if status, err := run(nil, strings.NewReader(sample), &out); status != 0 || err != nil {
		t.Fatalf("status %d, %v", status, err)
	}
	got := out.String()
	if !strings.HasPrefix(got, sample) {
		t.Error("the go test output is not passed through first")
	}
	table := strings.TrimPrefix(got, sample)
	var rows []string
	for _, line := range strings.Split(strings.TrimSpace(table), "\n") {
		rows = append(rows, strings.Join(strings.Fields(line), " "))
	}
	want := []string{
		"benchmark stage entries/s fsyncs/op vs the stage above",
		"Append stage1_naive 6,250 1.000",
		"Append stage2_buffered 7,700 1.000 1.23x",
		"Writers/writers=64 stage1_naive 5,900 1.000",
		"Writers/writers=64 stage2_buffered 6,000 1.000 1.02x",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("table:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
}

func TestTrimProcs(t *testing.T) {
	for in, want := range map[string]string{"BenchmarkAppend-2": "BenchmarkAppend", "BenchmarkWriters/writers=64-16": "BenchmarkWriters/writers=64", "BenchmarkX": "BenchmarkX", "Benchmark-a-b": "Benchmark-a-b"} {
		if got := trimProcs(in); got != want {
			t.Errorf("trimProcs(%q) = %q, want %q", in, got, want)
		}
	}
}
