// Package storetest is the contract every knowledge.MaterialStore passes: the same cases run
// against the Redis and the embedded store, so the two cannot drift apart.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/careerbot/careerbot/knowledge"
)

// Run runs the contract. newStore returns a store for one subtest; stores may share their
// backing server, because every subtest uses workspaces of its own.
func Run(t *testing.T, newStore func(t *testing.T) knowledge.MaterialStore) {
	run := time.Now().UnixNano()
	var n atomic.Int64
	ws := func(platform string) string { return fmt.Sprintf("%s:T%d-%d", platform, run, n.Add(1)) }

	cases := []struct {
		name string
		fn   func(t *testing.T, s knowledge.MaterialStore, ws func(string) string)
	}{
		{"ShareAndGet", testShareAndGet},
		{"SameURLIsOneEntry", testSameURL},
		{"ConcurrentSharesOfOneURL", testConcurrentShares},
		{"Upvotes", testUpvotes},
		{"ConcurrentUpvotes", testConcurrentUpvotes},
		{"ListOrderAndPages", testList},
		{"ListByTopic", testListByTopic},
		{"Remove", testRemove},
		{"UnknownIDs", testUnknown},
		{"WorkspaceIsolation", testIsolation},
		{"CancelledContext", testCancelled},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, newStore(t), ws)
		})
	}
}

var ctx = context.Background()

// at is a fixed base time; stores keep millisecond precision.
var at = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

func material(url, topic, by string, minute int) knowledge.Material {
	return knowledge.Material{
		URL: url, Topic: topic, Note: "note about " + url, SharedBy: by, SharerName: "name-" + by,
		SharedAt: at.Add(time.Duration(minute) * time.Minute),
	}
}

func share(t *testing.T, s knowledge.MaterialStore, ws string, m knowledge.Material) knowledge.Material {
	t.Helper()
	got, created, err := s.Share(ctx, ws, m)
	if err != nil {
		t.Fatalf("Share(%s): %v", m.URL, err)
	}
	if !created {
		t.Fatalf("Share(%s): not created", m.URL)
	}
	return got
}

func testShareAndGet(t *testing.T, s knowledge.MaterialStore, ws func(string) string) {
	w := ws("slack")
	in := material("https://raft.github.io/", "raft", "U1", 0)
	got := share(t, s, w, in)
	if got.ID != 1 {
		t.Errorf("first id %d, want 1", got.ID)
	}
	second := share(t, s, w, material("https://example.org/2", "", "U1", 1))
	if second.ID != 2 {
		t.Errorf("second id %d, want 2", second.ID)
	}
	read, err := s.Get(ctx, w, got.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := in
	want.ID = 1
	if read != want {
		t.Errorf("Get = %+v\nwant  %+v", read, want)
	}
	if err := s.Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

func testSameURL(t *testing.T, s knowledge.MaterialStore, ws func(string) string) {
	w := ws("slack")
	first := share(t, s, w, material("https://example.org/a", "raft", "U1", 0))
	again, created, err := s.Share(ctx, w, material("https://example.org/a", "paxos", "U2", 5))
	if err != nil {
		t.Fatal(err)
	}
	if created || again != first {
		t.Errorf("second share: created=%v %+v, want the first entry %+v", created, again, first)
	}
	if _, total, _ := s.List(ctx, w, knowledge.ListQuery{Limit: 10}); total != 1 {
		t.Errorf("%d entries, want 1", total)
	}
}

func testConcurrentShares(t *testing.T, s knowledge.MaterialStore, ws func(string) string) {
	w := ws("discord")
	const users = 40
	var (
		wg      sync.WaitGroup
		created atomic.Int64
		ids     sync.Map
	)
	for i := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, c, err := s.Share(ctx, w, material("https://example.org/same", "raft", fmt.Sprintf("U%d", i), i))
			if err != nil {
				t.Error(err)
				return
			}
			if c {
				created.Add(1)
			}
			ids.Store(m.ID, true)
		}()
	}
	wg.Wait()
	if created.Load() != 1 {
		t.Errorf("%d shares created an entry, want exactly 1", created.Load())
	}
	n := 0
	ids.Range(func(any, any) bool { n++; return true })
	if n != 1 {
		t.Errorf("shares returned %d different ids, want 1", n)
	}
	if _, total, _ := s.List(ctx, w, knowledge.ListQuery{Limit: 100}); total != 1 {
		t.Errorf("%d entries after concurrent shares, want 1", total)
	}
}

func testUpvotes(t *testing.T, s knowledge.MaterialStore, ws func(string) string) {
	w := ws("slack")
	m := share(t, s, w, material("https://example.org/v", "raft", "U1", 0))
	steps := []struct {
		user  string
		votes int
		added bool
	}{
		{"U2", 1, true},
		{"U2", 1, false},
		{"U3", 2, true},
		{"U1", 3, true}, // sharers may upvote their own link
		{"U3", 3, false},
	}
	for _, st := range steps {
		votes, added, err := s.Upvote(ctx, w, m.ID, st.user)
		if err != nil {
			t.Fatal(err)
		}
		if votes != st.votes || added != st.added {
			t.Errorf("Upvote by %s = %d %v, want %d %v", st.user, votes, added, st.votes, st.added)
		}
	}
	got, _ := s.Get(ctx, w, m.ID)
	if got.Votes != 3 {
		t.Errorf("Get votes %d, want 3", got.Votes)
	}
}

