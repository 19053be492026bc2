package waltest

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/tabwriter"
	"time"

	"walworkshop/internal/powercut"
)

// The power-cut test: a writer process appends to a log on the powercut
// filesystem (a FUSE mount that keeps only what was made durable), the
// power is cut at a random moment (the filesystem freezes, the writer is
// killed), and crash images built from the frozen state are opened on the
// real disk. Every image must open, hold every acknowledged entry with its
// bytes at its index, hold nothing no writer wrote, and take appends.
//
// Each cut lands in one of four situations, in turn: the log's directory
// does not exist yet (Open creates it), it exists and is empty, it holds a
// crash image of an earlier cut (the cut may then land in the middle of
// recovery), or a writer was just killed with SIGKILL, so that the next
// Open finds writes that are in the page cache but were never synced, and
// must not build on them as if they were durable. Every third round of
// cuts comes early, within the first few changes to the filesystem: inside
// Open and recovery.

// scenario is where a cut's writer finds its log.
type scenario int

const (
	newDir      scenario = iota // the directory does not exist: Open creates it
	existingDir                 // it exists, durably, and is empty
	recovery                    // it holds a crash image of an earlier cut
	afterKill                   // a writer was killed (no cut): its unsynced writes are in the page cache
)

var scenarioNames = [...]string{newDir: "new dir", existingDir: "existing dir", recovery: "recovery", afterKill: "after kill -9"}

func (sc scenario) String() string { return scenarioNames[sc] }

var allScenarios = []scenario{newDir, existingDir, recovery, afterKill}

// killedTrial tells the entries of the writer killed before an afterKill
// cut from those of the writer the cut stops.
const killedTrial = 1 << 20

// imageClasses are the crash images drawn from each cut, and how many of
// each: make test's 25 cuts draw 200 images (identical ones are checked
// once, and counted as duplicates).
var imageClasses = []struct {
	name  string
	count int
	build func(fs *powercut.FS, rng *rand.Rand) powercut.Image
}{
	{"durable", 1, func(fs *powercut.FS, _ *rand.Rand) powercut.Image { return fs.Durable() }},
	{"writeback", 4, (*powercut.FS).Writeback},
	{"torn prefix", 3, (*powercut.FS).TornPrefix},
}

// distinctDraws is how many times an image is drawn in search of one that
// differs from those already checked for the same cut.
const distinctDraws = 8

// fingerprint identifies an image by its names and contents.
func fingerprint(img powercut.Image) [sha256.Size]byte {
	h := sha256.New()
	for _, d := range img.Dirs {
		fmt.Fprintf(h, "dir %q\n", d)
	}
	for _, name := range slices.Sorted(maps.Keys(img.Files)) {
		fmt.Fprintf(h, "file %q %d\n", name, len(img.Files[name]))
		h.Write(img.Files[name])
	}
	return [sha256.Size]byte(h.Sum(nil))
}

// walDir is the log's directory, from the root of the filesystem.
const walDir = "wal"

// powerCutTrials is how many times PowerCut cuts the power: 25 in `make
// test` (200 images) for a stage, 8 (64 images) for each of its variants
// (a Stage whose name has a "/": the same stage with other options), more
// with WALTEST_POWERCUT_TRIALS, for every Stage.
func powerCutTrials(t testing.TB, s Stage) int {
	if v := os.Getenv("WALTEST_POWERCUT_TRIALS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("WALTEST_POWERCUT_TRIALS: %v", err)
		}
		return n
	}
	if strings.Contains(s.Name, "/") {
		return 8
	}
	return 25
}

// testPowerCut runs the power-cut test on a stage, logs the counts by
// image class and by situation, and fails for every image that lost an
// acknowledged entry, held a foreign one, did not open, or refused appends.
func testPowerCut(t *testing.T, s Stage) {
	r := runPowerCut(t, s, powerCutTrials(t, s), allScenarios)
	t.Logf("%s, %d power cuts:\n%s", s.Name, r.cuts, r.table())
	const shown = 8
	for i, f := range r.failures {
		if i == shown {
			t.Errorf("... and %d more failures", len(r.failures)-shown)
			break
		}
		t.Error(f)
	}
}

