package main

import (
	"context"
	"fmt"
	"time"

	"walworkshop/compare/harness"
)

// entrySize is the payload of every append: small enough that the fsync, not
// the copy, is what an append costs.
const entrySize = 128

// impl is one WAL under test: a name for the table and a way to open it in a
// fresh, empty directory. Its Append must return only once data is durable
// (fsynced); where it can count its own writes and syncs, it is also a
// harness.Counter.
type impl struct {
	name string
	open func(dir string) (harness.Log, error)
}

// cell is the result of one implementation at one number of writers in one
// round.
type cell struct {
	impl    string
	writers int
	round   int
	harness.Result
}

// runCell runs the durable-writers workload (harness.ClosedLoop) on a WAL
// opened in a new directory under parent, after the harness's warm-up, as
// `make compare` runs it on the stages: writers goroutines, each appending
// one entry and waiting for it to be durable before the next, for d or
// until ctx is cancelled.
func runCell(ctx context.Context, im impl, writers int, d time.Duration, settle time.Duration, parent string) (cell, error) {
	cl := harness.ClosedLoop{Writers: writers, Size: entrySize, Duration: d}
	r, err := harness.Fresh(parent, im.name, im.open, entrySize, settle, func(log harness.Log) (harness.Result, error) {
		return cl.Run(ctx, log)
	})
	if err != nil {
		return cell{}, fmt.Errorf("append: %w", err)
	}
	return cell{impl: im.name, writers: writers, Result: r}, nil
}
