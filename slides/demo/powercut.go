package main

// The -powercut demo (make demo-powercut): the same writer and the same
// restart, on internal/powercut, a FUSE filesystem that keeps only what
// fsync made durable. Two logs, side by side: stage 1, and the unsafe log
// of unsafe.go, which acknowledges before fsync. Each is killed once with
// SIGKILL, as in the kill -9 demo, and then, on a fresh filesystem, has its
// power cut in the middle of its writes.
//
// A power cut here is: the filesystem freezes (every later request fails
// with EIO), the parent kills the writer, and builds from the frozen state
// the disk a reboot would find. Two of them: the durable image (only what
// was made durable) and one writeback image (plus some of the unsynced
// blocks, as a page cache may have written them back before the cut). Each
// is written to the real disk and opened there, as the store would open it.

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"walworkshop/internal/powercut"
)

// walDir is the log's directory on the power-cut filesystem: it is there,
// durably, when the filesystem boots.
const walDir = "kv"

// A restart is what one reopening of a log found.
type restart struct {
	acked    map[uint64]string // what the writer was told was durable
	survived map[uint64]string // what the reopened log returned
}

// lost returns the acknowledged entries that are missing after the
// restart, or hold other bytes, in index order.
func (r restart) lost() []uint64 {
	var lost []uint64
	for i, p := range r.acked {
		if got, ok := r.survived[i]; !ok || got != p {
			lost = append(lost, i)
		}
	}
	slices.Sort(lost)
	return lost
}

// A logRun is one log's column of the demo.
type logRun struct {
	log      string  // the writer's -log
	name     string  // what the summary calls it
	title    string  // the column's heading
	perEntry string  // what the log does for each entry
	kill     restart // after SIGKILL, reopened on the same filesystem
	durable  restart // after the power cut: only what was made durable
	wrote    restart // after the power cut: one writeback image
}

