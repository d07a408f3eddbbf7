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

// BenchmarkSlashExplainHTTP drives freshly signed /explain commands through careerbot's whole
// HTTP stack (loopback TCP, signature check, form parsing, routing, resolution, Block Kit
// rendering, JSON) from parallel clients.
func BenchmarkSlashExplainHTTP(b *testing.B) {
	h := newHarness(b)
	queries := []string{"raft", "2pc", "how does raft elect a leader", "k8s", "consistency"}
	loadtest.Run(b, func(i int) *http.Request {
		body := url.Values{"team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {"U1"},
			"command": {"/explain"}, "text": {queries[i%len(queries)]}, "response_url": {h.fake.ResponseURL("b")}}.Encode()
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/slack/commands", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", sign(testSecret, ts, []byte(body)))
		return req
	})
}
