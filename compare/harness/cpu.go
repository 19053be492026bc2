package harness

import (
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// processCPU is the user + system CPU time this process has used so far,
// all its threads together (getrusage RUSAGE_SELF): the log's own
// goroutines, the workload's and the Go runtime's (garbage collection).
// It is the same call on Linux, macOS and FreeBSD.
func processCPU() (time.Duration, error) {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		return 0, err
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}

// CPUPerEntry is the CPU time spent per entry, in µs; 0 when nothing was
// measured.
func (r Result) CPUPerEntry() float64 {
	if r.Entries == 0 {
		return 0
	}
	return micros(r.CPU) / float64(r.Entries)
}

// CPUUtilisation is the share of the machine's CPUs the cell kept busy:
// CPU time over wall time over runtime.NumCPU, so 1 is every CPU busy for
// the whole cell, and 1/NumCPU one CPU.
func (r Result) CPUUtilisation() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return r.CPU.Seconds() / r.Elapsed.Seconds() / float64(runtime.NumCPU())
}
