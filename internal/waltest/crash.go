package waltest

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The crash tests re-execute the test binary as a writer process and kill
// it with SIGKILL, the only honest way to test "every acknowledged entry
// survives": no deferred Close, no flush, just the bytes the kernel has.
// The child reports each acknowledged entry on stdout; a pipe keeps what was
// written to it even after the writer dies, so the parent learns of every
// acknowledgement that happened before the kill.
const (
	childEnv      = "WALTEST_CHILD" // which child to be: "kill", "diskfull" or "hold"
	childDirEnv   = "WALTEST_DIR"
	childTrialEnv = "WALTEST_TRIAL"
	childLimitEnv = "WALTEST_FSIZE_LIMIT"
	childStageEnv = "WALTEST_STAGE" // the Stage.Name the child runs
)

// Main is the TestMain of every stage: in a child process it runs the
// writer the parent asked for, with the stage (of those given) it named;
// otherwise it runs the tests.
func Main(m *testing.M, stages ...Stage) {
	if os.Getenv(childEnv) == "" {
		os.Exit(m.Run())
	}
	var s Stage
	for _, candidate := range stages {
		if candidate.Name == os.Getenv(childStageEnv) {
			s = candidate
		}
	}
	if s.Open == nil {
		fmt.Fprintf(os.Stderr, "no stage named %q passed to waltest.Main\n", os.Getenv(childStageEnv))
		os.Exit(2)
	}
	switch os.Getenv(childEnv) {
	case "kill":
		os.Exit(childAppendUntilKilled(s))
	case "diskfull":
		os.Exit(childAppendUntilDiskFull(s))
	case "hold":
		os.Exit(childHoldLog(s))
	default:
		fmt.Fprintf(os.Stderr, "unknown %s=%q\n", childEnv, os.Getenv(childEnv))
		os.Exit(2)
	}
}

// ack is one acknowledged entry, as reported by a child.
type ack struct {
	index uint64
	id    crashID
}

// reporter prints acknowledgements. Each line goes out in one write(2) to
// the pipe, before the writer appends again.
type reporter struct{ mu sync.Mutex }

func (r *reporter) printf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(os.Stdout, format+"\n", args...)
}

func (r *reporter) acked(first uint64, trial, writer, seq, n int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b []byte
	for k := range n {
		b = fmt.Appendf(b, "ack %d %d %d %d\n", first+uint64(k), trial, writer, seq+k)
	}
	os.Stdout.Write(b)
}

