// Package stages lists the kit's stages for the harness: their names, in
// one place, and each one's Open adapted to harness.Stage. compare and
// compare/peers both measure exactly these.
package stages

import (
	"strings"

	"walworkshop/compare/harness"
	naive "walworkshop/stage1_naive"
	buffered "walworkshop/stage2_buffered"
	groupcommit "walworkshop/stage3_groupcommit"
	prealloc "walworkshop/stage4_prealloc"
	directcache "walworkshop/stage5_direct_cache"
)

// The stages' names, as the tables and charts show them. Variants of a
// stage are named after it: "stage4_prealloc/low-latency".
const (
	Naive       = "stage1_naive"
	Buffered    = "stage2_buffered"
	GroupCommit = "stage3_groupcommit"
	Prealloc    = "stage4_prealloc"
	DirectCache = "stage5_direct_cache"
)

// The production WALs compare/peers measures, as its cells name them.
const (
	Pebble  = "pebble"
	Tidwall = "tidwall"
)

// Baseline is the stage every speedup is measured against.
const Baseline = Naive

// All is every stage with its default options, in teaching order: adding
// a stage is one line here (and its name above).
func All() []harness.Stage {
	return []harness.Stage{
		harness.Adapt(Naive, naive.Open),
		harness.Adapt(Buffered, buffered.Open),
		harness.Adapt(GroupCommit, groupcommit.Open),
		harness.Adapt(Prealloc, prealloc.Open),
		harness.Adapt(DirectCache, directcache.Open),
	}
}

// Variant names a configuration of a stage: "stage4_prealloc/lru".
func Variant(stage, variant string) string { return stage + "/" + variant }

// Find returns the stage of all with the given name, which may be short:
// "3", "stage3" and "stage3_groupcommit" all name stage 3.
func Find(all []harness.Stage, name string) (harness.Stage, bool) {
	name = strings.TrimSpace(name)
	if name != "" && strings.Trim(name, "0123456789") == "" {
		name = "stage" + name
	}
	for _, s := range all {
		if s.Name == name || strings.HasPrefix(s.Name, name+"_") {
			return s, true
		}
	}
	return harness.Stage{}, false
}

// Names lists the names of all, the way an error message offers them:
// "1 stage1_naive, 2 stage2_buffered, ...".
func Names(all []harness.Stage) string {
	var names []string
	for _, s := range all {
		short, _, _ := strings.Cut(strings.TrimPrefix(s.Name, "stage"), "_")
		names = append(names, short+" "+s.Name)
	}
	return strings.Join(names, ", ")
}
