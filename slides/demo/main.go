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
// The -powercut flag is the seam for the stronger one, a filesystem that
// keeps only what was synced; it is not built yet.
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
	dir := flag.String("dir", "", "the log's directory (default: a new temporary one)")
	rounds := flag.Int("rounds", 3, "how many times the writer is killed")
	powercut := flag.Bool("powercut", false, "cut power instead of killing the writer (needs the power-cut filesystem)")
	flag.Parse()
	var err error
	if *child {
		err = write(*dir, os.Stdout)
	} else {
		err = demo(os.Stdout, *dir, *rounds, *powercut)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

// A crash is how a round ends the writer and what the log directory is.
// kill9 is the one built. The power-cut version will mount the power-cut
// filesystem, put the log on it, and cut power instead of killing, with a
// WAL that acknowledges before fsync as the writer, to show what kill -9
// cannot catch.
type crash struct {
	name    string // what the round calls it
	dir     string // where the log lives
	end     func(p *os.Process) error
	cleanup func() error
}

func kill9(dir string) crash {
	return crash{
		name:    "SIGKILL",
		dir:     dir,
		end:     func(p *os.Process) error { return p.Kill() },
		cleanup: func() error { return nil },
	}
}

func powerCut(string) (crash, error) {
	return crash{}, errors.New("-powercut needs the power-cut filesystem (internal/powercut), which this checkout does not have yet")
}

func demo(out io.Writer, dir string, rounds int, usePowercut bool) error {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "walworkshop-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = filepath.Join(tmp, "kv")
	}
	c := kill9(dir)
	if usePowercut {
		var err error
		if c, err = powerCut(dir); err != nil {
			return err
		}
	}
	defer c.cleanup()
	fmt.Fprintf(out, "A durable key-value store on stage 1 (write, write, fsync per entry), killed mid-write.\n")
	fmt.Fprintf(out, "log: %s\n\n", c.dir)
	acked := make(map[uint64]string) // every entry any round was told was durable
	for r := 1; r <= rounds; r++ {
		if err := round(out, r, c, acked); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "Every acknowledged entry survived %d kills.\n", rounds)
	fmt.Fprintf(out, "But a killed process loses nothing the kernel already has: this passes without fsync too.\n")
	fmt.Fprintf(out, "Only a power cut tells an fsync from none (part 9 of the talk).\n")
	return nil
}

// round runs one writer, ends it with c, and checks the log.
func round(out io.Writer, n int, c crash, acked map[uint64]string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	cmd := exec.Command(exe, "-child", "-dir", c.dir)
	cmd.Stderr = os.Stderr
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	target := 20 + rand.IntN(180) // acknowledgements before the crash
	lines := bufio.NewScanner(pipe)
	var first, last uint64
	for count := 0; lines.Scan(); {
		index, payload, ok := parseAck(lines.Text())
		if !ok {
			continue
		}
		acked[index] = payload
		if first == 0 {
			first = index
		}
		last = index
		if count++; count == target {
			if err := c.end(cmd.Process); err != nil {
				return fmt.Errorf("end the writer: %w", err)
			}
		}
	}
	// The lines still in the pipe were printed before the kill: acknowledged.
	if err := cmd.Wait(); err == nil {
		return errors.New("the writer exited by itself before the crash")
	}
	if first == 0 {
		return errors.New("the writer acknowledged nothing")
	}
	before, err := logBytes(c.dir)
	if err != nil {
		return err
	}
	survived, state, err := recoverLog(c.dir)
	if err != nil {
		return err
	}
	after, err := logBytes(c.dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "round %d: %s after the writer acknowledged entries %d..%d\n", n, c.name, first, last)
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

// write is the child: append "set key=value" entries until killed,
// printing each index once it is durable.
func write(dir string, out io.Writer) error {
	w, err := naive.Open(dir, naive.Options{})
	if err != nil {
		return err
	}
	defer w.Close()
	for n := w.LastIndex() + 1; ; n++ {
		payload := fmt.Sprintf("set user%d=%d", n%7, n)
		index, err := w.Append([]byte(payload))
		if err != nil {
			return err
		}
		// The line goes out only now: Append returned, the entry is durable.
		if _, err := fmt.Fprintf(out, "ack %d %s\n", index, payload); err != nil {
			return err
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
func recoverLog(dir string) (map[uint64]string, map[string]string, error) {
	w, err := naive.Open(dir, naive.Options{})
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
