package redisstore_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/redistest"
	"github.com/careerbot/careerbot/knowledge"
	"github.com/careerbot/careerbot/knowledge/redisstore"
	"github.com/redis/go-redis/v9"
)

// roundTrips counts the commands and pipelines a client sends: each is one round trip.
type roundTrips struct{ n atomic.Int64 }

func (r *roundTrips) DialHook(next redis.DialHook) redis.DialHook { return next }

func (r *roundTrips) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		r.n.Add(1)
		return next(ctx, cmd)
	}
}

func (r *roundTrips) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		r.n.Add(1)
		return next(ctx, cmds)
	}
}

func benchStore(b *testing.B) (*redisstore.Store, *roundTrips) {
	b.Helper()
	rdb := redistest.Client(b)
	rt := &roundTrips{}
	rdb.AddHook(rt)
	return redisstore.New(rdb), rt
}

func BenchmarkShare(b *testing.B) {
	s, rt := benchStore(b)
	ctx := context.Background()
	ws := fmt.Sprintf("slack:B%d", time.Now().UnixNano())
	i := 0
	rt.n.Store(0)
	b.ReportAllocs()
	for b.Loop() {
		i++
		m := knowledge.Material{URL: fmt.Sprintf("https://example.org/%d", i), Topic: "raft", SharedBy: "U1", SharedAt: time.Now()}
		if _, _, err := s.Share(ctx, ws, m); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rt.n.Load())/float64(b.N), "roundtrips/op")
}

func BenchmarkListTop20(b *testing.B) {
	s, rt := benchStore(b)
	ctx := context.Background()
	ws := fmt.Sprintf("slack:B%d", time.Now().UnixNano())
	for i := range 200 {
		m := knowledge.Material{URL: fmt.Sprintf("https://example.org/%d", i), Topic: "raft", SharedBy: "U1", SharedAt: time.Now()}
		if _, _, err := s.Share(ctx, ws, m); err != nil {
			b.Fatal(err)
		}
		if _, _, err := s.Upvote(ctx, ws, int64(i+1), fmt.Sprintf("U%d", i%7)); err != nil {
			b.Fatal(err)
		}
	}
	rt.n.Store(0)
	b.ReportAllocs()
	for b.Loop() {
		page, _, err := s.List(ctx, ws, knowledge.ListQuery{Order: knowledge.Top, Limit: 20})
		if err != nil || len(page) != 20 {
			b.Fatal(err, len(page))
		}
	}
	b.ReportMetric(float64(rt.n.Load())/float64(b.N), "roundtrips/op")
}
