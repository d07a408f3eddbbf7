package jobs_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
	"github.com/careerbot/careerbot/jobs/storetest"
)

type fanoutStore interface {
	jobs.Store
	jobs.SubscriptionStore
	jobs.DeliveryQueue
}

func newFanout(t *testing.T, now *time.Time) (*jobs.Fanout, fanoutStore) {
	t.Helper()
	st := storetest.Embedded(t).(fanoutStore)
	return &jobs.Fanout{Openings: st, Subs: st, Queue: st, Now: func() time.Time { return *now }}, st
}

// TestFanout: each new opening is owed once to each channel with a matching subscription
// made before it was first seen; two subscriptions of one channel owe one message; a role on
// two boards is one delivery; replaying a round enqueues nothing more; a subscription whose
// query no longer reads is disabled, not matched against everything.
func TestFanout(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	f, st := newFanout(t, &now)
	sub := func(ws, ch, q string, created time.Time) int64 {
		s, err := st.Subscribe(ctx, jobs.Subscription{Workspace: ws, Channel: ch, Query: q, Creator: "U1", Created: created})
		if err != nil {
			t.Fatal(err)
		}
		return s.ID
	}
	before := now.Add(-time.Hour)
	sub("slack:T1", "C1", "kafka", before)
	sub("slack:T1", "C1", "kafka remote:yes", before) // the same channel again: one message
	sub("slack:T1", "C2", "terraform", before)
	sub("discord:G1", "D1", "kafka -sales", before)
	sub("discord:G1", "D2", "kafka", now.Add(time.Hour)) // made after the openings: owed none of them
	broken := sub("slack:T1", "C3", "kafka", before)

	put := func(os ...jobs.Opening) {
		if err := st.PutOpenings(ctx, os); err != nil {
			t.Fatal(err)
		}
	}
	seen := now.Add(-time.Minute)
	put(
		jobs.Opening{ID: "a:1", Source: "a", Title: "Kafka engineer", Company: "Acme", Remote: jobs.RemoteYes, Description: "Kafka.", URL: "https://a.example/1", FirstSeen: seen},
		jobs.Opening{ID: "b:9", Source: "b", Title: "Kafka Engineer", Company: "Acme Inc", Remote: jobs.RemoteYes, Description: "Kafka.", URL: "https://b.example/9", FirstSeen: seen},
		jobs.Opening{ID: "a:2", Source: "a", Title: "Sales engineer", Company: "Globex", Description: "Kafka demos.", URL: "https://a.example/2", FirstSeen: seen},
		jobs.Opening{ID: "a:3", Source: "a", Title: "Platform engineer", Company: "Initech", Description: "Terraform.", URL: "https://a.example/3", FirstSeen: seen},
		jobs.Opening{ID: "a:4", Source: "a", Title: "Old Kafka role", Company: "Umbrella", Description: "Kafka.", URL: "https://a.example/4", FirstSeen: before.Add(-time.Hour)},
	)
	// A query stored by an older version that this one cannot read.
	if _, err := st.Unsubscribe(ctx, "slack:T1", broken); err != nil {
		t.Fatal(err)
	}
	badID := sub("slack:T1", "C3", "kafka (", before)

	r, err := f.Round(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.Openings != 5 || r.Subscriptions != 5 {
		t.Errorf("round: %+v", r)
	}
	owed := map[string]int{ // channel -> deliveries
		"slack:T1/C1":   2, // the Acme role (two boards) and Globex's
		"slack:T1/C2":   1,
		"discord:G1/D1": 1, // Acme only: -sales
	}
	if r.Enqueued != 4 {
		t.Errorf("enqueued %d, want 4", r.Enqueued)
	}
	acme := jobs.Opening{ID: "a:1", Title: "Kafka engineer", Company: "Acme"}
	for ch, n := range owed {
		ws, c, _ := strings.Cut(ch, "/")
		if n == 0 {
			continue
		}
		if ws != "slack:T1" || c != "C2" {
			d, err := st.Delivery(ctx, ws, c, jobs.RoleKey(&acme))
			if err != nil || d.State != jobs.Queued || len(d.Openings) != 1 {
				t.Errorf("%s: the Acme role: %+v (%v)", ch, d, err)
			}
		}
	}
	if _, err := st.Delivery(ctx, "discord:G1", "D2", jobs.RoleKey(&acme)); err == nil {
		t.Error("a subscription made after the opening was first seen is owed it")
	}
	s, err := st.Subscription(ctx, "slack:T1", badID)
	if err != nil || s.Active() || !strings.Contains(s.DisabledReason, "no longer reads") {
		t.Errorf("the broken query: %+v (%v)", s, err)
	}

	// Nothing new: nothing more; the same openings rewritten (the poller does every 6h):
	// nothing more either.
	if r, err := f.Round(ctx); err != nil || r.Enqueued != 0 || r.Openings != 0 {
		t.Errorf("an empty round: %+v (%v)", r, err)
	}
	o, _ := st.Opening(ctx, "a:3")
	put(o)
	if r, err := f.Round(ctx); err != nil || r.Enqueued != 0 || r.Openings != 1 {
		t.Errorf("a rewrite: %+v (%v)", r, err)
	}
}

// TestFanoutBatches: more changes than one batch all get their deliveries, and the cursor
// ends at the last change.
func TestFanoutBatches(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	f, st := newFanout(t, &now)
	if _, err := st.Subscribe(ctx, jobs.Subscription{Workspace: "slack:T1", Channel: "C1", Query: "kafka", Created: now.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	var os []jobs.Opening
	for i := range 1234 {
		os = append(os, jobs.Opening{ID: fmt.Sprintf("a:%d", i), Source: "a", Title: fmt.Sprintf("Kafka engineer %d", i),
			Company: "Acme", Description: "Kafka.", FirstSeen: now})
	}
	if err := st.PutOpenings(ctx, os); err != nil {
		t.Fatal(err)
	}
	r, err := f.Round(ctx)
	if err != nil || r.Enqueued != 1234 || r.Openings != 1234 {
		t.Fatalf("%+v (%v)", r, err)
	}
	if c, err := st.FanoutCursor(ctx); err != nil || c != 1234 {
		t.Errorf("cursor %d (%v)", c, err)
	}
}

// TestDigests: a digest subscription gets one delivery a day listing that day's matches,
// none on a day without any, and none twice.
func TestDigests(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 2, 8, 0, 0, 0, time.UTC) // before today's digest hour
	f, st := newFanout(t, &now)
	s, err := st.Subscribe(ctx, jobs.Subscription{Workspace: "slack:T1", Channel: "C1", Query: "kafka", Created: now.Add(-72 * time.Hour), Digest: true})
	if err != nil {
		t.Fatal(err)
	}
	quiet, err := st.Subscribe(ctx, jobs.Subscription{Workspace: "slack:T1", Channel: "C2", Query: "cobol", Created: now.Add(-72 * time.Hour), Digest: true})
	if err != nil {
		t.Fatal(err)
	}
	yesterday9 := time.Date(2026, 12, 1, jobs.DigestHour, 0, 0, 0, time.UTC)
	if err := st.PutOpenings(ctx, []jobs.Opening{
		{ID: "a:1", Source: "a", Title: "Kafka engineer", Company: "Acme", Description: "Kafka.", FirstSeen: yesterday9.Add(-2 * time.Hour)},
		{ID: "a:2", Source: "a", Title: "Kafka SRE", Company: "Globex", Description: "Kafka.", FirstSeen: yesterday9.Add(-time.Hour)},
		{ID: "a:3", Source: "a", Title: "Kafka lead", Company: "Initech", Description: "Kafka.", FirstSeen: yesterday9.Add(-30 * time.Hour)}, // the day before
		{ID: "a:4", Source: "a", Title: "Kafka dev", Company: "Umbrella", Description: "Kafka.", FirstSeen: yesterday9.Add(time.Hour)},       // today's
	}); err != nil {
		t.Fatal(err)
	}
	// Per-opening rounds leave digest subscriptions alone.
	if r, err := f.Round(ctx); err != nil || r.Enqueued != 0 {
		t.Errorf("round: %+v (%v)", r, err)
	}
	n, err := f.Digests(ctx)
	if err != nil || n != 1 {
		t.Fatalf("digests: %d (%v)", n, err)
	}
	d, err := st.Delivery(ctx, "slack:T1", "C1", jobs.DigestKey(s.ID, yesterday9))
	if err != nil || strings.Join(d.Openings, ",") != "a:2,a:1" {
		t.Errorf("yesterday's digest: %+v (%v)", d, err)
	}
	if _, err := st.Delivery(ctx, "slack:T1", "C2", jobs.DigestKey(quiet.ID, yesterday9)); err == nil {
		t.Error("a digest with nothing in it")
	}
	if n, err := f.Digests(ctx); err != nil || n != 0 {
		t.Errorf("again: %d (%v)", n, err)
	}
	now = now.Add(2 * time.Hour) // past today's hour: today's digest
	if n, err := f.Digests(ctx); err != nil || n != 1 {
		t.Errorf("today: %d (%v)", n, err)
	}
}

// TestFanoutSample: the sample openings are owed to the playground's subscriptions only,
// never to Slack's or Discord's.
func TestFanoutSample(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	f, st := newFanout(t, &now)
	for _, ws := range []string{"slack:T1", "discord:1", "playground:local"} {
		if _, err := st.Subscribe(ctx, jobs.Subscription{Workspace: ws, Channel: "C1", Query: "kafka", Created: now.Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	o := jobs.Opening{ID: "sample:1", Source: jobs.SampleSource, Title: "Kafka engineer (sample)", Company: "Acme", FirstSeen: now}
	if err := st.PutOpenings(ctx, []jobs.Opening{o}); err != nil {
		t.Fatal(err)
	}
	if r, err := f.Round(ctx); err != nil || r.Enqueued != 1 {
		t.Fatalf("%+v (%v)", r, err)
	}
	if _, err := st.Delivery(ctx, "playground:local", "C1", jobs.RoleKey(&o)); err != nil {
		t.Errorf("the playground is not owed the sample: %v", err)
	}
}