// powerCutCounts count what the images of one class (or situation) showed.
type powerCutCounts struct {
	images     int // distinct images checked
	duplicates int // images drawn again identical, not checked twice
	checked    int // acknowledged entries the images had to hold
	lost       int // of those, missing or not at their index
	foreign    int // entries no writer wrote, or found twice
	refused    int // images that did not open, or failed Replay
	noAppend   int // images that opened but refused appends
	failed     int // images with any of the above
}

func (c *powerCutCounts) add(v imageVerdict) {
	c.images++
	c.checked += v.checked
	c.lost += len(v.lost)
	c.foreign += len(v.foreign)
	if v.refused != nil {
		c.refused++
	}
	if v.appendErr != nil {
		c.noAppend++
	}
	if v.failed() {
		c.failed++
	}
}

// powerCutReport is what runPowerCut found.
type powerCutReport struct {
	cuts       int
	byClass    map[string]*powerCutCounts
	byScenario map[scenario]*powerCutCounts
	failures   []string // one line per failing image or writer
}

func (r *powerCutReport) table() string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "\timages\tduplicates\tacked checked\tlost\tforeign\trefused\tno appends\tfailed images\t")
	row := func(name string, c *powerCutCounts) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", name, c.images, c.duplicates, c.checked, c.lost, c.foreign, c.refused, c.noAppend, c.failed)
	}
	for _, class := range imageClasses {
		row(class.name, r.counts(class.name))
	}
	for _, sc := range allScenarios {
		row(sc.String(), r.scenarioCounts(sc))
	}
	tw.Flush()
	return b.String()
}

func (r *powerCutReport) counts(class string) *powerCutCounts {
	if r.byClass[class] == nil {
		r.byClass[class] = &powerCutCounts{}
	}
	return r.byClass[class]
}

func (r *powerCutReport) scenarioCounts(sc scenario) *powerCutCounts {
	if r.byScenario[sc] == nil {
		r.byScenario[sc] = &powerCutCounts{}
	}
	return r.byScenario[sc]
}

// carried is a crash image that passed, kept for a later cut to recover.
type carried struct {
	img         powercut.Image
	acked       map[uint64]crashID
	truncatedTo uint64
}

// powerCut is one run of the test: its settings and what it found.
type powerCut struct {
	t         *testing.T
	s         Stage
	scenarios []scenario
	rng       *rand.Rand
	mnt       string // the mount point
	imageDir  string // where each image goes on the real disk
	carry     *carried
	report    *powerCutReport
}

// runPowerCut cuts the power cuts times, in the given situations in turn,
// and returns the counts and failures without failing the test (the tests
// of the suite itself need the report of a log that fails). It skips the
// test, saying why, where FUSE cannot be mounted. In the re-executed
// writer process it becomes the writer, and never returns.
func runPowerCut(t *testing.T, s Stage, cuts int, scenarios []scenario) *powerCutReport {
	if os.Getenv(powerCutChildEnv) != "" {
		if name := os.Getenv(childStageEnv); name != s.Name {
			fmt.Fprintf(os.Stderr, "power-cut writer for %q started in the test of %q\n", name, s.Name)
			os.Exit(2)
		}
		os.Exit(powerCutChild(s))
	}
	dir := t.TempDir()
	pc := &powerCut{
		t: t, s: s, scenarios: scenarios, rng: newRand(t),
		mnt: filepath.Join(dir, "mnt"), imageDir: filepath.Join(dir, "image"),
		report: &powerCutReport{cuts: cuts, byClass: map[string]*powerCutCounts{}, byScenario: map[scenario]*powerCutCounts{}},
	}
	if err := os.Mkdir(pc.mnt, 0o700); err != nil {
		t.Fatal(err)
	}
	for trial := range cuts {
		pc.cut(trial)
	}
	return pc.report
}

func (pc *powerCut) fail(format string, args ...any) {
	pc.report.failures = append(pc.report.failures, fmt.Sprintf(format, args...))
}

// cutAt returns when a cut comes: after a number of filesystem changes,
// or of acknowledgements, whichever comes first. Every third round comes
// early, within 60 changes (in Open or recovery); the others come anywhere
// up to 1,500 changes or 400 acknowledgements, spread evenly over the
// orders of magnitude. The bound on acknowledgements keeps the logs of
// group commit, which acknowledges many entries per change, small enough to
// check quickly.
func (pc *powerCut) cutAt(trial int, rng *rand.Rand) (changes, acks int) {
	if (trial/len(pc.scenarios))%3 == 0 {
		return 1 + rng.IntN(60), math.MaxInt
	}
	return int(60 * math.Pow(25, rng.Float64())), int(20 * math.Pow(20, rng.Float64()))
}

