package directcache

// The layout of a log on disk, exported for the harness: its reads
// workload uses these sizes to lay out entries one per page, so that a page
// fetched from the disk is an entry read from the disk, and the cache's
// misses count Reads. Each is the stage's own constant, so the harness
// follows the format when it changes.
const (
	// PageSize is the unit of the page cache and of its reads from the disk.
	PageSize = pageSize
	// SegmentHeaderSize is the size of the header every segment starts with.
	SegmentHeaderSize = segmentHeaderSize
	// RecordHeaderSize is the size of the header before every payload.
	RecordHeaderSize = headerSize
)
