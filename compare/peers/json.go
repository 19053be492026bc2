package main

import (
	"encoding/json"
	"os"
	"time"
)

// jsonCell is one median cell in the schema of the kit's harness
// (compare/workloads.go), so `make compare` can show the production WALs
// as extra rows and series.
type jsonCell struct {
	Workload   string  `json:"workload"`
	Stage      string  `json:"stage"`
	Writers    int     `json:"writers"`
	EntrySize  int     `json:"entry_size"`
	Entries    int64   `json:"entries"`
	Seconds    float64 `json:"seconds"`
	EntriesPS  float64 `json:"entries_per_s"`
	MBps       float64 `json:"mb_per_s"`
	P50us      float64 `json:"p50_us"`
	P99us      float64 `json:"p99_us"`
	P999us     float64 `json:"p999_us"`
	SyncsPerK  float64 `json:"syncs_per_1000"`
	WritesPerK float64 `json:"writes_per_1000"`
}

func writeJSON(path string, summaries []summary) error {
	us := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
	var cells []jsonCell
	for _, s := range summaries {
		c := s.median
		jc := jsonCell{
			Workload: "writers", Stage: c.impl, Writers: c.writers, EntrySize: entrySize,
			Entries: c.entries, Seconds: c.elapsed.Seconds(),
			EntriesPS: c.perSecond(), MBps: c.perSecond() * entrySize / 1e6,
			P50us: us(c.p50), P99us: us(c.p99), P999us: us(c.p999),
		}
		if c.counted {
			jc.SyncsPerK, jc.WritesPerK = c.per1000(c.syncs), c.per1000(c.writes)
		}
		cells = append(cells, jc)
	}
	b, err := json.MarshalIndent(cells, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
