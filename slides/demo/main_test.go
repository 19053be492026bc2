package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"walworkshop/internal/powercut"
)

// TestMain lets the test binary be the demo's writer: round re-executes
// os.Executable with -child, which here is this binary.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "-child" {
		main()
		return
	}
	os.Exit(m.Run())
}

// TestDemo runs two rounds of the demo on a real log: the writer is killed
// twice, and after each kill every acknowledged entry must be back.
func TestDemo(t *testing.T) {
	var out strings.Builder
	if err := demo(&out, filepath.Join(t.TempDir(), "kv"), 2); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"round 1: SIGKILL", "round 2: SIGKILL", "Every acknowledged entry survived 2 kills."} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the demo did not print %q:\n%s", want, out.String())
		}
	}
}

// TestPowercut runs the -powercut demo: stage 1 must keep every
// acknowledged entry through kill -9 and the power cut, in both images;
// the unsafe log must keep them all through kill -9 and lose at least one
// in the durable image of the cut. Where FUSE cannot be mounted it skips.
func TestPowercut(t *testing.T) {
	var out strings.Builder
	runs, err := powerCutDemo(&out)
	if errors.Is(err, powercut.ErrUnavailable) {
		t.Skipf("the -powercut demo needs a FUSE mount: %v", err)
	}
	if runs == nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	t.Logf("\n%s", out.String())
	if err != nil {
		t.Errorf("the demo failed: %v", err) // and says why below
	}
	byLog := map[string]logRun{}
	for _, r := range runs {
		byLog[r.log] = r
	}
	stage1, unsafe := byLog[stage1Log], byLog[unsafeLogName]
	for name, r := range map[string]restart{
		"stage 1, kill -9":         stage1.kill,
		"stage 1, durable image":   stage1.durable,
		"stage 1, writeback image": stage1.wrote,
		"unsafe log, kill -9":      unsafe.kill,
	} {
		if len(r.acked) == 0 {
			t.Errorf("%s: nothing was acknowledged", name)
		}
		if lost := r.lost(); len(lost) > 0 {
			t.Errorf("%s: lost %d of %d acknowledged entries: %s", name, len(lost), len(r.acked), spans(lost))
		}
	}
	if lost := unsafe.durable.lost(); len(lost) == 0 {
		t.Errorf("the unsafe log lost none of its %d acknowledged entries to the power cut: the demo shows nothing", len(unsafe.durable.acked))
	}
	for _, want := range []string{"keeps only what fsync made durable", "durable image", "writeback image"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the demo did not print %q:\n%s", want, out.String())
		}
	}
}
