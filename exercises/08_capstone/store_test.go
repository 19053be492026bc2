package capstone

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"walworkshop/exercises/internal/crash"
	"walworkshop/exercises/internal/crashfs"
	"walworkshop/exercises/internal/kvcrash"
)

func TestMain(m *testing.M) {
	crash.Main(m, map[string]crash.Child{"capstone": capstoneChild})
}

// testSegment is small, so that a few hundred changes fill many segments
// and TruncateFront has whole segments to drop.
const testSegment = 16 << 10

func open(t *testing.T, dir string, fsys crashfs.FS) *Store {
	t.Helper()
	s, err := Open(dir, Options{SegmentSize: testSegment, FS: fsys})
	require.NoError(t, err)
	return s
}

// change applies change i to s and to want.
func change(t *testing.T, s *Store, want map[string]string, i int) {
	t.Helper()
	key := fmt.Sprintf("key%03d", i%37)
	if i%6 == 5 {
		require.NoError(t, s.Delete(key))
		delete(want, key)
		return
	}
	value := fmt.Sprintf("value %d", i)
	require.NoError(t, s.Put(key, value))
	want[key] = value
}

// requireState checks s holds exactly want, over every key change uses.
func requireState(t *testing.T, s *Store, want map[string]string, when string) {
	t.Helper()
	got := map[string]string{}
	for k := range 37 {
		key := fmt.Sprintf("key%03d", k)
		if v, ok := s.Get(key); ok {
			got[key] = v
		}
	}
	require.Equal(t, want, got, when)
}

func TestStep1_PutGetDelete(t *testing.T) {
	s := open(t, t.TempDir(), nil)
	defer s.Close()
	want := map[string]string{}
	for i := range 50 {
		change(t, s, want, i)
	}
	requireState(t, s, want, "after 50 puts and deletes")
	_, ok := s.Get("never")
	assert.False(t, ok)
}

func TestStep2_ReplayOnOpen(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, nil)
	want := map[string]string{}
	for i := range 100 {
		change(t, s, want, i)
	}
	require.NoError(t, s.Close())
	s = open(t, dir, nil)
	defer s.Close()
	requireState(t, s, want, "reopened: the log replayed")
}

func TestStep3_SnapshotTruncatesTheLog(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, nil)
	want := map[string]string{}
	for i := range 300 {
		change(t, s, want, i)
	}
	last := s.log.LastIndex()
	require.NoError(t, s.Snapshot())
	_, err := os.Stat(filepath.Join(dir, snapshotName))
	require.NoError(t, err, "the snapshot is at dir/snapshot")
	first := s.log.FirstIndex()
	assert.Greater(t, first, uint64(1), "after a snapshot of 300 changes, TruncateFront dropped the old segments")
	assert.LessOrEqual(t, first, last+1, "and only entries the snapshot covers")
	for i := 300; i < 350; i++ {
		change(t, s, want, i)
	}
	require.NoError(t, s.Close())

	s = open(t, dir, nil)
	requireState(t, s, want, "reopened: the snapshot, then the log after it")
	require.NoError(t, s.Snapshot(), "a second snapshot replaces the first")
	require.NoError(t, s.Close())
	s = open(t, dir, nil)
	defer s.Close()
	requireState(t, s, want, "reopened after the second snapshot")
}

// copyDir copies the regular files of src into dst: what a process
// killed at this moment leaves of them (the kernel keeps every write).
// Stage 5 prepares its next segment in the background, under a .tmp name
// renamed when it is ready: a file that vanishes between the listing and
// the read was that one, and a prepared, unused segment is no data.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(dst, 0o700))
	entries, err := os.ReadDir(src)
	require.NoError(t, err)
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dst, e.Name()), b, 0o600))
	}
}

// checkCrashImages opens what a kill -9 and what a power cut at this
// moment would leave, and requires both to hold want. The log is on the
// real disk, and every acknowledged entry in it is durable (stage 5's
// promise), so a copy of its files stands for both; the snapshot is on
// fsys, which keeps both states apart.
func checkCrashImages(t *testing.T, dir string, fsys *crashfs.Mem, want map[string]string, when string) {
	t.Helper()
	for kind, img := range map[string]*crashfs.Mem{"kill -9": fsys.KillImage(), "power cut": fsys.PowerImage()} {
		imgDir := t.TempDir()
		copyDir(t, filepath.Join(dir, walDir), filepath.Join(imgDir, walDir))
		s, err := Open(imgDir, Options{SegmentSize: testSegment, FS: img.Moved(dir, imgDir)})
		require.NoError(t, err, "%s %s: the store does not open", kind, when)
		requireState(t, s, want, fmt.Sprintf("%s %s", kind, when))
		require.NoError(t, s.Close())
	}
}

func TestStep4_SnapshotIsCrashSafe(t *testing.T) {
	dir := t.TempDir()
	fsys := crashfs.NewMem()
	s := open(t, dir, fsys)
	defer s.Close()
	want := map[string]string{}
	points := 0
	for round := range 3 {
		for i := range 100 {
			change(t, s, want, round*100+i)
		}
		acked := maps.Clone(want)
		fsys.BeforeEach(func(op string) {
			points++
			checkCrashImages(t, dir, fsys, acked, fmt.Sprintf("in snapshot %d, before %q", round+1, op))
		})
		require.NoError(t, s.Snapshot())
		fsys.BeforeEach(nil)
		checkCrashImages(t, dir, fsys, acked, fmt.Sprintf("after snapshot %d returned", round+1))
	}
	t.Logf("%d crash points, each opened after a kill -9 and after a power cut", points)
	assert.Greater(t, s.log.FirstIndex(), uint64(1), "the snapshots let the log drop segments")
}

// capstoneChild runs kill trials' operations until it is killed, with a
// snapshot every 10 of them.
func capstoneChild(dir string, trial int, r *crash.Reporter) error {
	s, err := Open(dir, Options{SegmentSize: testSegment})
	if err != nil {
		return err
	}
	r.Ready()
	return kvcrash.Run(s, trial, r, func(i int) error {
		if i%10 == 9 {
			return s.Snapshot()
		}
		return nil
	})
}

func TestStep5_SurvivesKill(t *testing.T) {
	dir := t.TempDir()
	model := kvcrash.NewModel()
	crash.Kill(t, "capstone", dir, 20, func(trial int, acks []string) {
		s := open(t, dir, nil)
		defer s.Close()
		model.Check(t, trial, acks, s)
	})
	t.Logf("20 kills, %d acknowledged changes", model.Acked())
}