// childAppendUntilKilled runs four writers that append (sometimes in
// batches of three) until the parent kills the process.
func childAppendUntilKilled(s Stage) int {
	trial, _ := strconv.Atoi(os.Getenv(childTrialEnv))
	w, err := s.Open(os.Getenv(childDirEnv))
	if err != nil {
		fmt.Fprintf(os.Stderr, "open: %v\n", err)
		return 3
	}
	var out reporter
	out.printf("ready")
	var wg sync.WaitGroup
	for writer := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := 0; ; {
				n := 1
				if seq%5 == 4 {
					n = 3
				}
				batch := make([][]byte, n)
				for k := range batch {
					batch[k] = crashEntry(trial, writer, seq+k)
				}
				first, err := appendSome(w, batch)
				if err != nil {
					out.printf("error %v", err)
					return
				}
				out.acked(first, trial, writer, seq, n)
				seq += n
				if s.TruncateFront != nil && writer == 0 && seq%20 < n && first > 50 {
					out.printf("trunc %d", first-50)
					if err := s.TruncateFront(w, first-50); err != nil {
						out.printf("error %v", err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	return 4 // only reached if an append failed
}

// startChild starts the test binary as a child writer and returns its
// stdout lines on a channel that closes when the child's stdout does.
func startChild(t testing.TB, s Stage, kind string, env ...string) (*exec.Cmd, <-chan string, *strings.Builder) {
	t.Helper()
	return startTestBinary(t, "^$", append([]string{childEnv + "=" + kind, childStageEnv + "=" + s.Name}, env...)...)
}

// startTestBinary re-executes the test binary with -test.run=run and env
// added to this process's environment, and returns its stdout lines on a
// channel that closes when its stdout does, and its stderr.
func startTestBinary(t testing.TB, run string, env ...string) (*exec.Cmd, <-chan string, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run="+run)
	cmd.Env = append(os.Environ(), env...)
	stderr := &strings.Builder{}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1024)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		io.Copy(io.Discard, stdout)
	}()
	return cmd, lines, stderr
}

func parseAck(t testing.TB, line string) ack {
	t.Helper()
	var a ack
	if _, err := fmt.Sscanf(line, "ack %d %d %d %d", &a.index, &a.id.trial, &a.id.writer, &a.id.seq); err != nil {
		t.Fatalf("child printed %q: %v", line, err)
	}
	return a
}

// killTrials is how many times KillDuringAppends kills a writer; at least
// 20 in `make test`, more with WALTEST_KILL_TRIALS.
func killTrials(t testing.TB) int {
	if s := os.Getenv("WALTEST_KILL_TRIALS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatalf("WALTEST_KILL_TRIALS: %v", err)
		}
		return n
	}
	return 20
}

// testKillDuringAppends kills a writer process with SIGKILL at a random
// moment, again and again on the same log. After each kill: Open succeeds,
// every acknowledged entry is there with its bytes, every entry is one some
// writer really wrote, none twice, and each writer's entries form an
// unbroken prefix of what it wrote (it only wrote entry k+1 after k was
// acknowledged).
func testKillDuringAppends(t *testing.T, s Stage) {
	rng := newRand(t)
	dir := t.TempDir()
	acked := map[uint64]crashID{}
	var truncatedTo uint64 // the highest TruncateFront a child asked for
	for trial := range killTrials(t) {
		cmd, lines, stderr := startChild(t, s, "kill",
			childDirEnv+"="+dir, childTrialEnv+"="+strconv.Itoa(trial))
		// Half the kills land anywhere, Open and recovery included; the
		// other half wait until the writers are running.
		var wait <-chan string
		if trial%2 == 1 {
			wait = lines
		}
		select {
		case line := <-wait:
			if line != "ready" {
				t.Fatalf("trial %d: child said %q before ready; stderr: %s", trial, line, stderr)
			}
		case <-time.After(10 * time.Second * time.Duration(trial%2)):
		}
		timer := time.After(time.Duration(rng.Int64N(int64(40 * time.Millisecond))))
	collect:
		for {
			select {
			case line, ok := <-lines:
				if !ok {
					break collect
				}
				if x, ok := strings.CutPrefix(line, "trunc "); ok {
					n, _ := parseUint(x)
					truncatedTo = max(truncatedTo, n)
					continue
				}
				collectAck(t, line, acked, stderr)
			case <-timer:
				cmd.Process.Kill()
				timer = nil
			}
		}
		cmd.Wait()
		if !cmd.ProcessState.Exited() && cmd.ProcessState.String() != "signal: killed" {
			t.Fatalf("trial %d: child ended with %v; stderr: %s", trial, cmd.ProcessState, stderr)
		}
		if cmd.ProcessState.Exited() {
			t.Fatalf("trial %d: child exited by itself (%v); stderr: %s", trial, cmd.ProcessState, stderr)
		}
		checkAfterCrash(t, s, dir, acked, truncatedTo)
	}
	t.Logf("%d kill trials, %d acknowledged entries, truncated up to %d", killTrials(t), len(acked), truncatedTo)
}

func collectAck(t testing.TB, line string, acked map[uint64]crashID, stderr fmt.Stringer) {
	t.Helper()
	switch {
	case line == "ready":
	case strings.HasPrefix(line, "ack "):
		a := parseAck(t, line)
		if prev, dup := acked[a.index]; dup {
			t.Fatalf("index %d acknowledged twice: %v and %v", a.index, prev, a.id)
		}
		acked[a.index] = a.id
	default:
		t.Fatalf("child: %s; stderr: %s", line, stderr)
	}
}

// checkAfterCrash reopens the log and checks it against the
// acknowledgements. truncatedTo is the highest index TruncateFront was asked
// to keep (0 if never): entries before FirstIndex may be gone, but
// FirstIndex must not pass it.
func checkAfterCrash(t testing.TB, s Stage, dir string, acked map[uint64]crashID, truncatedTo uint64) {
	t.Helper()
	w := mustOpen(t, s, dir)
	defer mustClose(t, w)
	first := w.FirstIndex()
	if first > max(truncatedTo, 1) {
		t.Fatalf("FirstIndex is %d, but TruncateFront was asked to keep everything from %d", first, max(truncatedTo, 1))
	}
	seen := map[crashID]uint64{}
	next := map[[2]int]int{} // (trial, writer) -> the seq that must come next
	err := w.Replay(first, func(index uint64, data []byte) error {
		id, ok := parseCrashEntry(data)
		if !ok {
			t.Fatalf("entry %d (%.30q) is nothing any writer wrote", index, data)
		}
		if prev, dup := seen[id]; dup {
			t.Fatalf("entry %v appears twice, at %d and %d", id, prev, index)
		}
		seen[id] = index
		key := [2]int{id.trial, id.writer}
		want, ok := next[key]
		if !ok && first == 1 {
			want, ok = 0, true // nothing truncated: every writer starts at 0
		}
		if ok && id.seq != want {
			t.Fatalf("writer %v: entry %d where %d should be: a gap", key, id.seq, want)
		}
		next[key] = id.seq + 1
		return nil
	})
	if err != nil {
		t.Fatalf("Replay after crash: %v", err)
	}
	for index, id := range acked {
		if index < first {
			continue // truncated on request
		}
		if got, ok := seen[id]; !ok || got != index {
			t.Fatalf("acknowledged entry %v at index %d lost (found at %d, %v); LastIndex %d",
				id, index, got, ok, w.LastIndex())
		}
	}
}

func parseUint(s string) (uint64, error) { return strconv.ParseUint(s, 10, 64) }
