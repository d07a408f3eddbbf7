package redisstore_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/redistest"
	"github.com/careerbot/careerbot/jobs"
	"github.com/careerbot/careerbot/jobs/redisstore"
	"github.com/careerbot/careerbot/jobs/storetest"
	"github.com/redis/go-redis/v9"
)

// TestDeliveryKeyLayout pins the queue's and the lock's keys the package doc promises, and
// the records' expiry.
func TestDeliveryKeyLayout(t *testing.T) {
	rdb := redistest.Start(t).Client(t)
	s := redisstore.New(rdb)
	ctx := t.Context()
	d := jobs.Delivery{Workspace: "slack:T123", Channel: "C042", Key: "greenhouse:1"}
	if _, err := s.Enqueue(ctx, []jobs.Delivery{d, {Workspace: "slack:T123", Channel: "C042", Key: "greenhouse:2"}}); err != nil {
		t.Fatal(err)
	}
	copies, err := s.Next(ctx, "a", 2, 0, time.Hour)
	if err != nil || len(copies) != 2 {
		t.Fatalf("Next: %v, %v", copies, err)
	}
	now := time.Now()
	for i, c := range copies {
		if _, _, err := s.Claim(ctx, c, "a", time.Minute, now); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			err = s.Dead(ctx, c, "a", "Gone.", now)
		} else {
			err = s.Retry(ctx, c, "a", now.Add(time.Hour), "Later.")
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetFanoutCursor(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Lock("poller").Acquire(ctx, "a", time.Minute); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"careerbot:{deliveries}:dead", "careerbot:{deliveries}:delayed", "careerbot:{deliveries}:queue",
		"careerbot:{jobs}:fanout", "careerbot:{jobs}:lock:poller", "careerbot:{jobs}:lock:poller:token",
		"careerbot:{slack:T123}:dead", "careerbot:{slack:T123}:delivery:C042:greenhouse:1",
		"careerbot:{slack:T123}:delivery:C042:greenhouse:2",
	}
	if got := sortedKeys(t, rdb, "*"); !slices.Equal(got, want) {
		t.Errorf("keys\n%q\nwant\n%q", got, want)
	}
	ttl, err := rdb.TTL(ctx, "careerbot:{slack:T123}:delivery:C042:greenhouse:1").Result()
	if err != nil || ttl < 119*24*time.Hour {
		t.Errorf("a record's TTL is %v, %v; want 120 days", ttl, err)
	}
}

// TestDeliveryMalformedRecord checks that a record that does not decode is an error of the
// calls that read it, not a crash.
func TestDeliveryMalformedRecord(t *testing.T) {
	rdb := redistest.Client(t)
	p := prefixes()()
	s := redisstore.NewWithPrefix(rdb, p)
	ctx := t.Context()
	d := jobs.Delivery{Workspace: "slack:T1", Channel: "C1", Key: "bad:1"}
	if _, err := s.Enqueue(ctx, []jobs.Delivery{d}); err != nil {
		t.Fatal(err)
	}
	key := p + "{slack:T1}:delivery:C1:bad:1"
	for _, f := range [][]any{{"delivery", "{"}, {"delivery", `{"workspace":"slack:T1","channel":"C1","key":"bad:1"}`, "attempts", "x"},
		{"attempts", "1", "state", "lost"}} {
		if err := rdb.HSet(ctx, key, f...).Err(); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Delivery(ctx, d.Workspace, d.Channel, d.Key); err == nil {
			t.Errorf("Delivery of a record with %q succeeded", f)
		}
		if _, err := s.Next(ctx, "a", 10, 0, time.Millisecond); err == nil {
			t.Errorf("Next of a record with %q succeeded", f)
		}
		if _, _, err := s.Claim(ctx, d, "a", time.Minute, time.Now()); err == nil {
			t.Errorf("Claim of a record with %q succeeded", f)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestFenced(t *testing.T) {
	testFenced(t, redistest.Client(t), prefixes()())
}

// testFenced has a stale holder (token 1) write after the lock passed to another (token 2):
// each write is refused and nothing changes; the new holder's writes go through.
func testFenced(t *testing.T, rdb redis.UniversalClient, p string) {
	s := redisstore.NewWithPrefix(rdb, p)
	ctx := t.Context()
	lock := s.Lock("poller")
	first, _, err := lock.Acquire(ctx, "a", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if err := lock.Release(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	second, held, err := lock.Acquire(ctx, "b", time.Minute)
	if err != nil || !held || first != 1 || second != 2 {
		t.Fatalf("tokens %d then %d (%v, %v), want 1 then 2", first, second, held, err)
	}
	kept := storetest.Openings("fence", 2)
	fresh := s.Fenced("poller", second)
	if err := fresh.PutOpenings(ctx, kept); err != nil {
		t.Fatalf("PutOpenings by the holder: %v", err)
	}
	if err := fresh.PutSource(ctx, jobs.SourceStatus{Name: "fence", Listed: 2}); err != nil {
		t.Fatalf("PutSource by the holder: %v", err)
	}
	if err := fresh.SetFanoutCursor(ctx, 2); err != nil {
		t.Fatalf("SetFanoutCursor by the holder: %v", err)
	}

	stale := s.Fenced("poller", first)
	changed := storetest.Openings("fence", 3)
	changed[0].Title = "Changed"
	writes := []struct {
		name string
		call func() error
	}{
		{"PutOpenings", func() error { return stale.PutOpenings(ctx, changed) }},
		{"DeleteOpenings", func() error { return stale.DeleteOpenings(ctx, []string{kept[0].ID}) }},
		{"PutSource", func() error { return stale.PutSource(ctx, jobs.SourceStatus{Name: "fence", Listed: 9}) }},
		{"SetFanoutCursor", func() error { return stale.SetFanoutCursor(ctx, 99) }},
	}
	for _, w := range writes {
		if err := w.call(); !errors.Is(err, jobs.ErrFenced) {
			t.Errorf("%s by the stale holder: %v, want ErrFenced", w.name, err)
		}
	}
	var ids []string
	last, err := s.Changes(ctx, 0, func(o jobs.Opening) error {
		if o.Title == "Changed" {
			t.Errorf("the stale holder's rewrite of %s is stored", o.ID)
		}
		ids = append(ids, o.ID)
		return nil
	})
	if err != nil || last != 2 || !slices.Equal(ids, []string{kept[0].ID, kept[1].ID}) {
		t.Errorf("Changes after the stale writes: %v, last %d, %v; want the holder's two", ids, last, err)
	}
	if _, err := s.Opening(ctx, changed[2].ID); !errors.Is(err, jobs.ErrNotFound) {
		t.Errorf("the stale holder's new opening: %v, want ErrNotFound", err)
	}
	if st, err := s.Source(ctx, "fence"); err != nil || st.Listed != 2 {
		t.Errorf("the source after the stale write: %+v, %v", st, err)
	}
	if n, err := s.FanoutCursor(ctx); err != nil || n != 2 {
		t.Errorf("the cursor after the stale write: %d, %v; want 2", n, err)
	}
	if err := fresh.DeleteOpenings(ctx, []string{kept[0].ID}); err != nil {
		t.Errorf("DeleteOpenings by the holder: %v", err)
	}
}
