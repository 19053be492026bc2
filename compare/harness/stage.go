package harness

import "reflect"

// StageLog is a kit stage seen through Adapt: a Log that counts its
// syscalls and also has the stage API's batches and replay.
type StageLog interface {
	Log
	Counter
	AppendBatch(entries [][]byte) (uint64, error)
	Replay(from uint64, fn func(index uint64, data []byte) error) error
}

// Stage is one stage (or one configuration of it) under test: its name in
// the tables and how to open it in an empty directory.
type Stage struct {
	Name string
	Open func(dir string) (StageLog, error)
}

// stageWAL is the part of the stage API the harness uses. Every stage has
// its own Stats type, hence the type parameter.
type stageWAL[S any] interface {
	Append(data []byte) (uint64, error)
	AppendBatch(entries [][]byte) (uint64, error)
	Replay(from uint64, fn func(index uint64, data []byte) error) error
	Stats() S
	Close() error
}

// Adapt wraps a stage package's Open. Every stage has its own Options, WAL
// and Stats types, so they are type parameters, all inferred from open:
// adding a stage is one call. The zero Options is each stage's default.
func Adapt[O any, S any, W stageWAL[S]](name string, open func(string, O) (W, error)) Stage {
	return Stage{Name: name, Open: func(dir string) (StageLog, error) {
		var opts O
		w, err := open(dir, opts)
		if err != nil {
			return nil, err
		}
		return adapted[S]{w}, nil
	}}
}

type adapted[S any] struct{ stageWAL[S] }

func (a adapted[S]) Counts() Counts { return CountsOf(a.Stats()) }

// CountsOf reads the Syncs and Writes fields of a stage's Stats by name:
// later stages add fields of their own (Segments, CacheHits, ...), so the
// Stats types cannot all be converted to one struct.
func CountsOf(stats any) Counts {
	v := reflect.ValueOf(stats)
	return Counts{Syncs: v.FieldByName("Syncs").Uint(), Writes: v.FieldByName("Writes").Uint()}
}
