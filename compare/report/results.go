// Package report turns what a run of the harness measured into its
// outputs: report.md (a table per workload, the device probe, the machine),
// results.json, results.csv, and the charts. It measures nothing: given the
// same Results it writes the same files, so it is tested on cells made up
// for the purpose.
package report

import (
	"time"

	"walworkshop/compare/harness"
	"walworkshop/compare/probe"
	"walworkshop/compare/traces"
)

// Results is everything one run measured; results.json is this, as is.
type Results struct {
	Machine Machine        `json:"machine"`
	Run     Run            `json:"run"`
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

// Run is how the cells were measured, which every section states: a
// number means little without the time it was measured over.
type Run struct {
	Profile      string  `json:"profile"`        // "default", "full" (-full) or "custom" (-duration)
	CellSeconds  float64 `json:"cell_seconds"`   // -duration: how long each timed cell runs
	OpenLoopRate float64 `json:"open_loop_rate"` // -rate: appends/s the openloop workload offers
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
	// is measured on, in order.
	Presets     []Preset
	SweptStages []string
}

// A Section is one workload's table in report.md.
type Section struct {
	Workload, Title string
	// What says what the workload measures and how, in a sentence or two.
	What string
	// Columns are the table's columns after the stage's, in order: only
	// those that mean something for the workload.
	Columns []Column
}

// A Column is one or more columns of a section's table.
type Column int

const (
	ColPreset       Column = iota // the sweep's preset (the part of the stage name after "/")
	ColWriters                    // writer goroutines
	ColEntrySize                  // bytes per entry
	ColEntriesPS                  // entries/s
	ColMBps                       // MB/s of entries
	ColLatency                    // p50, p99, p99.9 per append, µs
	ColBatchLatency               // p50, p99, p99.9 per AppendBatch, µs
	ColCounts                     // syncs and writes per 1,000 entries
	ColVsStage1                   // entries/s over stage 1's in the same setting
	ColElapsed                    // how long the cell's work took
	ColCPU                        // CPU µs per entry, and CPU use over all CPUs
	ColCeiling                    // entries/s over the log's own Little's-law ceiling (FillCeilings)
	ColDeviceRead                 // the device's read rate at the time of the cell, and MB/s over it
)

// A Preset is one of the sweep's tuning presets: the options it gives
// stages 3-5 (zero: the stage's default).
type Preset struct {
	Name            string
	MaxGroupBytes   int
	MaxGroupEntries int
	MaxWait         time.Duration
	SegmentSize     int64
}

// A ReadVariant is one row of the reads tables.
type ReadVariant struct {
	Name   string // the row: stage, or stage/policy
	Label  string // the same, for a chart's legend
	Cached bool   // has a cache whose hits can be counted
	// NoRatio is what the hit ratio column says where no ratio is counted.
	NoRatio string
}
