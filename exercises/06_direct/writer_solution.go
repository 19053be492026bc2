//go:build solution || broken_unaligned_length

package direct

// Writer writes groups of records to f, each group with one WriteAt of an
// aligned buffer, at a block-aligned offset, of a whole number of blocks.
type Writer struct {
	f     WriterAt
	block int64
	end   int64  // where the next group goes: always a multiple of block
	buf   []byte // aligned; reused while it is big enough
}

func NewWriter(f WriterAt, block int64) (*Writer, error) {
	if err := checkBlock(block); err != nil {
		return nil, err
	}
	return &Writer{f: f, block: block}, nil
}
