package stages

import (
	"strings"
	"testing"

	"walworkshop/compare/harness"
)

// Every stage opens, appends durably and counts its syncs through the
// adapter, and the list is in teaching order with the baseline first.
func TestEveryStageMeasures(t *testing.T) {
	all := All()
	if len(all) == 0 || all[0].Name != Baseline {
		t.Fatalf("the first stage is not the baseline %s", Baseline)
	}
	for i, s := range all {
		if i > 0 && strings.Compare(all[i-1].Name, s.Name) >= 0 {
			t.Errorf("%s comes after %s", s.Name, all[i-1].Name)
		}
		log, done, err := harness.OpenFresh(t.TempDir(), s.Name, s.Open)
		if err != nil {
			t.Fatal(err)
		}
		before := log.Counts()
		if _, err := log.Append([]byte("entry")); err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		if after := log.Counts(); after.Syncs <= before.Syncs || after.Writes <= before.Writes {
			t.Errorf("%s: an append counted %+v -> %+v", s.Name, before, after)
		}
		if err := done(); err != nil {
			t.Error(err)
		}
	}
}

// A stage can be named in full, as stageN, or by its number alone; nothing
// else names one.
func TestFind(t *testing.T) {
	all := All()
	for name, want := range map[string]string{
		"3": GroupCommit, "stage3": GroupCommit, GroupCommit: GroupCommit, " 5 ": DirectCache, "1": Naive,
	} {
		if s, ok := Find(all, name); !ok || s.Name != want {
			t.Errorf("Find(%q) = %q, %v, want %q", name, s.Name, ok, want)
		}
	}
	for _, name := range []string{"", "9", "stage", "stage3_", "groupcommit", "stage3_group", "03"} {
		if s, ok := Find(all, name); ok {
			t.Errorf("Find(%q) = %q, want no stage", name, s.Name)
		}
	}
	if got := Names(all[:2]); got != "1 stage1_naive, 2 stage2_buffered" {
		t.Errorf("Names = %q", got)
	}
}
