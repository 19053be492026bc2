package crashfs

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func write(t *testing.T, m *Mem, name, data string, sync bool) {
	t.Helper()
	f, err := m.Create(name)
	require.NoError(t, err)
	_, err = f.Write([]byte(data))
	require.NoError(t, err)
	if sync {
		require.NoError(t, f.Sync())
	}
	require.NoError(t, f.Close())
}

func read(m *Mem, name string) (string, bool) {
	b, err := m.ReadFile(name)
	return string(b), err == nil
}

func TestMemPowerCutKeepsOnlySyncedState(t *testing.T) {
	m := NewMem()
	write(t, m, "d/a", "synced", true)
	_, ok := read(m.PowerImage(), "d/a")
	assert.False(t, ok, "a new name is not durable before its directory is synced")
	require.NoError(t, m.SyncDir("d"))
	got, ok := read(m.PowerImage(), "d/a")
	assert.True(t, ok)
	assert.Equal(t, "synced", got)

	write(t, m, "d/a", "not synced", false)
	got, _ = read(m.PowerImage(), "d/a")
	assert.Equal(t, "synced", got, "unsynced bytes are lost in a power cut")
	got, _ = read(m.KillImage(), "d/a")
	assert.Equal(t, "not synced", got, "a killed process keeps them")

	write(t, m, "d/b.tmp", "new", true)
	require.NoError(t, m.Rename("d/b.tmp", "d/a"))
	got, _ = read(m.PowerImage(), "d/a")
	assert.Equal(t, "synced", got, "a rename is undone by a power cut until the directory is synced")
	got, _ = read(m.KillImage(), "d/a")
	assert.Equal(t, "new", got)
	require.NoError(t, m.SyncDir("d"))
	got, _ = read(m.PowerImage(), "d/a")
	assert.Equal(t, "new", got)
	_, ok = read(m.PowerImage(), "d/b.tmp")
	assert.False(t, ok)
	assert.Equal(t, []string{"d/a"}, m.Names())
}

func TestMemBeforeEachAndMoved(t *testing.T) {
	m := NewMem()
	var ops []string
	m.BeforeEach(func(op string) { ops = append(ops, op) })
	write(t, m, "/s/x", "data", true)
	require.NoError(t, m.SyncDir("/s"))
	assert.Equal(t, []string{"create /s/x", "write /s/x", "sync /s/x", "syncdir /s"}, ops)
	got, ok := read(m.PowerImage().Moved("/s", "/t"), "/t/x")
	assert.True(t, ok)
	assert.Equal(t, "data", got)
}
