// Package crash kills a writer process with SIGKILL at random moments, for
// the exercises whose promise is "every acknowledged operation survives".
//
// The test binary re-executes itself as the writer (a child process), the
// child reports each operation it finished on stdout, and the parent kills
// it at a random moment, then checks what the files hold against what was
// reported. A pipe keeps what was written to it after the writer dies, so
// the parent hears of every acknowledgement that came before the kill. No
// deferred Close, no flush: only the bytes the kernel already had survive,
// as after a crash of the process (a power cut loses more: see crashfs).
package crash

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	childEnv = "EXERCISE_CRASH_CHILD" // the name of the Child to run
	dirEnv   = "EXERCISE_CRASH_DIR"
	trialEnv = "EXERCISE_CRASH_TRIAL"
)

// A Child is the writer that runs in the child process. It works in dir,
// calls r.Ready once it is open for business and r.Ack after each operation
// that is acknowledged, and runs until it is killed. Returning means it
// failed: the error is reported to the parent, and the trial fails.
type Child func(dir string, trial int, r *Reporter) error

// Reporter sends lines from the child to the parent, each in one write to
// the pipe, so that a kill never leaves half a line.
type Reporter struct{ mu sync.Mutex }

// Ready tells the parent the child has opened its files.
func (r *Reporter) Ready() { r.line("ready") }

// Ack reports one acknowledged operation, described as the test likes.
func (r *Reporter) Ack(format string, args ...any) { r.line("ack " + fmt.Sprintf(format, args...)) }

func (r *Reporter) line(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	os.Stdout.WriteString(s + "\n")
}

// Main is the TestMain of an exercise with crash tests: in a child process
// it runs the Child the parent named, otherwise the tests.
func Main(m *testing.M, children map[string]Child) {
	name := os.Getenv(childEnv)
	if name == "" {
		os.Exit(m.Run())
	}
	child, ok := children[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "crash: no child named %q\n", name)
		os.Exit(2)
	}
	trial, _ := strconv.Atoi(os.Getenv(trialEnv))
	if err := child(os.Getenv(dirEnv), trial, &Reporter{}); err != nil {
		fmt.Fprintf(os.Stderr, "child: %v\n", err)
		os.Exit(3)
	}
	fmt.Fprintln(os.Stderr, "child: returned without an error, but a child runs until it is killed")
	os.Exit(4)
}

// Kill runs the child named name trials times on the same dir, killing it
// with SIGKILL after a random delay of up to 40 ms: in odd trials counted
// from when it said Ready, in even trials from its start (so that some
// kills land in Open and recovery). After each kill it calls check with the
// trial number and what that child acknowledged, in order (each line
// without its "ack " prefix). A child that ends by itself fails the test.
func Kill(t *testing.T, name, dir string, trials int, check func(trial int, acks []string)) {
	t.Helper()
	for trial := range trials {
		acks := killOnce(t, name, dir, trial)
		check(trial, acks)
		if t.Failed() {
			return
		}
	}
}

func killOnce(t *testing.T, name, dir string, trial int) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+name, dirEnv+"="+dir, trialEnv+"="+strconv.Itoa(trial))
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

	// The killer waits for its moment; the loop below reads every line
	// until the pipe closes, which it does once the child is dead.
	ready := make(chan struct{})
	go func() {
		if trial%2 == 1 {
			<-ready
		}
		time.Sleep(time.Duration(rand.Int64N(int64(40 * time.Millisecond))))
		cmd.Process.Kill()
	}()
	var acks []string
	said := false
	for line := range lines {
		if line == "ready" && !said {
			close(ready)
			said = true
		}
		if a, ok := strings.CutPrefix(line, "ack "); ok {
			acks = append(acks, a)
		}
	}
	if !said {
		close(ready) // the child died before it was ready: let the killer go
	}
	cmd.Wait()
	if cmd.ProcessState.Exited() {
		t.Fatalf("trial %d: the child ended by itself (%v) instead of being killed: %s",
			trial, cmd.ProcessState, strings.TrimSpace(stderr.String()))
	}
	return acks
}
