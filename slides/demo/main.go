// Command demo is the talk's opening demo (make demo): a durable key-value
// store on stage 1 is killed with SIGKILL in the middle of its writes,
// reopened, and checked. Each round prints what the writer was told was
// durable (acknowledged), what the log holds after recovery (survived), and
// what recovery cut off.
//
// The writer is a child process, this same program run with -child: it
// appends "set key=value" entries and prints the index of each one after
// Append returned. The parent reads those lines, kills the child at a
// random moment, then opens the log itself.
//
// kill -9 is the weaker test: a killed process loses nothing the kernel
// already has, so this demo passes even for a WAL that never calls fsync.
// With -powercut (make demo-powercut) the demo shows the stronger one, a
// power cut on a filesystem that keeps only what fsync made durable, on
// stage 1 and on a log that acknowledges before fsync (powercut.go).
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	naive "walworkshop/stage1_naive"
)

func main() {
	child := flag.Bool("child", false, "run as the writer: append entries to -dir until killed")
	dir := flag.String("dir", "", "the log's directory (default: a new temporary one; not used with -powercut)")
	rounds := flag.Int("rounds", 3, "how many times the writer is killed (not used with -powercut)")
	powercut := flag.Bool("powercut", false, "cut the power instead, on the power-cut filesystem (needs root and /dev/fuse)")
	logName := flag.String("log", stage1Log, "with -child: the log to write, "+stage1Log+" or "+unsafeLogName)
	pause := flag.Int("pause", 0, "with -child: after this many acknowledgements, wait for a line on stdin")
	flag.Parse()
	var err error
	switch {
	case *child:
		err = write(*logName, *dir, *pause, os.Stdin, os.Stdout)
	case *powercut:
		_, err = powerCutDemo(os.Stdout)
	default:
		err = demo(os.Stdout, *dir, *rounds)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// The logs the writer can use, by -log name.
const (
	stage1Log     = "stage1"
	unsafeLogName = "unsafe" // unsafe.go: broken on purpose
)

// A kvLog is what the key-value store needs of its log.
type kvLog interface {
	Append(data []byte) (uint64, error)
	FirstIndex() uint64
	LastIndex() uint64
	Replay(from uint64, fn func(index uint64, data []byte) error) error
	Close() error
}

func openLog(name, dir string) (kvLog, error) {
	switch name {
	case stage1Log:
		w, err := naive.Open(dir, naive.Options{})
		if err != nil {
			return nil, err
		}
		return w, nil
	case unsafeLogName:
		l, err := openUnsafe(dir)
		if err != nil {
			return nil, err
		}
		return l, nil
	}
	return nil, fmt.Errorf("no log named %q", name)
}

func demo(out io.Writer, dir string, rounds int) error {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "walworkshop-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = filepath.Join(tmp, "kv")
	}
	fmt.Fprintf(out, "A durable key-value store on stage 1 (write, write, fsync per entry), killed mid-write.\n")
	fmt.Fprintf(out, "log: %s\n\n", dir)
	acked := make(map[uint64]string) // every entry any round was told was durable
	for r := 1; r <= rounds; r++ {
		if err := round(out, r, dir, acked); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "Every acknowledged entry survived %d kills.\n", rounds)
	fmt.Fprintf(out, "But a killed process loses nothing the kernel already has: this passes without fsync too.\n")
	fmt.Fprintf(out, "Only a power cut tells an fsync from none: make demo-powercut (part 9 of the talk).\n")
	return nil
}

// round runs one writer on dir, kills it, and checks the log.
func round(out io.Writer, n int, dir string, acked map[uint64]string) error {
	w, err := startWriter(os.Stderr, "-log", stage1Log, "-dir", dir)
	if err != nil {
		return err
	}
	first, last, err := w.killAfter(20+rand.IntN(180), acked)
	if err != nil {
		return err
	}
	before, err := logBytes(dir)
	if err != nil {
		return err
	}
	survived, state, err := recoverLog(stage1Log, dir)
	if err != nil {
		return err
	}
	after, err := logBytes(dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "round %d: SIGKILL after the writer acknowledged entries %d..%d\n", n, first, last)
	missing := 0
	for i, p := range acked {
		if survived[i] != p {
			missing++
		}
	}
	kept := uint64(len(survived))
	fmt.Fprintf(out, "  acknowledged   1..%-6d Append returned, then the writer printed the index\n", last)
	fmt.Fprintf(out, "  survived       1..%-6d what Open recovered and Replay returned\n", kept)
	if kept > last {
		fmt.Fprintf(out, "  not yet acked  %-9s durable before the kill, never reported: allowed\n", span(last+1, kept))
	}
	fmt.Fprintf(out, "  cut            %-9s a torn last record, when the kill falls between two writes\n", fmt.Sprintf("%d B", before-after))
	fmt.Fprintf(out, "  state          %s\n", describe(state))
	if missing > 0 {
		return fmt.Errorf("%d acknowledged entries are missing or changed after recovery", missing)
	}
	fmt.Fprintf(out, "  ok: every acknowledged entry is there\n\n")
	return nil
}

// A writer is the child process: this program, run with -child.
type writer struct {
	cmd   *exec.Cmd
	lines *bufio.Scanner // its stdout
	stdin io.WriteCloser // where it waits, with -pause
}

// startWriter starts the writer with args after -child; its stderr goes to
// stderr.
func startWriter(stderr io.Writer, args ...string) (*writer, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, append([]string{"-child"}, args...)...)
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &writer{cmd: cmd, lines: bufio.NewScanner(stdout), stdin: stdin}, nil
}

