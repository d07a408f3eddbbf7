package bot

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

func TestWithin(t *testing.T) {
	tests := []struct {
		name     string
		work     time.Duration
		inline   bool
		deferred bool
	}{
		{"ready in time", 0, true, false},
		{"too slow", 200 * time.Millisecond, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var l Later
			release := make(chan struct{})
			var inline, deferred, late atomic.Int32
			Within(context.Background(), &l, 50*time.Millisecond,
				func(context.Context) int {
					if tt.work > 0 {
						<-release // slower than the budget, whatever the machine's speed
					}
					return 42
				},
				func(v int) { inline.Add(int32(v)) },
				func() {
					deferred.Add(1)
					close(release) // the answer is deferred while the work still runs
				},
				func(_ context.Context, v int) {
					if deferred.Load() != 1 {
						t.Error("late before deferred")
					}
					late.Add(int32(v))
				})
			if err := l.Wait(context.Background()); err != nil {
				t.Fatal(err)
			}
			if (inline.Load() == 42) != tt.inline || (deferred.Load() == 1) != tt.deferred || (late.Load() == 42) != tt.deferred {
				t.Errorf("inline %d, deferred %d, late %d", inline.Load(), deferred.Load(), late.Load())
			}
		})
	}
}

func TestLaterWaitTimesOut(t *testing.T) {
	var l Later
	block := make(chan struct{})
	l.Go(context.Background(), func(context.Context) { <-block })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Wait(ctx); err == nil {
		t.Error("Wait returned nil with work still running")
	}
	close(block)
	if err := l.Wait(context.Background()); err != nil {
		t.Error(err)
	}
}
