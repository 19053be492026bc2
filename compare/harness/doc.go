// Package harness is the measuring core that `make compare`, compare/peers
// and the stages' benchmarks share, so that a stage and a production WAL are
// measured by the same code in the same way:
//
//   - Log is what a measured log satisfies, and Counter what one that counts
//     its own write and sync syscalls adds; Adapt turns a stage package's
//     Open into a Stage whose logs are both.
//   - Warmup is the rule every cell starts with: one append, then a pause.
//   - ClosedLoop is the durable-writers workload: N goroutines, each
//     appending one entry and waiting for it before the next.
//   - Measure wraps any workload in the counters and the clock, with one
//     latency recorder per goroutine (compare/latency), merged at the end.
//   - Cell is one result row, the schema of results.json and results.csv.
//
// The package imports no stage: the stages' own tests use it.
package harness
