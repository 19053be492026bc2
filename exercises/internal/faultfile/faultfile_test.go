package faultfile

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFailedSyncLosesUnsyncedBytes(t *testing.T) {
	f := New(0)
	f.FailSync(2)
	f.Write([]byte("one"))
	require.NoError(t, f.Sync())
	f.Write([]byte("two"))
	assert.Equal(t, "onetwo", string(f.Written()))
	assert.Equal(t, "one", string(f.Durable()), "written is not durable")
	require.ErrorIs(t, f.Sync(), ErrInjected)
	assert.Equal(t, "one", string(f.Written()), "the failed sync lost what it should have written")
	f.Write([]byte("three"))
	require.NoError(t, f.Sync(), "a retried sync reports success")
	assert.Equal(t, "one", string(f.Durable()), "but makes nothing durable")
	assert.Equal(t, 1, f.SyncsAfterFailure())
	assert.Equal(t, [2]int{3, 3}, [2]int{f.Writes(), f.Syncs()})
}
