package waltest

import (
	"strings"
	"testing"
)

// The tests of the power-cut test itself, on tiny logs: it passes one that
// keeps every acknowledged entry through a power cut, and catches the two
// classic ways of losing them.

func TestMain(m *testing.M) { Main(m, tinyCorrect, tinyAckBeforeSync, tinyNoParentSync) }

// The control: a log that syncs before it acknowledges, and syncs every
// directory it changes, passes every image of every cut. Without this, a
// failure below could be the harness's own.
func TestPowerCutPassesACorrectLog(t *testing.T) {
	r := runPowerCut(t, tinyCorrect, 9, allScenarios)
	t.Logf("%s:\n%s", tinyCorrect.Name, r.table())
	for _, f := range r.failures {
		t.Error(f)
	}
	for _, sc := range allScenarios {
		if c := r.scenarioCounts(sc); c.images == 0 || c.checked == 0 {
			t.Errorf("%s: %d images, %d acknowledged entries checked: the test checked nothing", sc, c.images, c.checked)
		}
	}
}

// A log that acknowledges before fsync survives kill -9, since the kernel
// keeps what was written, and loses acknowledged entries to a power cut.
func TestPowerCutCatchesAckBeforeFsync(t *testing.T) {
	t.Run("KillDuringAppends", func(t *testing.T) { testKillDuringAppends(t, tinyAckBeforeSync) })
	t.Run("PowerCut", func(t *testing.T) {
		r := runPowerCut(t, tinyAckBeforeSync, 6, []scenario{existingDir})
		t.Logf("%s:\n%s", tinyAckBeforeSync.Name, r.table())
		if c := r.counts("durable"); c.lost == 0 {
			t.Fatalf("no acknowledged entry lost in %d durable images of a log that acknowledges before fsync", c.images)
		}
		if !strings.Contains(strings.Join(r.failures, "\n"), "lost") {
			t.Fatalf("the failures do not say what was lost: %q", r.failures)
		}
	})
}

// A log that syncs its files and its directory, but not the parent of the
// directory it created, loses everything when that directory was new, and
// nothing when it was not.
func TestPowerCutCatchesMissingParentSync(t *testing.T) {
	r := runPowerCut(t, tinyNoParentSync, 6, []scenario{newDir, existingDir})
	t.Logf("%s:\n%s", tinyNoParentSync.Name, r.table())
	if c := r.scenarioCounts(newDir); c.lost == 0 {
		t.Fatalf("no acknowledged entry lost in %d images of a new directory never synced into its parent", c.images)
	}
	if !strings.Contains(strings.Join(r.failures, "\n"), "no log directory") {
		t.Fatalf("the failures do not say that the directory is missing: %q", r.failures)
	}
	if c := r.scenarioCounts(existingDir); c.failed > 0 {
		t.Fatalf("%d images of an existing directory failed, but only the new directory's entry was left unsynced: %q", c.failed, r.failures)
	}
}