// cut runs one trial: boot the filesystem, start the writer, cut the
// power, check the crash images.
func (pc *powerCut) cut(trial int) {
	t := pc.t
	seed := pc.rng.Uint64()
	rng := rand.New(rand.NewPCG(seed, uint64(trial)))
	sc := pc.scenarios[trial%len(pc.scenarios)]
	disk := powercut.Image{}
	acked := map[uint64]crashID{}
	var truncatedTo uint64
	switch {
	case sc == existingDir, sc == afterKill, sc == recovery && pc.carry == nil:
		if sc == recovery {
			sc = existingDir
		}
		disk.Dirs = []string{walDir}
	case sc == recovery:
		disk, acked, truncatedTo = pc.carry.img, maps.Clone(pc.carry.acked), pc.carry.truncatedTo
	}
	fs, err := powercut.New(disk)
	if err != nil {
		t.Fatal(err)
	}
	unmount, err := fs.Mount(pc.mnt)
	if errors.Is(err, powercut.ErrUnavailable) {
		t.Skipf("the power-cut test needs a FUSE mount, and this machine has none: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := unmount(); err != nil {
			t.Fatalf("unmount %s: %v", pc.mnt, err)
		}
	}()
	changes, ackLimit := pc.cutAt(trial, rng)
	what := fmt.Sprintf("cut %d (seed %d, %s, after %d changes", trial, seed, sc, changes)
	if ackLimit < math.MaxInt {
		what += fmt.Sprintf(" or %d acknowledgements", ackLimit)
	}
	what += ")"
	if sc == afterKill {
		kill := 1 + rng.IntN(1500)
		_, trunc := pc.runWriter(fs, killedTrial+trial, fmt.Sprintf("%s, killed after %d changes", what, kill), acked, writerStop{killAt: kill})
		truncatedTo = max(truncatedTo, trunc)
		changes += fs.Changes()
	}
	fs.FreezeAfter(changes)

	acks, trunc := pc.runWriter(fs, trial, what, acked, writerStop{acks: ackLimit})
	truncatedTo = max(truncatedTo, trunc)
	what = fmt.Sprintf("%s, %d acknowledged", what, acks)

	// Identical images get one check: recovery reads files, and the same
	// files give the same verdict. Each image is drawn a few times over to
	// find one not yet seen, where the unsynced state allows that many.
	var last *carried
	seen := map[[sha256.Size]byte]bool{}
	draws := uint64(0)
	for _, class := range imageClasses {
		for k := range class.count {
			var img powercut.Image
			fresh := false
			for range distinctDraws {
				draws++
				img = class.build(fs, rand.New(rand.NewPCG(seed, draws)))
				if key := fingerprint(img); !seen[key] {
					seen[key], fresh = true, true
					break
				}
			}
			if !fresh {
				pc.report.counts(class.name).duplicates++
				pc.report.scenarioCounts(sc).duplicates++
				continue
			}
			v := pc.check(img, acked, truncatedTo)
			pc.report.counts(class.name).add(v)
			pc.report.scenarioCounts(sc).add(v)
			if v.failed() {
				pc.fail("%s: %s image %d of %s", pc.s.Name, class.name, k, describeVerdict(what, v))
			} else {
				last = &carried{img, acked, truncatedTo}
			}
		}
	}
	if last != nil && sc != recovery {
		pc.carry = last // one generation deep: logs stay small, and checks fast
	}
}

// writerStop says when runWriter stops its writer: at the cut, which it
// makes itself at the acks-th acknowledgement if FreezeAfter has not made
// it before; or, with killAt, with a plain SIGKILL once the filesystem has
// seen killAt changes (anywhere in a write, not only after an
// acknowledgement), no cut, so that what the writer wrote stays live.
type writerStop struct {
	acks   int
	killAt int
}