func testConcurrentUpvotes(t *testing.T, s knowledge.MaterialStore, ws func(string) string) {
	w := ws("slack")
	m := share(t, s, w, material("https://example.org/cv", "", "U1", 0))
	const users, repeats = 30, 3
	var wg sync.WaitGroup
	for i := range users {
		for range repeats {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, _, err := s.Upvote(ctx, w, m.ID, fmt.Sprintf("U%d", i)); err != nil {
					t.Error(err)
				}
			}()
		}
	}
	wg.Wait()
	got, err := s.Get(ctx, w, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Votes != users {
		t.Errorf("%d votes after %d users voted %d times each, want %d", got.Votes, users, repeats, users)
	}
	top, _, _ := s.List(ctx, w, knowledge.ListQuery{Order: knowledge.Top, Limit: 1})
	if len(top) != 1 || top[0].Votes != users {
		t.Errorf("top list %+v, want the entry with %d votes", top, users)
	}
}

func ids(ms []knowledge.Material) []int64 {
	out := make([]int64, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}

func equal(a, b []int64) bool { return fmt.Sprint(a) == fmt.Sprint(b) }

func testList(t *testing.T, s knowledge.MaterialStore, ws func(string) string) {
	w := ws("slack")
	if page, total, err := s.List(ctx, w, knowledge.ListQuery{Limit: 5}); err != nil || total != 0 || len(page) != 0 {
		t.Fatalf("empty workspace: %v %d %v", page, total, err)
	}
	for i := 1; i <= 7; i++ {
		share(t, s, w, material(fmt.Sprintf("https://example.org/%d", i), "", "U1", i))
	}
	// Votes: 3 gets two, 5 and 6 one each.
	for _, v := range []struct {
		id   int64
		user string
	}{{3, "A"}, {3, "B"}, {5, "A"}, {6, "A"}} {
		if _, _, err := s.Upvote(ctx, w, v.id, v.user); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name  string
		q     knowledge.ListQuery
		want  []int64
		total int
	}{
		{"newest first", knowledge.ListQuery{Limit: 3}, []int64{7, 6, 5}, 7},
		{"second page", knowledge.ListQuery{Offset: 3, Limit: 3}, []int64{4, 3, 2}, 7},
		{"last page", knowledge.ListQuery{Offset: 6, Limit: 3}, []int64{1}, 7},
		{"past the end", knowledge.ListQuery{Offset: 10, Limit: 3}, []int64{}, 7},
		{"top, newest among equals", knowledge.ListQuery{Order: knowledge.Top, Limit: 4}, []int64{3, 6, 5, 7}, 7},
		{"zero limit", knowledge.ListQuery{Limit: 0}, []int64{}, 7},
	}
	for _, tt := range tests {
		page, total, err := s.List(ctx, w, tt.q)
		if err != nil {
			t.Fatal(err)
		}
		if !equal(ids(page), tt.want) || total != tt.total {
			t.Errorf("%s: ids %v total %d, want %v %d", tt.name, ids(page), total, tt.want, tt.total)
		}
	}
}

func testListByTopic(t *testing.T, s knowledge.MaterialStore, ws func(string) string) {
	w := ws("slack")
	share(t, s, w, material("https://example.org/r1", "raft", "U1", 1))
	share(t, s, w, material("https://example.org/p1", "paxos", "U1", 2))
	share(t, s, w, material("https://example.org/r2", "raft", "U1", 3))
	share(t, s, w, material("https://example.org/none", "", "U1", 4))
	if _, _, err := s.Upvote(ctx, w, 1, "U9"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		q     knowledge.ListQuery
		want  []int64
		total int
	}{
		{knowledge.ListQuery{Topic: "raft", Limit: 10}, []int64{3, 1}, 2},
		{knowledge.ListQuery{Topic: "raft", Order: knowledge.Top, Limit: 10}, []int64{1, 3}, 2},
		{knowledge.ListQuery{Topic: "paxos", Limit: 10}, []int64{2}, 1},
		{knowledge.ListQuery{Topic: "cdn", Limit: 10}, []int64{}, 0},
	}
	for _, tt := range tests {
		page, total, err := s.List(ctx, w, tt.q)
		if err != nil {
			t.Fatal(err)
		}
		if !equal(ids(page), tt.want) || total != tt.total {
			t.Errorf("%+v: ids %v total %d, want %v %d", tt.q, ids(page), total, tt.want, tt.total)
		}
	}
}

func testRemove(t *testing.T, s knowledge.MaterialStore, ws func(string) string) {
	w := ws("slack")
	m := share(t, s, w, material("https://example.org/rm", "raft", "U1", 0))
	keep := share(t, s, w, material("https://example.org/keep", "raft", "U1", 1))
	if _, _, err := s.Upvote(ctx, w, m.ID, "U2"); err != nil {
		t.Fatal(err)
	}
	if err := s.Remove(ctx, w, m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, w, m.ID); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("Get after Remove: %v, want ErrNotFound", err)
	}
	for _, q := range []knowledge.ListQuery{{Limit: 10}, {Order: knowledge.Top, Limit: 10}, {Topic: "raft", Limit: 10}, {Topic: "raft", Order: knowledge.Top, Limit: 10}} {
		page, total, _ := s.List(ctx, w, q)
		if !equal(ids(page), []int64{keep.ID}) || total != 1 {
			t.Errorf("List %+v after Remove: %v (total %d)", q, ids(page), total)
		}
	}
	if err := s.Remove(ctx, w, m.ID); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("second Remove: %v, want ErrNotFound", err)
	}
	// The URL is free again, and its old votes are gone.
	again := share(t, s, w, material("https://example.org/rm", "raft", "U3", 2))
	if again.ID == m.ID || again.Votes != 0 {
		t.Errorf("re-shared entry %+v reuses the removed one", again)
	}
}

