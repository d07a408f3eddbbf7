// Package loadtest is the load generator of careerbot's HTTP benchmarks: parallel clients send
// requests through a real listener, and the benchmark reports throughput and latency
// percentiles next to Go's own figures.
package loadtest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Run sends requests built by next from 4 clients per core until the benchmark has its b.N,
// fails the benchmark on any status but 200, reports req/s, p50-ms and p99-ms, and returns the
// requests per second.
func Run(b *testing.B, next func(i int) *http.Request) float64 {
	b.Helper()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var (
		mu        sync.Mutex
		latencies []time.Duration
	)
	b.ReportAllocs()
	b.SetParallelism(4)
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for i := 0; pb.Next(); i++ {
			req := next(i)
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
		return 0
	}
	slices.Sort(latencies)
	ms := func(q float64) float64 {
		return float64(latencies[int(q*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	rate := float64(len(latencies)) / elapsed.Seconds()
	b.ReportMetric(rate, "req/s")
	b.ReportMetric(ms(0.50), "p50-ms")
	b.ReportMetric(ms(0.99), "p99-ms")
	return rate
}

// Bare is the baseline of Compare: a bare net/http server that reads the body as careerbot does
// (at most 1 MiB), checks its signature with verify, and writes answer, the bytes careerbot
// answered the same request with. It stops when the benchmark ends.
func Bare(b *testing.B, answer []byte, verify func(h http.Header, body []byte) error) string {
	b.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil || verify(r.Header, body) != nil {
			http.Error(w, "invalid request signature", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(answer)))
		_, _ = w.Write(answer)
	}))
	b.Cleanup(srv.Close)
	return srv.URL
}

// Compare runs the same load against careerbot's server and a bare one that answers the same
// bytes, alternating five rounds of each as sub-benchmarks ("bare-1", "careerbot-1", ...) so
// that a machine's drift touches both, and reports the median of the rounds' throughput ratios
// in a last sub-benchmark, "ratio", as x-bare: 1 means careerbot costs nothing over the bare
// handler.
func Compare(b *testing.B, careerbot, bare string, next func(base string, i int) *http.Request) {
	b.Helper()
	const rounds = 5
	var ratios []float64
	for round := 1; round <= rounds; round++ {
		var ours, theirs float64
		b.Run(fmt.Sprint("bare-", round), func(b *testing.B) { theirs = Run(b, func(i int) *http.Request { return next(bare, i) }) })
		b.Run(fmt.Sprint("careerbot-", round), func(b *testing.B) { ours = Run(b, func(i int) *http.Request { return next(careerbot, i) }) })
		if theirs > 0 {
			ratios = append(ratios, ours/theirs)
		}
	}
	b.Run("ratio", func(b *testing.B) {
		if len(ratios) > 0 {
			slices.Sort(ratios)
			b.ReportMetric(ratios[len(ratios)/2], "x-bare")
		}
	})
}