// runWriter starts the writer on the mount, collects its acknowledgements
// into acked until stop, kills it, and returns how many it acknowledged and
// the highest index it asked TruncateFront to keep.
func (pc *powerCut) runWriter(fs *powercut.FS, trial int, what string, acked map[uint64]crashID, stop writerStop) (acks int, truncatedTo uint64) {
	t := pc.t
	cmd, lines, stderr := startTestBinary(t, childRunPattern(t.Name()), powerCutChildEnv+"=1", childStageEnv+"="+pc.s.Name,
		childDirEnv+"="+filepath.Join(pc.mnt, walDir), childTrialEnv+"="+strconv.Itoa(trial))
	frozen := fs.Frozen()
	var killed <-chan struct{}
	if stop.killAt > 0 {
		done := make(chan struct{})
		defer close(done)
		frozen, killed = nil, changesReached(fs, stop.killAt, done)
	}
	deadline := time.After(time.Minute) // a writer that neither works nor fails
	for lines != nil {
		select {
		case line, ok := <-lines:
			switch {
			case !ok:
				lines = nil
			case strings.HasPrefix(line, "ack "):
				a := parseAck(t, line)
				if prev, twice := acked[a.index]; twice {
					pc.fail("%s: %s: index %d acknowledged twice: %v and %v", pc.s.Name, what, a.index, prev, a.id)
				}
				acked[a.index] = a.id
				if acks++; stop.killAt == 0 && acks >= stop.acks {
					fs.Freeze()
				}
			case strings.HasPrefix(line, "trunc "):
				n, _ := parseUint(strings.TrimPrefix(line, "trunc "))
				truncatedTo = max(truncatedTo, n)
			case strings.HasPrefix(line, "error "):
				select {
				case <-fs.Frozen(): // what every call says once the power is off
				default:
					pc.fail("%s: %s: the writer failed before the cut: %s", pc.s.Name, what, line)
				}
			case line == "opening", line == "ready":
			default:
				pc.fail("%s: %s: the writer said %q; stderr: %s", pc.s.Name, what, line, stderr)
			}
		case <-frozen:
			cmd.Process.Kill()
			frozen = nil
		case <-killed:
			cmd.Process.Kill()
			killed = nil
		case <-deadline:
			pc.fail("%s: %s: the writer neither reached the cut nor failed within a minute; stderr: %s", pc.s.Name, what, stderr)
			fs.Freeze()
		}
	}
	if stop.killAt == 0 {
		fs.Freeze() // if the writer ended by itself
	}
	cmd.Process.Kill()
	cmd.Wait()
	return acks, truncatedTo
}

// check writes img to the real disk, checks the log in it, and removes it.
func (pc *powerCut) check(img powercut.Image, acked map[uint64]crashID, truncatedTo uint64) imageVerdict {
	t := pc.t
	if err := os.RemoveAll(pc.imageDir); err != nil {
		t.Fatal(err)
	}
	if err := img.WriteTo(pc.imageDir); err != nil {
		t.Fatal(err)
	}
	return checkPowerImage(pc.s, filepath.Join(pc.imageDir, walDir), acked, truncatedTo)
}

// describeVerdict says what went wrong in one image, with the first few
// entries lost or foreign.
func describeVerdict(what string, v imageVerdict) string {
	var b strings.Builder
	b.WriteString(what)
	if v.refused != nil {
		fmt.Fprintf(&b, ": refused: %v", v.refused)
	}
	if v.noDir {
		b.WriteString(": the image has no log directory (its creation never made durable)")
	}
	if len(v.lost) > 0 {
		fmt.Fprintf(&b, ": lost %d of %d acknowledged entries: %s", len(v.lost), v.checked, firstFew(v.lost))
	}
	if len(v.foreign) > 0 {
		fmt.Fprintf(&b, ": %d foreign entries: %s", len(v.foreign), firstFew(v.foreign))
	}
	if v.appendErr != nil {
		fmt.Fprintf(&b, ": appending after the cut: %v", v.appendErr)
	}
	return b.String()
}

func firstFew(items []string) string {
	const few = 3
	if len(items) <= few {
		return strings.Join(items, "; ")
	}
	return fmt.Sprintf("%s; ... (%d more)", strings.Join(items[:few], "; "), len(items)-few)
}

// changesReached returns a channel that is closed once fs has seen n
// changes. It stops looking when stop closes.
func changesReached(fs *powercut.FS, n int, stop <-chan struct{}) <-chan struct{} {
	reached := make(chan struct{})
	go func() {
		for fs.Changes() < n {
			select {
			case <-stop:
				return
			case <-time.After(200 * time.Microsecond):
			}
		}
		close(reached)
	}()
	return reached
}