// powerCutDemo runs both logs through a kill and a power cut, prints the
// table, and returns the runs. It fails if stage 1 lost an acknowledged
// entry, or if the unsafe log did not pass kill -9 and then lose an
// acknowledged entry to the power cut: the two things the demo shows.
func powerCutDemo(out io.Writer) ([]logRun, error) {
	tmp, err := os.MkdirTemp("", "walworkshop-demo-powercut-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	mnt := filepath.Join(tmp, "mnt")
	if err := os.Mkdir(mnt, 0o700); err != nil {
		return nil, err
	}
	// The unsafe log syncs at entries 100 and 200; pausing the writer at
	// 120-160 and cutting within 20 requests (one entry takes at least one)
	// lands the cut where it holds acknowledged, unsynced entries, whatever
	// the machine's speed.
	pause, requests := 120+rand.IntN(41), 1+rand.IntN(20)
	runs := []logRun{
		{log: stage1Log, name: "stage 1", title: "stage 1", perEntry: "write, fsync, ack"},
		{log: unsafeLogName, name: "the unsafe log", title: "unsafe log, broken on purpose", perEntry: fmt.Sprintf("write, ack; fsync every %dth", unsafeSyncEvery)},
	}
	for i := range runs {
		r := &runs[i]
		if r.kill, err = killRound(mnt, r.log); errors.Is(err, powercut.ErrUnavailable) {
			return nil, err // said in full by mount
		} else if err != nil {
			return nil, fmt.Errorf("%s, kill -9: %w", r.title, err)
		}
		if r.durable, r.wrote, err = cutRound(mnt, filepath.Join(tmp, r.log), r.log, pause, requests); err != nil {
			return nil, fmt.Errorf("%s, power cut: %w", r.title, err)
		}
	}
	printRuns(out, runs, pause, requests)
	summary(out, runs)
	return runs, verdict(runs)
}

// mount boots a fresh power-cut filesystem, its disk holding walDir, on mnt.
func mount(mnt string) (*powercut.FS, func() error, error) {
	fs, err := powercut.New(powercut.Image{Dirs: []string{walDir}})
	if err != nil {
		return nil, nil, err
	}
	unmount, err := fs.Mount(mnt)
	if errors.Is(err, powercut.ErrUnavailable) {
		return nil, nil, fmt.Errorf("-powercut needs root and /dev/fuse: %w", err)
	}
	if err != nil {
		return nil, nil, err
	}
	return fs, unmount, nil
}

// killRound kills a writer on a fresh filesystem with SIGKILL and reopens
// its log there: what the kernel had is still there.
func killRound(mnt, logName string) (_ restart, err error) {
	_, unmount, err := mount(mnt)
	if err != nil {
		return restart{}, err
	}
	defer func() { err = errors.Join(err, unmount()) }()
	var stderr strings.Builder
	w, err := startWriter(&stderr, "-log", logName, "-dir", filepath.Join(mnt, walDir))
	if err != nil {
		return restart{}, err
	}
	r := restart{acked: map[uint64]string{}}
	if _, _, err := w.killAfter(20+rand.IntN(180), r.acked); err != nil {
		return restart{}, fmt.Errorf("%w; writer's stderr: %q", err, stderr.String())
	}
	r.survived, _, err = recoverLog(logName, filepath.Join(mnt, walDir))
	return r, err
}

// cutRound runs a writer on a fresh filesystem, cuts the power the given
// number of requests after the writer's pause-th acknowledgement, and opens
// the durable image and one writeback image, each in its own directory
// under images.
func cutRound(mnt, images, logName string, pause, requests int) (durable, wrote restart, err error) {
	fs, unmount, err := mount(mnt)
	if err != nil {
		return restart{}, restart{}, err
	}
	var stderr strings.Builder // a writer cut off fails, and says so: not for the projector
	w, err := startWriter(&stderr, "-log", logName, "-dir", filepath.Join(mnt, walDir), "-pause", strconv.Itoa(pause))
	if err != nil {
		return restart{}, restart{}, errors.Join(err, unmount())
	}
	acked := map[uint64]string{}
	if err := w.cutAfter(fs, requests, acked); err != nil {
		return restart{}, restart{}, errors.Join(fmt.Errorf("%w; writer's stderr: %q", err, stderr.String()), unmount())
	}
	if err := unmount(); err != nil {
		return restart{}, restart{}, err
	}
	rng := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	if durable, err = openImage(fs.Durable(), filepath.Join(images, "durable"), logName, acked); err != nil {
		return restart{}, restart{}, err
	}
	if wrote, err = openImage(fs.Writeback(rng), filepath.Join(images, "writeback"), logName, acked); err != nil {
		return restart{}, restart{}, err
	}
	return durable, wrote, nil
}

// cutAfter records the writer's acknowledgements in acked, cuts the power
// on fs the given number of requests after the writer paused (-pause), and
// kills it. The writer waits at its pause while the parent plans the cut,
// so that the cut lands where planned, whatever the machine's speed.
func (w *writer) cutAfter(fs *powercut.FS, requests int, acked map[uint64]string) error {
	killed := make(chan struct{})
	go func() {
		defer close(killed)
		<-fs.Frozen()
		w.cmd.Process.Kill()
	}()
	defer func() {
		fs.Freeze() // if the writer ended before the cut
		<-killed
		w.cmd.Wait()
	}()
	// Read to the end: the lines still in the pipe when the writer is
	// killed were printed before, and are acknowledged.
	for w.lines.Scan() {
		line := w.lines.Text()
		if index, payload, ok := parseAck(line); ok {
			acked[index] = payload
		} else if line == "paused" {
			fs.FreezeAfter(fs.Changes() + requests)
			if _, err := io.WriteString(w.stdin, "go\n"); err != nil {
				return fmt.Errorf("wake the writer: %w", err)
			}
		}
	}
	select {
	case <-fs.Frozen():
	default:
		return errors.New("the writer ended before the power cut")
	}
	if len(acked) == 0 {
		return errors.New("the writer acknowledged nothing")
	}
	return nil
}

// openImage puts a crash image on the real disk under root and reopens the
// log in it, as the store would after a reboot.
func openImage(img powercut.Image, root, logName string, acked map[uint64]string) (restart, error) {
	if err := img.WriteTo(root); err != nil {
		return restart{}, err
	}
	survived, _, err := recoverLog(logName, filepath.Join(root, walDir))
	return restart{acked: acked, survived: survived}, err
}

// printRuns prints the runs side by side.
func printRuns(out io.Writer, runs []logRun, pause, requests int) {
	row := func(label string, cell func(r logRun) string) {
		line := fmt.Sprintf("%-18s", label)
		for _, r := range runs {
			line += fmt.Sprintf("%-24s", cell(r))
		}
		fmt.Fprintln(out, strings.TrimRight(line, " "))
	}
	fmt.Fprintf(out, "On internal/powercut, a FUSE filesystem that keeps only what fsync made durable.\n")
	fmt.Fprintf(out, "Each writer is killed once (SIGKILL); then, on a fresh filesystem, its power is\n")
	fmt.Fprintf(out, "cut mid-write, %d requests after ack %d, and what is left is reopened.\n\n", requests, pause)
	row("", func(r logRun) string { return r.title })
	row("", func(r logRun) string { return r.perEntry })
	fmt.Fprintln(out, "kill -9")
	row("  acknowledged", func(r logRun) string { return spans(keys(r.kill.acked)) })
	row("  survived", func(r logRun) string { return spans(keys(r.kill.survived)) })
	row("  lost", func(r logRun) string { return lostCell(r.kill) })
	fmt.Fprintln(out, "power cut")
	row("  acknowledged", func(r logRun) string { return spans(keys(r.durable.acked)) })
	row("  durable image", func(r logRun) string { return spans(keys(r.durable.survived)) })
	row("  lost", func(r logRun) string { return lostCell(r.durable) })
	row("  writeback image", func(r logRun) string { return spans(keys(r.wrote.survived)) })
	row("  lost", func(r logRun) string { return lostCell(r.wrote) })
	fmt.Fprintln(out)
	fmt.Fprintln(out, "durable image: only what was fsynced; writeback image: plus some unsynced blocks.")
}

// summary says what the table shows, in two lines.
func summary(out io.Writer, runs []logRun) {
	var killed, cut []string
	for _, r := range runs {
		killed = append(killed, fmt.Sprintf("%s %s", r.name, lostCount(r.kill)))
		cut = append(cut, fmt.Sprintf("%s %s", r.name, lostCount(r.durable)))
	}
	fmt.Fprintf(out, "kill -9:   %s.\n", strings.Join(killed, ", "))
	fmt.Fprintf(out, "power cut: %s.\n", strings.Join(cut, ", "))
}

func lostCount(r restart) string {
	if n := len(r.lost()); n > 0 {
		return fmt.Sprintf("lost %d acknowledged entries", n)
	}
	return "lost nothing"
}

// verdict says what the runs failed to show, if anything.
func verdict(runs []logRun) error {
	var errs []error
	for _, r := range runs {
		if lost := r.kill.lost(); len(lost) > 0 {
			errs = append(errs, fmt.Errorf("%s lost %d acknowledged entries to kill -9: %s", r.name, len(lost), spans(lost)))
		}
		durable, wrote := r.durable.lost(), r.wrote.lost()
		switch {
		case r.log == stage1Log && len(durable)+len(wrote) > 0:
			errs = append(errs, fmt.Errorf("stage 1 lost acknowledged entries to the power cut: %s in the durable image, %s in the writeback image", spans(durable), spans(wrote)))
		case r.log == unsafeLogName && len(durable) == 0:
			errs = append(errs, errors.New("the unsafe log lost nothing to the power cut: it had fsynced every entry it acknowledged"))
		}
	}
	return errors.Join(errs...)
}

// spans lists indices, in order, as runs: "1..100 102 105..157".
func spans(indices []uint64) string {
	if len(indices) == 0 {
		return "none"
	}
	const shown = 3
	var parts []string
	for i := 0; i < len(indices); {
		j := i
		for j+1 < len(indices) && indices[j+1] == indices[j]+1 {
			j++
		}
		if len(parts) == shown {
			parts = append(parts, "...")
			break
		}
		parts = append(parts, span(indices[i], indices[j]))
		i = j + 1
	}
	return strings.Join(parts, " ")
}

// lostCell is how many acknowledged entries r lost, and which.
func lostCell(r restart) string {
	lost := r.lost()
	if len(lost) == 0 {
		return "none"
	}
	return fmt.Sprintf("%d: %s", len(lost), spans(lost))
}

func keys(m map[uint64]string) []uint64 { return slices.Sorted(maps.Keys(m)) }
