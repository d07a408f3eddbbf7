package linkstate

import (
	"context"
	"strings"
	"testing"
	"time"
)

// clock is a fake time source the test moves by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestTracker(t *testing.T) {
	type step struct {
		advance time.Duration
		event   string // "up", "down" or "" (time passes only)
		ready   bool
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"not yet connected, within grace", []step{{advance: 10 * time.Second, ready: true}}},
		{"never connected, past grace", []step{{advance: 31 * time.Second, ready: false}}},
		{"connected late", []step{{advance: 31 * time.Second, ready: false}, {event: "up", ready: true}}},
		{"short drop", []step{{event: "up", ready: true}, {advance: time.Hour, event: "down", ready: true}, {advance: 29 * time.Second, ready: true}, {event: "up", ready: true}}},
		{"long drop", []step{{event: "up", ready: true}, {advance: time.Hour, event: "down", ready: true}, {advance: 31 * time.Second, ready: false}, {event: "up", ready: true}}},
		{"repeated downs keep the outage's start", []step{{event: "up", ready: true}, {event: "down", ready: true}, {advance: 20 * time.Second, event: "down", ready: true}, {advance: 20 * time.Second, event: "down", ready: false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := &clock{t: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
			tr := New("slack socket mode", 0, c.now)
			for i, s := range tt.steps {
				c.advance(s.advance)
				switch s.event {
				case "up":
					tr.Up()
				case "down":
					tr.Down()
				}
				err := tr.Ready(context.Background())
				if (err == nil) != s.ready {
					t.Fatalf("step %d: Ready = %v, want ready %v", i, err, s.ready)
				}
				if err != nil && !strings.Contains(err.Error(), "slack socket mode down for") {
					t.Errorf("step %d: error %q does not name the connection", i, err)
				}
			}
		})
	}
}

func TestTrackerGrace(t *testing.T) {
	c := &clock{}
	tr := New("discord gateway", 5*time.Second, c.now)
	c.advance(6 * time.Second)
	if err := tr.Ready(context.Background()); err == nil {
		t.Error("ready 6 s after start with a 5 s grace")
	}
}
