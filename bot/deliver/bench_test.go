package deliver_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/redistest"
	"github.com/careerbot/careerbot/jobs"
)

// BenchmarkDeliver is the delivery loop's throughput with pacing off: b.N deliveries over 20
// Slack and 20 Discord channels, from a real Redis (appendfsync always, as the tests run it)
// to the fakes, by one deliverer (64 channels at once at most; here 40). Each delivery is a claim, a render, a post over loopback
// HTTP and its record.
func BenchmarkDeliver(b *testing.B) {
	rdb := redistest.Start(b).Client(b)
	w := newWorld(b, rdb)
	ctx := context.Background()
	var os []jobs.Opening
	for i := range 50 {
		os = append(os, jobs.Opening{ID: fmt.Sprintf("remoteok:%d", i), Source: "remoteok", Title: fmt.Sprintf("Platform Engineer %d", i),
			Company: "Acme", Description: "Kafka and Kubernetes.", URL: fmt.Sprintf("https://remoteok.com/remote-jobs/%d", i), FirstSeen: time.Now()})
	}
	if err := w.st.PutOpenings(ctx, os); err != nil {
		b.Fatal(err)
	}
	var ds []jobs.Delivery
	subs := map[string]int64{}
	for i := range b.N {
		ch := fmt.Sprintf("C%02d", i%20)
		ws := "slack:T1"
		if i%2 == 1 {
			ws, ch = "discord:1000", fmt.Sprintf("%d", 900000+i%20)
		}
		id, ok := subs[ws+ch]
		if !ok {
			s, err := w.st.Subscribe(ctx, jobs.Subscription{Workspace: ws, Channel: ch, Query: "kafka", Created: time.Now()})
			if err != nil {
				b.Fatal(err)
			}
			id, subs[ws+ch] = s.ID, s.ID
		}
		o := os[i%len(os)]
		ds = append(ds, jobs.Delivery{Workspace: ws, Channel: ch, Key: fmt.Sprintf("k%d", i), Subscription: id, Openings: []string{o.ID}})
	}
	for start := 0; start < len(ds); start += 1000 {
		if _, err := w.st.Enqueue(ctx, ds[start:min(start+1000, len(ds))]); err != nil {
			b.Fatal(err)
		}
	}
	d := w.deliverer("bench", nil)
	d.Pacer = nil
	b.ResetTimer()
	stop := run(d)
	for w.total() < b.N {
		time.Sleep(time.Millisecond)
	}
	b.StopTimer()
	stop()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
}
