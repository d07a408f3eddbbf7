package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
	"github.com/careerbot/careerbot/jobs/storetest"
)

// The poller's rules, on the real embedded store with a scripted source and a clock the test
// moves. The end-to-end fault tests (real readers, an HTTP server misbehaving) are in
// jobs/source/poll_test.go.

var t0 = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

// script is a source whose next answer the test sets.
type script struct {
	mu       sync.Mutex
	name     string
	openings []jobs.Opening
	err      error
	panicky  bool
	calls    int
}

func (s *script) Name() string { return s.name }

func (s *script) Fetch(ctx context.Context) ([]jobs.Opening, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.panicky {
		panic("index out of range")
	}
	return slices.Clone(s.openings), s.err
}

func (s *script) answer(os []jobs.Opening, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.openings, s.err = os, err
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newPoller(t *testing.T, sources ...*script) (*jobs.Poller, *clock) {
	t.Helper()
	c := &clock{t: t0}
	p := &jobs.Poller{Store: storetest.Embedded(t), Now: c.now, Jitter: func() float64 { return 0.5 }}
	for _, s := range sources {
		p.Sources = append(p.Sources, jobs.Scheduled{Source: s, Type: "test", Every: 15 * time.Minute})
	}
	return p, c
}

func board(n int) []jobs.Opening {
	out := make([]jobs.Opening, n)
	for i := range out {
		out[i] = jobs.Opening{ID: fmt.Sprintf("b:%d", i), Title: fmt.Sprintf("Engineer %d", i), Company: "Acme", Source: "b"}
	}
	return out
}

func poll(t *testing.T, p *jobs.Poller, name string) jobs.SourceStatus {
	t.Helper()
	st, err := p.Poll(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func get(t *testing.T, p *jobs.Poller, id string) jobs.Opening {
	t.Helper()
	o, err := p.Store.Opening(context.Background(), id)
	if err != nil {
		t.Fatalf("%s: %v", id, err)
	}
	return o
}

func TestStalenessClosesOnlyAfterTheGracePeriod(t *testing.T) {
	src := &script{name: "b"}
	p, clk := newPoller(t, src)
	src.answer(board(3), nil)
	poll(t, p, "b")
	first := get(t, p, "b:2").FirstSeen

	src.answer(board(2), nil) // b:2 is gone from the board
	steps := []struct {
		after      time.Duration
		misses     int
		wantClosed bool
	}{
		{time.Hour, 1, false},     // one successful fetch without it
		{2 * time.Hour, 2, false}, // two, but within 24 hours
		{22 * time.Hour, 3, true}, // 25 hours after it went missing
		{time.Hour, 3, true},      // closed stays closed, no more misses counted
	}
	for i, s := range steps {
		clk.add(s.after)
		st := poll(t, p, "b")
		o := get(t, p, "b:2")
		if o.Misses != s.misses || o.Open() == s.wantClosed {
			t.Fatalf("step %d: misses %d, closed %v; want %d, %v", i, o.Misses, !o.Open(), s.misses, s.wantClosed)
		}
		if want := 2; s.wantClosed && st.Open != want {
			t.Errorf("step %d: status counts %d open, want %d", i, st.Open, want)
		}
	}
	if o := get(t, p, "b:0"); !o.Open() || o.Misses != 0 {
		t.Errorf("a listed opening: %+v", o)
	}

	// Listed again: open again, first seen kept.
	clk.add(time.Hour)
	src.answer(board(3), nil)
	poll(t, p, "b")
	o := get(t, p, "b:2")
	if !o.Open() || o.Misses != 0 || !o.MissingSince.IsZero() || !o.FirstSeen.Equal(first) {
		t.Errorf("reopened: %+v (first seen %v)", o, first)
	}
}

func TestFailuresCloseNothingAndBackOff(t *testing.T) {
	src := &script{name: "b"}
	p, clk := newPoller(t, src)
	src.answer(board(5), nil)
	poll(t, p, "b")

	src.answer(nil, errors.New("source b: the board is failing (HTTP 500)"))
	var waits []time.Duration
	for range 10 { // a storm over three days
		clk.add(7 * time.Hour)
		st := poll(t, p, "b")
		waits = append(waits, st.NextPoll.Sub(st.LastAttempt))
		if st.LastError != "source b: the board is failing (HTTP 500)" || st.LastErrorAt != clk.now() {
			t.Fatalf("status %+v", st)
		}
	}
	st := poll(t, p, "b")
	if st.Failures != 11 || st.Successes != 1 || st.Open != 0 && st.Listed != 5 {
		t.Errorf("after the storm: %+v", st)
	}
	for i := range 5 {
		if o := get(t, p, fmt.Sprintf("b:%d", i)); !o.Open() || o.Misses != 0 {
			t.Errorf("b:%d after failures: misses %d, closed %v", i, o.Misses, o.Closed)
		}
	}
	want := []time.Duration{15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour, 4 * time.Hour, 6 * time.Hour}
	for i, w := range want {
		if waits[i] != w {
			t.Errorf("wait after failure %d: %s, want %s", i+1, waits[i], w)
		}
	}
	if waits[9] != 6*time.Hour {
		t.Errorf("the backoff is not capped at 6h: %s", waits[9])
	}

	// A success resets the count.
	src.answer(board(5), nil)
	clk.add(time.Hour)
	if st := poll(t, p, "b"); st.Failures != 0 || st.LastError != "" || st.NextPoll.Sub(clk.now()) != 15*time.Minute {
		t.Errorf("after recovering: %+v", st)
	}
}

// slowDown is a board's 429 with Retry-After.
type slowDown struct{ wait time.Duration }

func (e slowDown) Error() string                  { return "the board asks careerbot to slow down (HTTP 429)" }
func (e slowDown) RetryAfterDelay() time.Duration { return e.wait }

func TestRetryAfterIsHonoured(t *testing.T) {
	src := &script{name: "b"}
	p, _ := newPoller(t, src)
	src.answer(nil, fmt.Errorf("source b: %w", slowDown{3 * time.Hour}))
	st := poll(t, p, "b")
	if got := st.NextPoll.Sub(st.LastAttempt); got < 3*time.Hour {
		t.Errorf("next poll in %s, the board asked for 3h", got)
	}
}

func TestSuspiciousAnswersCloseNothing(t *testing.T) {
	src := &script{name: "b"}
	p, clk := newPoller(t, src)
	src.answer(board(40), nil)
	poll(t, p, "b")

	src.answer(nil, nil) // zero openings where there were 40
	for range 3 {
		clk.add(13 * time.Hour)
		st := poll(t, p, "b")
		if st.Failures == 0 || !strings.Contains(st.LastError, "no openings where it had 40; nothing was closed") {
			t.Fatalf("an empty answer: %+v", st)
		}
	}
	src.answer(board(12), nil) // fewer than half: written, but no misses
	clk.add(13 * time.Hour)
	if st := poll(t, p, "b"); st.Failures != 0 || st.Listed != 12 {
		t.Fatalf("a short answer: %+v", st)
	}
	for i := range 40 {
		if o := get(t, p, fmt.Sprintf("b:%d", i)); !o.Open() || o.Misses != 0 {
			t.Fatalf("b:%d: misses %d closed %v", i, o.Misses, o.Closed)
		}
	}
	// Said again, it is believed: the missing ones count misses and close after the grace.
	for range 3 {
		clk.add(13 * time.Hour)
		poll(t, p, "b")
	}
	if o := get(t, p, "b:12"); o.Open() {
		t.Errorf("b:12 still open after a day of a board of 12: %+v", o)
	}
	if o := get(t, p, "b:11"); !o.Open() {
		t.Errorf("b:11 closed: %+v", o)
	}
}

func TestCrashingReaderIsAFailure(t *testing.T) {
	bad, good := &script{name: "bad", panicky: true}, &script{name: "good"}
	good.answer(board(2), nil)
	p, _ := newPoller(t, bad, good)
	st := poll(t, p, "bad")
	if st.Failures != 1 || !strings.Contains(st.LastError, "crashed") {
		t.Errorf("a crashing reader: %+v", st)
	}
	if st := poll(t, p, "good"); st.Listed != 2 {
		t.Errorf("the other source: %+v", st)
	}
}

func TestDatesAndWrites(t *testing.T) {
	src := &script{name: "b"}
	p, clk := newPoller(t, src)
	os := board(3)
	os[1].Posted = t0.Add(48 * time.Hour)                                                         // in the future
	os[2].Posted = t0.Add(-time.Hour).In(time.FixedZone("", 3600))                                // not in UTC
	os = append(os, jobs.Opening{ID: "b:0", Title: "Engineer 0", Description: "the longer copy"}) // listed twice
	src.answer(os, nil)
	poll(t, p, "b")
	if o := get(t, p, "b:0"); !o.Posted.Equal(t0) || !o.FirstSeen.Equal(t0) || o.Description != "the longer copy" {
		t.Errorf("undated, listed twice: %+v", o)
	}
	if o := get(t, p, "b:1"); !o.Posted.Equal(t0) {
		t.Errorf("posted in the future: %v, want clamped to %v", o.Posted, t0)
	}
	if o := get(t, p, "b:2"); o.Posted.Location() != time.UTC || !o.Posted.Equal(t0.Add(-time.Hour)) {
		t.Errorf("posted: %v", o.Posted)
	}

	// The same answer an hour later rewrites nothing; a changed opening is rewritten.
	ctx := context.Background()
	last, err := p.Store.Changes(ctx, 0, func(jobs.Opening) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	clk.add(time.Hour)
	poll(t, p, "b")
	var rewritten []string
	collect := func(o jobs.Opening) error { rewritten = append(rewritten, o.ID); return nil }
	if last, err = p.Store.Changes(ctx, last, collect); err != nil || len(rewritten) != 0 {
		t.Errorf("an unchanged board rewrote %v (%v)", rewritten, err)
	}
	os[1].Title = "Senior Engineer 1"
	src.answer(os, nil)
	clk.add(time.Hour)
	poll(t, p, "b")
	if _, err = p.Store.Changes(ctx, last, collect); err != nil || !slices.Equal(rewritten, []string{"b:1"}) {
		t.Errorf("after one title changed, rewritten %v (%v)", rewritten, err)
	}
}

func TestNotModifiedIsASuccess(t *testing.T) {
	src := &script{name: "b"}
	p, clk := newPoller(t, src)
	src.answer(board(3), nil)
	poll(t, p, "b")
	src.answer(nil, fmt.Errorf("source b: %w", jobs.ErrNotModified))
	for range 3 {
		clk.add(20 * time.Hour)
		if st := poll(t, p, "b"); st.Failures != 0 || st.Successes < 2 || st.Open != 3 {
			t.Fatalf("304: %+v", st)
		}
	}
	if o := get(t, p, "b:1"); !o.Open() || o.Misses != 0 {
		t.Errorf("after 304s: %+v", o)
	}
}

func TestClosedOpeningsArePruned(t *testing.T) {
	src := &script{name: "b"}
	p, clk := newPoller(t, src)
	src.answer(board(2), nil)
	poll(t, p, "b")
	src.answer(board(1), nil)
	for range 3 {
		clk.add(13 * time.Hour)
		poll(t, p, "b")
	}
	if o := get(t, p, "b:1"); o.Open() {
		t.Fatal("b:1 should be closed by now")
	}
	clk.add(91 * 24 * time.Hour)
	poll(t, p, "b")
	if _, err := p.Store.Opening(context.Background(), "b:1"); !errors.Is(err, jobs.ErrNotFound) {
		t.Errorf("closed 91 days ago and still stored: %v", err)
	}
}

func TestRunPollsEverySourceWhateverTheOthersDo(t *testing.T) {
	bad, good := &script{name: "bad", panicky: true}, &script{name: "good"}
	good.answer(board(2), nil)
	p := &jobs.Poller{Store: storetest.Embedded(t)}
	for _, s := range []*script{bad, good} {
		p.Sources = append(p.Sources, jobs.Scheduled{Source: s, Type: "test", Every: time.Hour})
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()
	deadline := time.After(30 * time.Second)
	for {
		sts, err := p.Store.Sources(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(sts) == 2 {
			if sts[1].Name != "good" || sts[1].Listed != 2 || sts[0].Failures != 1 {
				t.Errorf("statuses %+v", sts)
			}
			break
		}
		select {
		case <-deadline:
			t.Fatalf("both sources not polled: %+v", sts)
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	<-done
}
