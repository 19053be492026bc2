package main

import (
	"reflect"

	naive "walworkshop/stage1_naive"
	buffered "walworkshop/stage2_buffered"
	groupcommit "walworkshop/stage3_groupcommit"
	prealloc "walworkshop/stage4_prealloc"
	directcache "walworkshop/stage5_direct_cache"
	// ADD A STAGE (1 of 2): import its package here.
)

// kitStages are the kit's own WALs, in the order they are taught.
func kitStages() []impl {
	return []impl{
		kitStage("stage1_naive", naive.Open),
		kitStage("stage2_buffered", buffered.Open),
		kitStage("stage3_groupcommit", groupcommit.Open),
		kitStage("stage4_prealloc", prealloc.Open),
		kitStage("stage5_direct_cache", directcache.Open),
		// ADD A STAGE (2 of 2): one line here.
	}
}

// kitWAL is the part of the stage API (SPEC.md) the workload uses. Every
// stage has its own WAL and Stats types, so the adapter is generic.
type kitWAL[S any] interface {
	Append(data []byte) (uint64, error)
	Stats() S
	Close() error
}

// kitStage adapts a stage package's Open. Every type argument is inferred
// from open, so adding a stage is one line.
func kitStage[O any, S any, W kitWAL[S]](name string, open func(string, O) (W, error)) impl {
	return impl{name: name, open: func(dir string) (appender, error) {
		var opts O // the zero Options is each stage's good default (SPEC.md)
		w, err := open(dir, opts)
		if err != nil {
			return nil, err
		}
		return kitAppender[S]{w}, nil
	}}
}

type kitAppender[S any] struct{ w kitWAL[S] }

func (k kitAppender[S]) Append(data []byte) error {
	_, err := k.w.Append(data)
	return err
}

func (k kitAppender[S]) Close() error { return k.w.Close() }

// syscalls reads Stats fields by name: later stages add fields of their own
// (CacheHits, ...), so the Stats types cannot all be converted to one struct.
func (k kitAppender[S]) syscalls() (writes, syncs uint64) {
	s := reflect.ValueOf(k.w.Stats())
	return s.FieldByName("Writes").Uint(), s.FieldByName("Syncs").Uint()
}
