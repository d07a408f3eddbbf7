package slack

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/loadtest"
)

// BenchmarkSlashExplainHTTP drives freshly signed "/explain consistency" commands through
// careerbot's whole HTTP stack (loopback TCP, routing, metrics, signature check, form parsing,
// dispatch, the embedded store's lookup of shared links, Block Kit rendering, JSON) and through
// a bare net/http handler that checks the same signature and writes the same bytes, from the
// same parallel clients, and reports careerbot's throughput as a fraction of the bare one's.
func BenchmarkSlashExplainHTTP(b *testing.B) {
	h := newHarness(b)
	body := url.Values{"team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {"U1"}, "user_name": {"ann"},
		"command": {"/explain"}, "text": {"consistency"}, "response_url": {h.fake.ResponseURL("b")}}.Encode()
	code, answer := h.do(h.signed("/slack/commands", "application/x-www-form-urlencoded", body))
	if code != http.StatusOK || !strings.Contains(string(answer), "Consistency") {
		b.Fatalf("careerbot answered %d: %.200s", code, answer)
	}
	bare := loadtest.Bare(b, answer, func(h http.Header, body []byte) error { return verify(h, body, testSecret, time.Now()) })
	loadtest.Compare(b, h.srv.URL, bare, func(base string, _ int) *http.Request {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req, _ := http.NewRequest(http.MethodPost, base+"/slack/commands", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", sign(testSecret, ts, []byte(body)))
		return req
	})
}
