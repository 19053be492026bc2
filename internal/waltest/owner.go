package waltest

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// childHoldLog opens the log and holds it until the parent kills the
// process: the other owner in testOneOwner.
func childHoldLog(s Stage) int {
	w, err := s.Open(os.Getenv(childDirEnv))
	if err != nil {
		os.Stdout.WriteString("error " + err.Error() + "\n")
		return 3
	}
	os.Stdout.WriteString("ready\n")
	_ = w
	for {
		time.Sleep(time.Hour)
	}
}

// testOneOwner: a log has one owner. A second Open of an open log fails,
// whether it comes from this process or another, with an error that wraps
// ErrLocked and names the directory; Close gives the log up, and so does
// a killed process, without a stale lock.
func testOneOwner(t *testing.T, s Stage) {
	dir := t.TempDir()
	w := mustOpen(t, s, dir)
	if second, err := s.Open(dir); err == nil {
		second.Close()
		t.Fatalf("a second Open of a log that is open succeeded")
	} else {
		checkLocked(t, s, err, dir, "in this process")
	}
	mustClose(t, w)
	w = mustOpen(t, s, dir) // Close released the lock
	appendEntries(t, w, 1, 3)
	mustClose(t, w)

	cmd, lines, stderr := startChild(t, s, "hold", childDirEnv+"="+dir)
	if line := <-lines; line != "ready" {
		t.Fatalf("the holding process printed %q (stderr: %s)", line, stderr)
	}
	_, err := s.Open(dir)
	checkLocked(t, s, err, dir, "process "+strconv.Itoa(cmd.Process.Pid))
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	w = mustOpen(t, s, dir) // the kernel dropped the dead process's lock
	defer w.Close()
	checkLog(t, w, entries(3))
}

func checkLocked(t testing.TB, s Stage, err error, dir, holder string) {
	t.Helper()
	if !errors.Is(err, s.ErrLocked) {
		t.Fatalf("second Open of a log that is open: %v, want an error wrapping ErrLocked", err)
	}
	if msg := err.Error(); !strings.Contains(msg, dir) || !strings.Contains(msg, holder) {
		t.Fatalf("error %q does not name the directory %s and the holder (%s)", msg, dir, holder)
	}
}

// testPrivateFiles: a log holds every write its application ever made, so
// only its owner may read it. Every directory Open creates is 0700 and
// every file in the log's directory 0600, whatever the umask allows.
func testPrivateFiles(t *testing.T, s Stage) {
	dir := filepath.Join(t.TempDir(), "new", "log")
	w := mustOpen(t, s, dir)
	appendEntries(t, w, 1, 3)
	mustClose(t, w)
	for _, d := range []string{filepath.Dir(dir), dir} {
		checkMode(t, d, 0o700)
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == dir {
			return err
		}
		if d.IsDir() {
			checkMode(t, path, 0o700)
		} else {
			checkMode(t, path, 0o600)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func checkMode(t testing.TB, path string, want fs.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s has mode %#o, want %#o", path, got, want)
	}
}
