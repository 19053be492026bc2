package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// entrySize is the payload of every append: small enough that the fsync, not
// the copy, is what an append costs.
const entrySize = 128

// impl is one WAL under test: a name for the table and a way to open it in a
// fresh, empty directory.
type impl struct {
	name string
	open func(dir string) (appender, error)
}

// appender is all the workload needs from a WAL. Append must return only once
// data is durable (fsynced); that promise is what makes the WALs comparable.
type appender interface {
	Append(data []byte) error
	Close() error
}

// syscallCounter is implemented by the appenders that can count their own
// write and sync syscalls: the kit's stages (Stats) and pebble (a wrapper
// around its file). tidwall/wal opens its files itself, so it cannot.
type syscallCounter interface {
	syscalls() (writes, syncs uint64)
}

// cell is the result of one implementation at one number of writers in one
// round.
type cell struct {
	impl    string
	writers int
	round   int

	entries        int64
	elapsed        time.Duration
	p50, p99, p999 time.Duration
	mean           time.Duration

	counted       bool // writes and syncs are known
	writes, syncs uint64
}

func (c cell) perSecond() float64 { return float64(c.entries) / c.elapsed.Seconds() }

// per1000 turns a syscall count into "per 1,000 entries", the unit the kit
// uses everywhere (the seed workshop's 1,000 vs 10 fsyncs).
func (c cell) per1000(n uint64) float64 { return 1000 * float64(n) / float64(c.entries) }

// Latencies are recorded in nanoseconds with 3 significant digits, up to a
// minute; anything slower is clamped rather than dropped.
const maxLatency = int64(time.Minute)

func newHistogram() *hdrhistogram.Histogram { return hdrhistogram.New(1, maxLatency, 3) }

// runCell runs the durable-writers workload on a freshly opened WAL: writers
// goroutines, each appending one entry and waiting for it to be durable
// before the next, for d (or until ctx is cancelled). The WAL lives in a new
// directory under parent, removed afterwards.
func runCell(ctx context.Context, im impl, writers int, d time.Duration, parent string) (c cell, err error) {
	dir, err := os.MkdirTemp(parent, "walpeers-"+im.name+"-")
	if err != nil {
		return cell{}, err
	}
	defer func() { err = errors.Join(err, os.RemoveAll(dir)) }()

	a, err := im.open(dir)
	if err != nil {
		return cell{}, fmt.Errorf("open: %w", err)
	}
	// Count from here: Open syncs the new file and directory, which is not
	// part of the workload.
	counter, counted := a.(syscallCounter)
	var writes0, syncs0 uint64
	if counted {
		writes0, syncs0 = counter.syscalls()
	}

	var stop atomic.Bool
	hists := make([]*hdrhistogram.Histogram, writers)
	counts := make([]int64, writers)
	errs := make([]error, writers)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range writers {
		hists[i] = newHistogram() // one per goroutine: no shared lock on the hot path
		wg.Add(1)
		go func() {
			defer wg.Done()
			counts[i], errs[i] = writer(a, &stop, hists[i])
		}()
	}
	timer := time.AfterFunc(d, func() { stop.Store(true) })
	cancelled := context.AfterFunc(ctx, func() { stop.Store(true) })
	wg.Wait()
	// The clock stops when the last in-flight append returns, so every
	// counted entry falls inside the measured time.
	elapsed := time.Since(start)
	timer.Stop()
	cancelled()

	c = cell{impl: im.name, writers: writers, elapsed: elapsed, counted: counted}
	if counted {
		writes1, syncs1 := counter.syscalls()
		c.writes, c.syncs = writes1-writes0, syncs1-syncs0
	}
	if err := errors.Join(errs...); err != nil {
		return cell{}, errors.Join(fmt.Errorf("append: %w", err), a.Close())
	}
	if err := a.Close(); err != nil {
		return cell{}, fmt.Errorf("close: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return cell{}, err
	}

	merged := newHistogram()
	for i, h := range hists {
		merged.Merge(h)
		c.entries += counts[i]
	}
	c.p50 = time.Duration(merged.ValueAtPercentile(50))
	c.p99 = time.Duration(merged.ValueAtPercentile(99))
	c.p999 = time.Duration(merged.ValueAtPercentile(99.9))
	c.mean = time.Duration(merged.Mean())
	return c, nil
}

// writer is one client: append, wait until durable, repeat.
func writer(a appender, stop *atomic.Bool, h *hdrhistogram.Histogram) (n int64, err error) {
	payload := make([]byte, entrySize)
	for i := range payload {
		payload[i] = byte(i)
	}
	for !stop.Load() {
		t0 := time.Now()
		if err := a.Append(payload); err != nil {
			return n, err
		}
		_ = h.RecordValue(min(time.Since(t0).Nanoseconds(), maxLatency))
		n++
	}
	return n, nil
}
