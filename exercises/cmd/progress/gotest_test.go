package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A go test -json stream with a passing step, a failing one (testify's
// output, and a subtest), and a step that never finished (the binary died).
const events = `{"Action":"run","Test":"TestStep2_Decode"}
{"Action":"output","Test":"TestStep2_Decode","Output":"    record_test.go:43: \n"}
{"Action":"output","Test":"TestStep2_Decode","Output":"        \tError Trace:\t/x/record_test.go:43\n"}
{"Action":"output","Test":"TestStep2_Decode","Output":"        \tError:      \tReceived unexpected error:\n"}
{"Action":"output","Test":"TestStep2_Decode","Output":"        \t            \tnot written yet\n"}
{"Action":"output","Test":"TestStep2_Decode","Output":"        \tTest:       \tTestStep2_Decode\n"}
{"Action":"output","Test":"TestStep2_Decode","Output":"        \tMessages:   \tdecoding a 5-byte payload\n"}
{"Action":"run","Test":"TestStep2_Decode/sub"}
{"Action":"pass","Test":"TestStep2_Decode/sub"}
{"Action":"fail","Test":"TestStep2_Decode"}
{"Action":"run","Test":"TestStep1_Append"}
{"Action":"pass","Test":"TestStep1_Append"}
{"Action":"run","Test":"TestStep10_Last"}
{"Action":"output","Test":"TestStep10_Last","Output":"panic: boom\n"}
{"Action":"output","Output":"FAIL\n"}
`

func TestParseEvents(t *testing.T) {
	r := parseEvents([]byte(events), "")
	require.Empty(t, r.buildErr)
	require.Len(t, r.tests, 3, "top-level tests only")
	assert.Equal(t, []string{"TestStep1_Append", "TestStep2_Decode", "TestStep10_Last"},
		[]string{r.tests[0].name, r.tests[1].name, r.tests[2].name}, "in step order, 10 after 2")
	assert.Equal(t, []string{"TestStep1_Append"}, r.passed())
	assert.Equal(t, []string{"TestStep2_Decode", "TestStep10_Last"}, r.failed(), "a test that never finished failed")
	assert.Equal(t, "decoding a 5-byte payload Received unexpected error: not written yet", r.tests[1].message())
	assert.Equal(t, "panic: boom", r.tests[2].message())
}

func TestParseEventsBuildFailure(t *testing.T) {
	out := `{"Action":"output","Output":"go: downloading example.com/m v1.0.0\n"}
{"Action":"output","Output":"# walworkshop/exercises/02_record\n"}
{"Action":"output","Output":"record.go:12:2: undefined: foo\n"}
{"Action":"output","Output":"FAIL\twalworkshop/exercises/02_record [build failed]\n"}
`
	r := parseEvents([]byte(out), "")
	assert.Empty(t, r.tests)
	assert.True(t, strings.Contains(r.buildErr, "undefined: foo"), "the compiler's line: %q", r.buildErr)
}

func TestBrokenTags(t *testing.T) {
	tags, err := brokenTags("../../04_groupcommit")
	require.NoError(t, err)
	assert.Equal(t, []string{"broken_ack_before_sync", "broken_retry_sync"}, tags)
}
