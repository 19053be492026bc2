package harness

import "time"

// A Cell is one result row: one workload on one log in one setting. It is
// the schema of results.json (and the columns of results.csv), shared by
// compare and compare/peers, whose cells compare reads back as its own.
type Cell struct {
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
	SyncsPerK  float64 `json:"syncs_per_1000"` // 0: not counted
	WritesPerK float64 `json:"writes_per_1000"`
	SpeedupVs1 float64 `json:"speedup_vs_stage1"` // filled in by the report
	// CeilingFraction, the writers workload only: entries/s over the
	// log's own Little's-law ceiling at the same writers (filled in by the
	// report: report.FillCeilings); 0 where there is none.
	CeilingFraction float64 `json:"ceiling_fraction,omitempty"`
	// CPU: user + system CPU time of the whole process while measuring
	// (getrusage), per entry, and over wall time and the number of CPUs
	// (1: every CPU busy throughout).
	CPUusPerEntry  float64 `json:"cpu_us_per_entry"`
	CPUUtilisation float64 `json:"cpu_utilisation"`

	// DeviceReadMBps, the replay workload only: the device's own
	// sequential read rate at the time of the cell, in MB/s (the median of
	// reads of a file as large as the log, through direct I/O, just before
	// and just after the replays); 0 where direct I/O is refused.
	DeviceReadMBps float64 `json:"device_read_mb_per_s,omitempty"`

	// The reads workload only: the trace replayed, and the share of reads
	// served by the stage's own cache. nil where it cannot be counted: no
	// cache, or the kernel's page cache, which keeps no score.
	Trace    string   `json:"trace,omitempty"`
	HitRatio *float64 `json:"hit_ratio,omitempty"`
}

// NewCell is the row for r: workload on the log named stage, with writers
// goroutines and entries of size bytes.
func NewCell(workload, stage string, writers, size int, r Result) Cell {
	c := Cell{
		Workload: workload, Stage: stage, Writers: writers, EntrySize: size,
		Entries: r.Entries, Seconds: r.Elapsed.Seconds(),
		EntriesPS: r.PerSecond(),
		MBps:      r.PerSecond() * float64(size) / 1e6,
		P50us:     micros(r.Latency.P50),
		P99us:     micros(r.Latency.P99),
		P999us:    micros(r.Latency.P999),

		CPUusPerEntry:  r.CPUPerEntry(),
		CPUUtilisation: r.CPUUtilisation(),
	}
	if r.Counted {
		c.SyncsPerK, c.WritesPerK = r.PerThousand(r.Counts.Syncs), r.PerThousand(r.Counts.Writes)
	}
	return c
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
