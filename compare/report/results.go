// Package report turns what a run of the harness measured into its
// outputs: report.md (a table per workload, the device probe, the machine),
// results.json, results.csv, and the charts. It measures nothing: given the
// same Results it writes the same files, so it is tested on cells made up
// for the purpose.
package report

import (
	"walworkshop/compare/harness"
	"walworkshop/compare/probe"
	"walworkshop/compare/traces"
)

// Results is everything one run measured; results.json is this, as is.
type Results struct {
	Machine Machine        `json:"machine"`
	Probe   probe.Result   `json:"probe"`
	Cells   []harness.Cell `json:"cells"`
	// ReadTraces: what any cache could do on each trace of the reads
	// workload, computed from the traces (compare/traces), not measured.
	ReadTraces []traces.Bounds `json:"read_traces,omitempty"`
}

// Machine is what the report says about where it ran: numbers from
// different machines are not comparable, and the report must say so.
type Machine struct {
	Date       string `json:"date"`
	CPU        string `json:"cpu"`
	CPUs       int    `json:"cpus"`
	Kernel     string `json:"kernel"`
	Filesystem string `json:"filesystem"`
	Go         string `json:"go"`
	Dir        string `json:"dir"`
}

// Layout is what the report needs to know of the workloads beyond their
// cells: the headings, the rows of the reads tables, the tuning presets.
type Layout struct {
	// Sections are the workloads with a table of their own, in order.
	Sections []Section
	// ReadVariants are the rows of the reads tables, in order.
	ReadVariants []ReadVariant
	// ReadEntryBytes is the size of an entry in the reads workload, and
	// PageBytes the size of a page of the cache it reads through.
	ReadEntryBytes, PageBytes int
	// Presets are the sweep's tuning presets; SweptStages the stages each
	// preset's line goes through, in order.
	Presets     []string
	SweptStages []string
}

// A Section is one workload's table in report.md.
type Section struct {
	Workload, Title string
}

// A ReadVariant is one row of the reads tables.
type ReadVariant struct {
	Name   string // the row: stage, or stage/policy
	Label  string // the same, for a chart's legend
	Cached bool   // has a cache whose hits can be counted
	// NoRatio is what the hit ratio column says where no ratio is counted.
	NoRatio string
}
