package directcache

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// A segment is one file of the log. Its first segmentHeaderSize bytes name
// it, written together with its first group of records:
//
//	+------------+----------------+-------------+---------+---------+
//	| "WALSEG5\0"| segment number | first index | CRC32C  | zero    |
//	| 8 bytes    | 8 bytes        | 8 bytes     | 4 bytes | 4 bytes |
//	+------------+----------------+-------------+---------+---------+
//
// A prepared segment that was never used has an all-zero header. The first
// index is what lets recovery notice entries lost between two segments, and
// what FirstIndex reports once older segments were truncated away.
const segmentHeaderSize = 32

var segmentMagic = []byte("WALSEG5\x00")

type segment struct {
	num     uint64
	path    string
	f       logFile // nil until the segment's file is prepared and handed over
	first   uint64  // index of its first entry
	offsets []int64 // where each durable entry starts; guarded by the index lock
	end     int64   // where the record after the last durable entry starts
	dirtyTo int64   // after recovery: the end of the non-zero bytes after end

	// What recovery found in the header.
	unused   bool // all zeros: prepared, never written to (if dirtyTo is 0)
	headerOK bool // a valid header naming this segment
}

func (s *segment) last() uint64 { return s.first + uint64(len(s.offsets)) - 1 }

func segmentName(num uint64) string { return fmt.Sprintf("%020d.seg", num) }

func encodeSegmentHeader(num, first uint64) []byte {
	h := make([]byte, segmentHeaderSize)
	copy(h, segmentMagic)
	binary.LittleEndian.PutUint64(h[8:16], num)
	binary.LittleEndian.PutUint64(h[16:24], first)
	binary.LittleEndian.PutUint32(h[24:28], crc32c(h[:24]))
	return h
}

// decodeSegmentHeader returns the segment number and first index stored in
// h. unused reports an all-zero header: a prepared segment never written to.
func decodeSegmentHeader(h []byte) (num, first uint64, unused, ok bool) {
	if len(h) < segmentHeaderSize {
		return 0, 0, len(h) == 0 || isZero(h), false
	}
	if isZero(h[:segmentHeaderSize]) {
		return 0, 0, true, false
	}
	if !bytes.Equal(h[:8], segmentMagic) || binary.LittleEndian.Uint32(h[24:28]) != crc32c(h[:24]) {
		return 0, 0, false, false
	}
	return binary.LittleEndian.Uint64(h[8:16]), binary.LittleEndian.Uint64(h[16:24]), false, true
}

func isZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// listSegments returns the numbers of the segment files in dir, in order,
// and removes leftovers of preparations a crash interrupted.
func listSegments(dir string) ([]uint64, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("wal: list %s: %w", dir, err)
	}
	var nums []uint64
	for _, e := range entries {
		name := e.Name()
		if strings.HasSuffix(name, ".tmp") && isSegmentName(strings.TrimSuffix(name, ".tmp")) {
			if err := os.Remove(filepath.Join(dir, name)); err != nil {
				return nil, fmt.Errorf("wal: remove leftover %s: %w", name, err)
			}
			continue
		}
		if !isSegmentName(name) {
			continue // not ours
		}
		num, _ := strconv.ParseUint(strings.TrimSuffix(name, ".seg"), 10, 64)
		nums = append(nums, num)
	}
	slices.Sort(nums)
	return nums, nil
}

// isSegmentName reports whether name is one segmentName makes: 20 digits
// and ".seg". Anything else in the directory is not the WAL's to touch.
func isSegmentName(name string) bool {
	digits, ok := strings.CutSuffix(name, ".seg")
	if !ok || len(digits) != 20 {
		return false
	}
	_, err := strconv.ParseUint(digits, 10, 64)
	return err == nil
}
