package redisstore_test

import (
	"slices"
	"testing"

	"github.com/careerbot/careerbot/internal/redistest"
	"github.com/careerbot/careerbot/jobs"
	"github.com/careerbot/careerbot/jobs/redisstore"
)

// TestSubscriptionKeyLayout pins the subscription keys the package doc promises, and that the
// record the script writes is the one jobs.MarshalSubscription makes.
func TestSubscriptionKeyLayout(t *testing.T) {
	rdb := redistest.Start(t).Client(t)
	s := redisstore.New(rdb)
	ctx := t.Context()
	sub, err := s.Subscribe(ctx, jobs.Subscription{Workspace: "slack:T123", Channel: "C042", Query: "go remote:yes", Creator: "U1"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"careerbot:{jobs}:subs:workspaces", "careerbot:{slack:T123}:subs",
		"careerbot:{slack:T123}:subs:channel:C042", "careerbot:{slack:T123}:subs:seq",
	}
	if got := sortedKeys(t, rdb, "*"); !slices.Equal(got, want) {
		t.Errorf("keys\n%q\nwant\n%q", got, want)
	}
	record, err := rdb.HGet(ctx, "careerbot:{slack:T123}:subs", "1").Result()
	if err != nil {
		t.Fatal(err)
	}
	if wantRecord, _ := jobs.MarshalSubscription(sub); record != string(wantRecord) {
		t.Errorf("stored record\n%s\nwant\n%s", record, wantRecord)
	}
	if id, err := rdb.HGet(ctx, "careerbot:{slack:T123}:subs:channel:C042", "go remote:yes").Result(); err != nil || id != "1" {
		t.Errorf("the channel's entry for the query: %q, %v; want 1", id, err)
	}

	// The last unsubscribe leaves the counter, so no id is given twice, and the registry entry.
	if _, err := s.Unsubscribe(ctx, "slack:T123", sub.ID); err != nil {
		t.Fatal(err)
	}
	if got, want := sortedKeys(t, rdb, "*"), []string{"careerbot:{jobs}:subs:workspaces", "careerbot:{slack:T123}:subs:seq"}; !slices.Equal(got, want) {
		t.Errorf("keys after the last unsubscribe\n%q\nwant\n%q", got, want)
	}
}

// TestSubscribeHalfWrite stands for a crash between Subscribe's two steps: the workspace is
// registered, its script never ran. AllSubscriptions reads it as a workspace with none.
func TestSubscribeHalfWrite(t *testing.T) {
	rdb := redistest.Client(t)
	p := prefixes()()
	s := redisstore.NewWithPrefix(rdb, p)
	ctx := t.Context()
	if err := rdb.SAdd(ctx, p+"{jobs}:subs:workspaces", "slack:T1").Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Subscribe(ctx, jobs.Subscription{Workspace: "slack:T2", Channel: "C1", Query: "go"}); err != nil {
		t.Fatal(err)
	}
	var got []string
	err := s.AllSubscriptions(ctx, func(sub jobs.Subscription) error { got = append(got, sub.Workspace); return nil })
	if err != nil || !slices.Equal(got, []string{"slack:T2"}) {
		t.Errorf("AllSubscriptions with a registered workspace that has none: %v, %v; want slack:T2's one", got, err)
	}
}
