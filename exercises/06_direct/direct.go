//go:build !solution && !broken_rewrite_tail && !broken_unaligned_length

package direct

import "errors"

// errTODO is what every function returns until you write it.
var errTODO = errors.New("06_direct: not written yet (see README.md)")

// AlignedBuffer returns a slice of length and capacity n whose first byte
// sits at an address that is a multiple of MemAlign. Go's allocator does
// not promise that for a plain make. A negative n is an error.
func AlignedBuffer(n int) ([]byte, error) {
	return nil, errTODO
}

// PaddingAfter is the size, header included, of the padding record that
// takes a group ending at offset end to the next multiple of block: 0 if
// end is on a boundary already. A padding record needs at least a header
// (walrecord.HeaderSize bytes); a smaller gap is padded to the boundary
// after the next one.
func PaddingAfter(end, block int64) int64 {
	return -1
}

// Writer writes groups of records to f, each group with one WriteAt of an
// aligned buffer, at a block-aligned offset, of a whole number of blocks.
// It is not safe for concurrent use: a WAL's commit loop is its only
// caller.
type Writer struct {
	f     WriterAt
	block int64
	// Add what you need: where the next group goes, a reusable buffer.
}

// NewWriter returns a Writer that starts at offset 0 of f. block must be a
// positive divisor of MemAlign (ErrBadBlock otherwise).
func NewWriter(f WriterAt, block int64) (*Writer, error) {
	return nil, errTODO
}

// WriteGroup encodes entries as records (walrecord.Append) into an aligned
// buffer, pads it to the block with a padding record
// (walrecord.AppendPadding), and writes it with one WriteAt at the end of
// the previous group. It writes nothing for an empty group.
func (w *Writer) WriteGroup(entries [][]byte) error {
	return errTODO
}
