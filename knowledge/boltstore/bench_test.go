package boltstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/careerbot/careerbot/knowledge"
	"github.com/careerbot/careerbot/knowledge/boltstore"
)

func BenchmarkShare(b *testing.B) {
	s := boltstore.New(open(b))
	ctx := context.Background()
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		m := knowledge.Material{URL: fmt.Sprintf("https://example.org/%d", i), Topic: "raft", SharedBy: "U1", SharedAt: time.Now()}
		if _, _, err := s.Share(ctx, "slack:B1", m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkListTop20(b *testing.B) {
	s := boltstore.New(open(b))
	ctx := context.Background()
	for i := range 200 {
		m := knowledge.Material{URL: fmt.Sprintf("https://example.org/%d", i), Topic: "raft", SharedBy: "U1", SharedAt: time.Now()}
		if _, _, err := s.Share(ctx, "slack:B1", m); err != nil {
			b.Fatal(err)
		}
		if _, _, err := s.Upvote(ctx, "slack:B1", int64(i+1), fmt.Sprintf("U%d", i%7)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		page, _, err := s.List(ctx, "slack:B1", knowledge.ListQuery{Order: knowledge.Top, Limit: 20})
		if err != nil || len(page) != 20 {
			b.Fatal(err, len(page))
		}
	}
}