// killAfter records the writer's acknowledgements in acked, kills it with
// SIGKILL at the target-th, and returns the first and last index it
// acknowledged.
func (w *writer) killAfter(target int, acked map[uint64]string) (first, last uint64, err error) {
	for count := 0; w.lines.Scan(); {
		index, payload, ok := parseAck(w.lines.Text())
		if !ok {
			continue
		}
		acked[index] = payload
		if first == 0 {
			first = index
		}
		last = index
		if count++; count == target {
			if err := w.cmd.Process.Kill(); err != nil {
				return 0, 0, fmt.Errorf("kill the writer: %w", err)
			}
		}
	}
	// The lines still in the pipe were printed before the kill: acknowledged.
	if err := w.cmd.Wait(); err == nil {
		return 0, 0, errors.New("the writer exited by itself before the kill")
	}
	if first == 0 {
		return 0, 0, errors.New("the writer acknowledged nothing")
	}
	return first, last, nil
}

// write is the child: append "set key=value" entries to the named log in
// dir until killed, printing each index once Append returned. With pause,
// it prints "paused" after that many acknowledgements and goes on only once
// a line arrives on in: the parent uses the wait to plan its power cut.
func write(logName, dir string, pause int, in io.Reader, out io.Writer) error {
	w, err := openLog(logName, dir)
	if err != nil {
		return err
	}
	defer w.Close()
	for count, n := 0, w.LastIndex()+1; ; n++ {
		payload := fmt.Sprintf("set user%d=%d", n%7, n)
		index, err := w.Append([]byte(payload))
		if err != nil {
			return err
		}
		// The line goes out only now: Append returned, the entry is durable
		// (or, for the unsafe log, said to be).
		if _, err := fmt.Fprintf(out, "ack %d %s\n", index, payload); err != nil {
			return err
		}
		if count++; count == pause {
			fmt.Fprintln(out, "paused")
			if _, err := bufio.NewReader(in).ReadString('\n'); err != nil {
				return fmt.Errorf("wait for the parent: %w", err)
			}
		}
	}
}

func span(from, to uint64) string {
	if from == to {
		return strconv.FormatUint(from, 10)
	}
	return fmt.Sprintf("%d..%d", from, to)
}

func parseAck(line string) (index uint64, payload string, ok bool) {
	rest, ok := strings.CutPrefix(line, "ack ")
	if !ok {
		return 0, "", false
	}
	num, payload, ok := strings.Cut(rest, " ")
	if !ok {
		return 0, "", false
	}
	index, err := strconv.ParseUint(num, 10, 64)
	return index, payload, err == nil
}

// recoverLog opens the log as the store would on restart, replays it into
// the key-value state, and returns every entry it holds.
func recoverLog(logName, dir string) (map[uint64]string, map[string]string, error) {
	w, err := openLog(logName, dir)
	if err != nil {
		return nil, nil, fmt.Errorf("reopen after the crash: %w", err)
	}
	defer w.Close()
	entries := make(map[uint64]string)
	state := make(map[string]string)
	err = w.Replay(w.FirstIndex(), func(index uint64, data []byte) error {
		entries[index] = string(data)
		kv, ok := strings.CutPrefix(string(data), "set ")
		if !ok {
			return fmt.Errorf("entry %d is not a set: %q", index, data)
		}
		k, v, _ := strings.Cut(kv, "=")
		state[k] = v
		return nil
	})
	return entries, state, err
}

// logBytes is the size of the log's files (all but LOCK).
func logBytes(dir string) (int64, error) {
	files, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	var n int64
	for _, f := range files {
		if f.Name() == "LOCK" {
			continue
		}
		info, err := f.Info()
		if err != nil {
			return 0, err
		}
		n += info.Size()
	}
	return n, nil
}

func describe(state map[string]string) string {
	keys := make([]string, 0, len(state))
	for k := range state {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + state[k]
	}
	return strings.Join(parts, " ")
}
