package kvstore

import (
	"errors"
	"fmt"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"walworkshop/exercises/internal/crash"
	"walworkshop/exercises/internal/kvcrash"
)

func TestMain(m *testing.M) {
	crash.Main(m, map[string]crash.Child{"kv": kvChild})
}

func open(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir)
	require.NoError(t, err)
	return s
}

// requireState checks every key of keys against want (a missing key in
// want must be missing in s).
func requireState(t *testing.T, s *Store, keys []string, want map[string]string) {
	t.Helper()
	for _, k := range keys {
		wantValue, wantOK := want[k]
		value, ok := s.Get(k)
		require.Equal(t, wantOK, ok, "key %q exists?", k)
		require.Equal(t, wantValue, value, "key %q", k)
	}
}

func TestStep1_PutGet(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	require.NoError(t, s.Put("a", "1"))
	require.NoError(t, s.Put("b", "2"))
	require.NoError(t, s.Put("a", "3"))
	requireState(t, s, []string{"a", "b", "c"}, map[string]string{"a": "3", "b": "2"})
	require.NoError(t, s.Put("empty", ""))
	value, ok := s.Get("empty")
	assert.True(t, ok, "an empty value is a value")
	assert.Equal(t, "", value)
}

func TestStep2_Delete(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	require.NoError(t, s.Put("a", "1"))
	require.NoError(t, s.Put("b", "2"))
	require.NoError(t, s.Delete("a"))
	require.NoError(t, s.Delete("never there"), "deleting a missing key is not an error")
	requireState(t, s, []string{"a", "b", "never there"}, map[string]string{"b": "2"})
	require.NoError(t, s.Put("a", "again"))
	requireState(t, s, []string{"a"}, map[string]string{"a": "again"})
}

func TestStep3_ReplayOnOpen(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	want := map[string]string{}
	var keys []string
	for i := range 100 {
		k := "key" + strconv.Itoa(i%17)
		keys = append(keys, k)
		if i%4 == 3 {
			require.NoError(t, s.Delete(k))
			delete(want, k)
		} else {
			require.NoError(t, s.Put(k, fmt.Sprint("value ", i)))
			want[k] = fmt.Sprint("value ", i)
		}
	}
	require.NoError(t, s.Close())

	s = open(t, dir)
	requireState(t, s, keys, want) // overwritten values, deleted keys
	require.NoError(t, s.Put("after", "reopen"))
	require.NoError(t, s.Close())

	s = open(t, dir)
	defer s.Close()
	want["after"] = "reopen"
	requireState(t, s, append(keys, "after"), want)
}

// memLog is a Log in memory whose Append fails once failAt entries are in.
type memLog struct {
	entries [][]byte
	failAt  int
}

var errAppend = errors.New("injected append failure")

func (l *memLog) Append(data []byte) (uint64, error) {
	if len(l.entries) >= l.failAt {
		return 0, errAppend
	}
	l.entries = append(l.entries, append([]byte(nil), data...))
	return uint64(len(l.entries)), nil
}

func (l *memLog) Replay(from uint64, fn func(uint64, []byte) error) error {
	for i := from; i <= uint64(len(l.entries)); i++ {
		if err := fn(i, l.entries[i-1]); err != nil {
			return err
		}
	}
	return nil
}

func (l *memLog) Close() error { return nil }

func TestStep4_LogBeforeApply(t *testing.T) {
	log := &memLog{failAt: 2}
	s, err := OpenLog(log)
	require.NoError(t, err)
	require.NoError(t, s.Put("a", "1"))
	require.NoError(t, s.Put("b", "2"))

	require.ErrorIs(t, s.Put("a", "changed"), errAppend, "the log's error reaches the caller, wrapped")
	require.ErrorIs(t, s.Put("c", "new"), errAppend)
	require.ErrorIs(t, s.Delete("b"), errAppend)
	requireState(t, s, []string{"a", "b", "c"}, map[string]string{"a": "1", "b": "2"})

	assert.Len(t, log.entries, 2, "one entry per acknowledged change")
	s2, err := OpenLog(&memLog{entries: log.entries, failAt: 100})
	require.NoError(t, err)
	requireState(t, s2, []string{"a", "b", "c"}, map[string]string{"a": "1", "b": "2"})
}

// kvChild runs kill trials' operations until it is killed.
func kvChild(dir string, trial int, r *crash.Reporter) error {
	s, err := Open(dir)
	if err != nil {
		return err
	}
	r.Ready()
	return kvcrash.Run(s, trial, r, nil)
}

func TestStep5_SurvivesKill(t *testing.T) {
	dir := t.TempDir()
	model := kvcrash.NewModel()
	crash.Kill(t, "kv", dir, 20, func(trial int, acks []string) {
		s := open(t, dir)
		defer s.Close()
		model.Check(t, trial, acks, s)
	})
	t.Logf("20 kills, %d acknowledged changes", model.Acked())
}