func testUnknown(t *testing.T, s knowledge.MaterialStore, ws func(string) string) {
	w := ws("slack")
	share(t, s, w, material("https://example.org/x", "", "U1", 0))
	for _, id := range []int64{0, -1, 2, 1 << 40} {
		if _, err := s.Get(ctx, w, id); !errors.Is(err, knowledge.ErrNotFound) {
			t.Errorf("Get(%d): %v", id, err)
		}
		if _, _, err := s.Upvote(ctx, w, id, "U1"); !errors.Is(err, knowledge.ErrNotFound) {
			t.Errorf("Upvote(%d): %v", id, err)
		}
		if err := s.Remove(ctx, w, id); !errors.Is(err, knowledge.ErrNotFound) {
			t.Errorf("Remove(%d): %v", id, err)
		}
	}
	empty := ws("slack")
	if _, err := s.Get(ctx, empty, 1); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("Get in an empty workspace: %v", err)
	}
}

// testIsolation proves that no operation of one workspace sees or changes another's data, even
// for the same platform, the same URL and the same ids.
func testIsolation(t *testing.T, s knowledge.MaterialStore, ws func(string) string) {
	a, b := ws("slack"), ws("slack")
	other := ws("discord")
	ma := share(t, s, a, material("https://example.org/iso", "raft", "U1", 0))

	// Same URL in B: a new entry of B's own, with B's first id.
	mb, created, err := s.Share(ctx, b, material("https://example.org/iso", "raft", "U2", 1))
	if err != nil || !created || mb.ID != 1 || mb.SharedBy != "U2" {
		t.Errorf("share of A's URL in B: %+v created=%v err=%v", mb, created, err)
	}
	if _, err := s.Get(ctx, other, ma.ID); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("Get of A's id from another workspace: %v", err)
	}
	if page, total, _ := s.List(ctx, other, knowledge.ListQuery{Limit: 10}); total != 0 || len(page) != 0 {
		t.Errorf("List from another workspace sees %v", ids(page))
	}
	if page, _, _ := s.List(ctx, other, knowledge.ListQuery{Topic: "raft", Order: knowledge.Top, Limit: 10}); len(page) != 0 {
		t.Errorf("topic List from another workspace sees %v", ids(page))
	}
	if _, _, err := s.Upvote(ctx, other, ma.ID, "U9"); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("Upvote of A's id from another workspace: %v", err)
	}
	if err := s.Remove(ctx, other, ma.ID); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("Remove of A's id from another workspace: %v", err)
	}
	// B's vote and removal touch B only.
	if _, _, err := s.Upvote(ctx, b, mb.ID, "U9"); err != nil {
		t.Fatal(err)
	}
	if err := s.Remove(ctx, b, mb.ID); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, a, ma.ID)
	if err != nil || got.Votes != 0 || got.SharedBy != "U1" {
		t.Errorf("A's entry after B's vote and removal: %+v %v", got, err)
	}
}

func testCancelled(t *testing.T, s knowledge.MaterialStore, ws func(string) string) {
	w := ws("slack")
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := s.Share(cctx, w, material("https://example.org/c", "", "U1", 0)); err == nil {
		t.Error("Share with a cancelled context succeeded")
	}
	if _, total, err := s.List(ctx, w, knowledge.ListQuery{Limit: 10}); err != nil || total != 0 {
		t.Errorf("a cancelled Share stored something: total %d, err %v", total, err)
	}
}

// Slow wraps a store so that every List waits delay first (or until its context ends), as a
// struggling Redis would: for testing how callers behave when the store is slow.
type Slow struct {
	knowledge.MaterialStore
	Delay time.Duration
	// Gate, when set, ends the wait early once it is closed, so a test can let a slow call
	// finish exactly when it wants to.
	Gate <-chan struct{}
}

// List implements knowledge.MaterialStore.
func (s Slow) List(ctx context.Context, ws string, q knowledge.ListQuery) ([]knowledge.Material, int, error) {
	select {
	case <-time.After(s.Delay):
	case <-s.Gate:
	case <-ctx.Done():
		return nil, 0, ctx.Err()
	}
	return s.MaterialStore.List(ctx, ws, q)
}
