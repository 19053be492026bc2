// Package kvcrash is the kill -9 test of the exercises' key-value stores
// (01 and 08): a child process applies a known sequence of puts and
// deletes, acknowledging each, and after every kill the parent checks the
// reopened store against what was acknowledged.
package kvcrash

import (
	"fmt"
	"maps"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"walworkshop/exercises/internal/crash"
)

// Store is what the test drives.
type Store interface {
	Put(key, value string) error
	Delete(key string) error
	Get(key string) (value string, ok bool)
}

const numKeys = 40

// op is operation i of a trial. Child and parent compute the same
// sequence, so the parent knows which operation was in flight at the kill.
func op(trial, i int) (del bool, key, value string) {
	key = fmt.Sprintf("k%02d", (i*7+trial)%numKeys)
	if i%5 == 4 {
		return true, key, ""
	}
	return false, key, fmt.Sprintf("t%d-i%d", trial, i)
}

// Run is the child's work: the operations of trial on s, one at a time,
// each acknowledged through r once it returned. after, if not nil, runs
// after operation i was acknowledged (08 takes snapshots there). Run
// returns only with an error.
func Run(s Store, trial int, r *crash.Reporter, after func(i int) error) error {
	for i := 0; ; i++ {
		del, key, value := op(trial, i)
		var err error
		if del {
			err = s.Delete(key)
		} else {
			err = s.Put(key, value)
		}
		if err != nil {
			return fmt.Errorf("operation %d: %w", i, err)
		}
		r.Ack("%d", i)
		if after != nil {
			if err := after(i); err != nil {
				return fmt.Errorf("after operation %d: %w", i, err)
			}
		}
	}
}

// Model is the state the acknowledged operations of all trials so far
// make.
type Model struct {
	state map[string]string
	acked int
}

func NewModel() *Model { return &Model{state: map[string]string{}} }

// Acked is the number of acknowledged operations so far.
func (m *Model) Acked() int { return m.acked }

// Check applies trial's acknowledged operations to the model, then requires
// s to hold the model's state, with or without the one operation that was
// in flight when the child was killed (it may have become durable without
// being acknowledged).
func (m *Model) Check(t *testing.T, trial int, acks []string, s Store) {
	t.Helper()
	for i, a := range acks {
		require.Equal(t, strconv.Itoa(i), a, "trial %d: acknowledgements out of order", trial)
		m.apply(trial, i)
	}
	m.acked += len(acks)
	withInFlight := &Model{state: maps.Clone(m.state)}
	withInFlight.apply(trial, len(acks))

	got := map[string]string{}
	for k := range numKeys {
		key := fmt.Sprintf("k%02d", k)
		if v, ok := s.Get(key); ok {
			got[key] = v
		}
	}
	if maps.Equal(got, withInFlight.state) {
		m.state = withInFlight.state
	}
	require.Equal(t, m.state, got, "trial %d: after kill -9 the store must hold every acknowledged change", trial)
}

func (m *Model) apply(trial, i int) {
	del, key, value := op(trial, i)
	if del {
		delete(m.state, key)
	} else {
		m.state[key] = value
	}
}
