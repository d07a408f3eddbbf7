package discord

import (
	"crypto/ed25519"
	"encoding/hex"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
)

// BenchmarkInteractionHTTP drives signed /explain interactions through careerbot's whole HTTP
// stack (loopback TCP, Ed25519 verification, JSON decoding, routing, resolution, rendering) from
// parallel clients and reports throughput and the 99th-percentile latency.
func BenchmarkInteractionHTTP(b *testing.B) {
	h := newHarness(b, 0)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var bodies []string
	for _, q := range []string{"raft", "2pc", "how does raft elect a leader", "k8s", "consistency"} {
		bodies = append(bodies, interaction(discordgo.InteractionApplicationCommand,
			slashCmd("explain", opt("topic", discordgo.ApplicationCommandOptionString, q)), member("U1", memberPerms)))
	}
	var (
		mu        sync.Mutex
		latencies []time.Duration
	)
	b.ReportAllocs()
	b.SetParallelism(4)
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		i := 0
		for pb.Next() {
			i++
			body := bodies[i%len(bodies)]
			ts := strconv.FormatInt(time.Now().Unix(), 10)
			req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/discord/interactions", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-Signature-Timestamp", ts)
			req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(h.priv, []byte(ts+body))))
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
