package main

import (
	"walworkshop/compare/harness"
	"walworkshop/compare/stages"
)

// kitStages are the kit's own WALs, in the order they are taught: the same
// list, adapted the same way, as `make compare` measures (compare/stages).
func kitStages() []impl {
	var out []impl
	for _, s := range stages.All() {
		out = append(out, impl{name: s.Name, open: func(dir string) (harness.Log, error) { return s.Open(dir) }})
	}
	return out
}
