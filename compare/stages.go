package main

import (
	"reflect"

	naive "walworkshop/stage1_naive"
	buffered "walworkshop/stage2_buffered"
	groupcommit "walworkshop/stage3_groupcommit"
	prealloc "walworkshop/stage4_prealloc"
	directcache "walworkshop/stage5_direct_cache"
)

// wal is the part of the stage API (SPEC.md) the workloads use, plus the
// two counters every stage's Stats has.
type wal interface {
	Append(data []byte) (uint64, error)
	AppendBatch(entries [][]byte) (uint64, error)
	Replay(from uint64, fn func(uint64, []byte) error) error
	Close() error
	counts() (syncs, writes uint64)
}

type stage struct {
	name string
	open func(dir string) (wal, error)
}

// allStages are the kit's stages in teaching order: adding one is one line.
func allStages() []stage {
	return []stage{
		adapt("stage1_naive", naive.Open),
		adapt("stage2_buffered", buffered.Open),
		adapt("stage3_groupcommit", groupcommit.Open),
		adapt("stage4_prealloc", prealloc.Open),
		adapt("stage5_direct_cache", directcache.Open),
	}
}

type stageWAL[S any] interface {
	Append(data []byte) (uint64, error)
	AppendBatch(entries [][]byte) (uint64, error)
	Replay(from uint64, fn func(uint64, []byte) error) error
	Stats() S
	Close() error
}

// adapt wraps a stage's Open; every stage has its own Options and Stats
// types, so the type parameters are inferred from open.
func adapt[O any, S any, W stageWAL[S]](name string, open func(string, O) (W, error)) stage {
	return stage{name: name, open: func(dir string) (wal, error) {
		var opts O // the zero Options is each stage's default (SPEC.md)
		w, err := open(dir, opts)
		if err != nil {
			return nil, err
		}
		return adapted[S]{w}, nil
	}}
}

type adapted[S any] struct{ stageWAL[S] }

// counts reads Syncs and Writes by name: later stages add fields to Stats.
func (a adapted[S]) counts() (syncs, writes uint64) {
	v := reflect.ValueOf(a.Stats())
	return v.FieldByName("Syncs").Uint(), v.FieldByName("Writes").Uint()
}
