//go:build solution || broken_zero_header

package record

import "fmt"

func Scan(b []byte) (payloads [][]byte, end int, err error) {
	for end < len(b) {
		payload, size, err := Decode(b[end:])
		if err != nil {
			break
		}
		payloads = append(payloads, payload)
		end += size
	}
	if end == len(b) {
		return payloads, end, nil
	}
	// Something that is not a record sits at end. Recovery may only cut
	// it off if nothing valid hides behind it: look at every offset, since
	// the damage may have destroyed the length that would say where the
	// next record starts. This runs only after damage, so it may be slow.
	for next := end + 1; next+HeaderSize <= len(b); next++ {
		if _, _, err := Decode(b[next:]); err == nil {
			return nil, 0, fmt.Errorf("%w: offset %d: damaged record, but a valid record follows at offset %d",
				ErrCorrupt, end, next)
		}
	}
	return payloads, end, nil // a torn tail: the caller cuts it off
}
