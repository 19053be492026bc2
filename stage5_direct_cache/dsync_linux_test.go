package directcache

import (
	"os"
	"sync/atomic"
	"testing"

	"walworkshop/internal/waltest"
)

// dsync runs the suite as stage does, but with every group written by
// pwritev2(RWF_DSYNC) and never fdatasynced: the path Open takes on devices
// that advertise FUA.
var dsync = describe("stage5_direct_cache/dsync", Options{SegmentSize: 4096, CacheBytes: 4 * pageSize, GroupSync: GroupSyncDsync})

func init() { variants = append(variants, dsync) }

func TestConformanceDsync(t *testing.T) { waltest.Run(t, dsync) }

// TestGroupSyncPaths: with GroupSyncDsync each group is one RWF_DSYNC
// write and the segment is never fdatasynced; with GroupSyncFdatasync it is
// the other way round. Stats.Syncs counts a group's sync either way.
func TestGroupSyncPaths(t *testing.T) {
	for _, mode := range []GroupSync{GroupSyncDsync, GroupSyncFdatasync} {
		t.Run(mode.String(), func(t *testing.T) {
			var calls fileCalls
			w, err := open(t.TempDir(), Options{GroupSync: mode}, calls.open)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			before, dsyncs, datasyncs := w.Stats(), calls.dsyncs.Load(), calls.datasyncs.Load()
			for i := range 20 {
				if _, err := w.Append([]byte{byte(i)}); err != nil {
					t.Fatal(err)
				}
			}
			after := w.Stats()
			dsyncs, datasyncs = calls.dsyncs.Load()-dsyncs, calls.datasyncs.Load()-datasyncs
			wantDsyncs, wantDatasyncs := uint64(20), uint64(0)
			if mode == GroupSyncFdatasync {
				wantDsyncs, wantDatasyncs = 0, 20
			}
			if dsyncs != wantDsyncs || datasyncs < wantDatasyncs || mode == GroupSyncDsync && datasyncs != 0 {
				t.Errorf("20 lone appends made %d RWF_DSYNC writes and %d fdatasyncs of the active segment, want %d and %d",
					dsyncs, datasyncs, wantDsyncs, wantDatasyncs)
			}
			if after.DsyncWrites != (mode == GroupSyncDsync) {
				t.Errorf("Stats.DsyncWrites = %v with Options.GroupSync %v", after.DsyncWrites, mode)
			}
			if syncs := after.Syncs - before.Syncs; syncs < 20 {
				t.Errorf("Stats.Syncs grew by %d over 20 lone appends, want at least 20", syncs)
			}
		})
	}
}

// fileCalls counts the group writes and syncs of the segment in use. The
// segment being prepared in the background is left out: its file is opened
// under a .tmp name, and only its preparation writes and syncs through it.
type fileCalls struct{ dsyncs, datasyncs atomic.Uint64 }

func (c *fileCalls) open(name string, flag int, perm os.FileMode) (logFile, error) {
	f, err := openOSFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return &countingFile{logFile: f, calls: c}, nil
}

type countingFile struct {
	logFile
	calls   *fileCalls
	records atomic.Bool // a group has been written to it: it is in use
}

func (f *countingFile) WriteAt(p []byte, off int64) (int, error) {
	if isRecord(p) {
		f.records.Store(true)
	}
	return f.logFile.WriteAt(p, off)
}

func (f *countingFile) WriteAtDsync(p []byte, off int64) (int, error) {
	f.records.Store(true)
	f.calls.dsyncs.Add(1)
	return f.logFile.WriteAtDsync(p, off)
}

func (f *countingFile) Datasync() error {
	if f.records.Load() {
		f.calls.datasyncs.Add(1)
	}
	return f.logFile.Datasync()
}

// isRecord tells a group's write from a preparer's zeros.
func isRecord(p []byte) bool {
	for _, b := range p[:min(len(p), headerSize)] {
		if b != 0 {
			return true
		}
	}
	return false
}
