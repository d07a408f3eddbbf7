package slack

import (
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// BenchmarkSlashExplainHTTP drives signed /explain requests through careerbot's whole HTTP
// stack (loopback TCP, signature check, form parsing, routing, resolution, Block Kit rendering,
// JSON) from parallel clients, and reports throughput and the 99th-percentile latency.
func BenchmarkSlashExplainHTTP(b *testing.B) {
	h := newHarness(b)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	queries := []string{"raft", "2pc", "how does raft elect a leader", "k8s", "consistency"}
	var (
		mu        sync.Mutex
		latencies []time.Duration
	)
	b.ReportAllocs()
	b.SetParallelism(4) // 4 clients per core
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		i := 0
		for pb.Next() {
			i++
			body := url.Values{"team_id": {"T1"}, "channel_id": {"C1"}, "user_id": {"U1"},
				"command": {"/explain"}, "text": {queries[i%len(queries)]}, "response_url": {h.fake.ResponseURL("b")}}.Encode()
			ts := strconv.FormatInt(time.Now().Unix(), 10)
			req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/slack/commands", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Slack-Request-Timestamp", ts)
			req.Header.Set("X-Slack-Signature", sign(testSecret, ts, []byte(body)))
			t0 := time.Now()
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			mine = append(mine, time.Since(t0))
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
		mu.Lock()
		latencies = append(latencies, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	if len(latencies) == 0 {
		return
	}
	slices.Sort(latencies)
	p := func(q float64) float64 {
		return float64(latencies[int(q*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "req/s")
	b.ReportMetric(p(0.50), "p50-ms")
	b.ReportMetric(p(0.99), "p99-ms")
}
