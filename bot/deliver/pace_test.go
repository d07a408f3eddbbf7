package deliver

import (
	"context"
	"testing"
	"time"
)

// TestLocalPacer: a burst goes at once and the rest one interval apart; a hold puts the next
// send after the wait and the ones after it an interval apart without a burst; the zero rate
// paces by the learnt wait alone. The clock is the test's.
func TestLocalPacer(t *testing.T) {
	ctx := context.Background()
	clock := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	p := NewLocalPacer()
	p.now = func() time.Time { return clock }
	take := func(key string, every time.Duration, burst int) time.Duration {
		w, err := p.Take(ctx, "slack:T1", key, every, burst)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	s := time.Second
	for i, want := range []time.Duration{0, 0, 0, s, 2 * s} {
		if got := take("c1", s, 3); got != want {
			t.Errorf("take %d waits %v, want %v", i, got, want)
		}
	}
	clock = clock.Add(10 * s) // idle: the burst is back
	for i, want := range []time.Duration{0, 0, 0, s} {
		if got := take("c1", s, 3); got != want {
			t.Errorf("after idling, take %d waits %v, want %v", i, got, want)
		}
	}
	if got := take("c2", s, 3); got != 0 {
		t.Errorf("another key waits %v", got)
	}
	clock = clock.Add(10 * s)
	if err := p.Hold(ctx, "slack:T1", "c1", 5*s); err != nil {
		t.Fatal(err)
	}
	for i, want := range []time.Duration{5 * s, 6 * s, 7 * s} {
		if got := take("c1", s, 3); got != want {
			t.Errorf("after a hold, take %d waits %v, want %v", i, got, want)
		}
	}
	if got := take("history", 0, 0); got != 0 {
		t.Errorf("an unpaced key waits %v", got)
	}
	if err := p.Hold(ctx, "slack:T1", "history", time.Minute); err != nil {
		t.Fatal(err)
	}
	if a, b := take("history", 0, 0), take("history", 0, 0); a != time.Minute || b != 2*time.Minute {
		t.Errorf("after a minute's hold the history waits %v then %v", a, b)
	}
}

// TestNonce: at most 25 characters of [0-9a-z], stable, and different per channel and key.
func TestNonce(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range []string{"C1", "C2", "123456789012345678"} {
		for _, k := range []string{"r0123456789abcdef0", "digest-1-20261201", ""} {
			n := Nonce(c, k)
			if len(n) > 25 || n != Nonce(c, k) || seen[n] {
				t.Errorf("Nonce(%q, %q) = %q", c, k, n)
			}
			for _, r := range n {
				if !('0' <= r && r <= '9' || 'a' <= r && r <= 'z') {
					t.Errorf("Nonce(%q, %q) = %q has %q", c, k, n, r)
				}
			}
			seen[n] = true
		}
	}
}
