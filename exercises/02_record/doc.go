// Package record is exercise 02: the record format every stage of the kit
// writes, and the scan recovery runs over a log at Open.
//
//	+---------+---------+------------------------+
//	| CRC32C  | length  | payload (length bytes) |
//	| 4 bytes | 4 bytes |                        |
//	+---------+---------+------------------------+
//	  little-endian; the CRC covers the length field and the payload
//
// You write Append, Decode and Scan (record.go). README.md has the steps.
package record

import "errors"

const (
	// HeaderSize is the size of a record header: CRC32C (4), length (4).
	HeaderSize = 8
	// MaxPayload is the largest payload a record holds. Decode also uses it
	// to reject a damaged length before trusting it.
	MaxPayload = 8 << 20
)

var (
	// ErrTooLarge is returned by Append for a payload over MaxPayload.
	ErrTooLarge = errors.New("record: payload too large")
	// ErrInvalid is returned by Decode when b does not start with a whole,
	// valid record.
	ErrInvalid = errors.New("record: no valid record")
	// ErrCorrupt is returned by Scan for damage that a valid record follows:
	// damage in the middle of the log, not a torn tail.
	ErrCorrupt = errors.New("record: corrupt log")
)
