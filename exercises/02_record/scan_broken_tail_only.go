//go:build broken_tail_only && !solution

package record

// A broken variant, for the tests to catch: every damage is taken for a
// torn tail. The log opens, shorter, and the acknowledged records after
// the damage are silently gone.
func Scan(b []byte) (payloads [][]byte, end int, err error) {
	for end < len(b) {
		payload, size, err := Decode(b[end:])
		if err != nil {
			break
		}
		payloads = append(payloads, payload)
		end += size
	}
	return payloads, end, nil
}
