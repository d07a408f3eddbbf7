package redisstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/redistest"
	"github.com/careerbot/careerbot/jobs/redisstore"
)

// TestPacer reserves sends on one key from two pacers sharing a Redis (two replicas): the
// burst goes at once, the rest one interval apart, whoever asks; a hold puts the next send
// after the wait and the ones after it an interval apart, without a burst. Waits are the
// server's arithmetic, not measured time, so the test checks them exactly up to the time that
// passes between calls.
func TestPacer(t *testing.T) {
	rdb := redistest.Client(t)
	ctx := context.Background()
	a, b := redisstore.NewPacer(rdb), redisstore.NewPacer(rdb)
	ws := fmt.Sprintf("slack:T%d", time.Now().UnixNano())
	const every = time.Second
	var waits []time.Duration
	for i := range 5 {
		p := a
		if i%2 == 1 {
			p = b
		}
		w, err := p.Take(ctx, ws, "channel:C1", every, 2)
		if err != nil {
			t.Fatal(err)
		}
		waits = append(waits, w)
	}
	// Expected: 0, 0, ~1s, ~2s, ~3s, less the little time the calls took.
	slack := 500 * time.Millisecond
	for i, w := range waits {
		want := time.Duration(max(i-1, 0)) * every
		if w > want || w < want-slack {
			t.Errorf("take %d waits %v, want about %v (waits %v)", i, w, want, waits)
		}
	}
	// Another key of the workspace is not held up.
	if w, err := a.Take(ctx, ws, "channel:C2", every, 2); err != nil || w != 0 {
		t.Errorf("another channel waits %v (%v)", w, err)
	}

	// A hold: the next send waits it out, the one after one interval more.
	if err := a.Hold(ctx, ws, "channel:C2", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	w1, _ := b.Take(ctx, ws, "channel:C2", every, 2)
	w2, _ := b.Take(ctx, ws, "channel:C2", every, 2)
	if w1 > 5*time.Second || w1 < 5*time.Second-slack || w2 < w1+every-slack || w2 > w1+every {
		t.Errorf("after a 5s hold the next sends wait %v and %v", w1, w2)
	}

	// The zero rate paces by the learnt wait alone: free at first, then the held interval.
	if w, _ := a.Take(ctx, ws, "history", 0, 0); w != 0 {
		t.Errorf("an unpaced key waits %v", w)
	}
	if err := a.Hold(ctx, ws, "history", 3*time.Second); err != nil {
		t.Fatal(err)
	}
	h1, _ := a.Take(ctx, ws, "history", 0, 0)
	h2, _ := a.Take(ctx, ws, "history", 0, 0)
	if h1 < 3*time.Second-slack || h1 > 3*time.Second || h2 < h1+3*time.Second-slack {
		t.Errorf("after learning a 3s wait the key waits %v then %v", h1, h2)
	}
}
