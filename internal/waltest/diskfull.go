package waltest

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

const (
	prefilledTrial = 999  // entries the parent writes before the child runs
	diskFullTrial  = 1000 // entries the child writes
	afterFullTrial = 1001 // entries the parent writes after reopening
)

// childAppendUntilDiskFull lowers RLIMIT_FSIZE to a little above the log's
// current size, so the kernel refuses to grow any file past it (EFBIG, the
// in-process stand-in for ENOSPC), then appends until that fails.
func childAppendUntilDiskFull(s Stage) int {
	// By default the kernel kills a process that exceeds RLIMIT_FSIZE with
	// SIGXFSZ; ignored, the write returns EFBIG instead.
	signal.Ignore(syscall.SIGXFSZ)
	dir := os.Getenv(childDirEnv)
	extra, _ := strconv.ParseUint(os.Getenv(childLimitEnv), 10, 64)
	w, err := s.Open(dir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "open: %v\n", err)
		return 3
	}
	limit := uint64(largestFile(dir)) + extra
	if s.SegmentSize > 0 {
		// Below three quarters of a segment: a stage may close a segment
		// before it is quite full (stage 5 keeps room for padding).
		limit = uint64(s.SegmentSize)/2 + extra%uint64(s.SegmentSize/4)
	}
	if err := unix.Setrlimit(unix.RLIMIT_FSIZE, fileSizeLimit(limit)); err != nil {
		fmt.Fprintf(os.Stderr, "setrlimit: %v\n", err)
		return 3
	}
	var out reporter
	seq := 0
	for ; seq < 100_000; seq++ {
		index, err := w.Append(crashEntry(diskFullTrial, 0, seq))
		if err != nil {
			out.printf("full %v", err)
			break
		}
		out.acked(index, diskFullTrial, 0, seq, 1)
	}
	// Fail-stop: nothing is accepted after the failure.
	for k := 1; k <= 3; k++ {
		if _, err := w.Append(crashEntry(diskFullTrial, 0, seq+k)); err == nil {
			out.printf("accepted after failure")
		}
	}
	if _, err := w.AppendBatch([][]byte{crashEntry(diskFullTrial, 1, 0)}); err == nil {
		out.printf("accepted after failure")
	}
	w.Close()
	out.printf("done")
	return 0
}

func largestFile(dir string) int64 {
	var largest int64
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				largest = max(largest, info.Size())
			}
		}
		return nil
	})
	return largest
}

// testDiskFull: a child fills the disk (RLIMIT_FSIZE). The failing Append
// and every later one return errors, every acknowledged entry survives a
// reopen, and the log takes appends again once there is room.
func testDiskFull(t *testing.T, s Stage) {
	rng := newRand(t)
	dir := t.TempDir()
	acked := map[uint64]crashID{}
	w := mustOpen(t, s, dir)
	for seq := range 30 {
		index, err := w.Append(crashEntry(prefilledTrial, 0, seq))
		if err != nil {
			t.Fatal(err)
		}
		acked[index] = crashID{prefilledTrial, 0, seq}
	}
	mustClose(t, w)

	extra := 4096 + rng.IntN(60_000)
	cmd, lines, stderr := startChild(t, s, "diskfull", childDirEnv+"="+dir, childLimitEnv+"="+strconv.Itoa(extra))
	full, done := false, false
	for line := range lines {
		switch {
		case strings.HasPrefix(line, "ack "):
			a := parseAck(t, line)
			acked[a.index] = a.id
		case strings.HasPrefix(line, "full "):
			full = true
			t.Logf("disk full: %s", line)
		case line == "done":
			done = true
		default:
			t.Errorf("child: %s", line)
		}
	}
	if err := cmd.Wait(); err != nil || !full || !done {
		t.Fatalf("child: %v (full=%v done=%v); stderr: %s", err, full, done, stderr)
	}
	checkAfterCrash(t, s, dir, acked, 0)

	w = mustOpen(t, s, dir)
	for seq := range 10 {
		index, err := w.Append(crashEntry(afterFullTrial, 0, seq))
		if err != nil {
			t.Fatalf("Append after the disk has room again: %v", err)
		}
		acked[index] = crashID{afterFullTrial, 0, seq}
	}
	mustClose(t, w)
	checkAfterCrash(t, s, dir, acked, 0)
}
