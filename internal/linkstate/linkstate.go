// Package linkstate tracks whether a long-lived connection to a chat platform (Slack's Socket
// Mode, Discord's gateway) is up, for readiness probes. A connection that drops and comes back
// within a grace period is normal — Slack refreshes Socket Mode connections, Discord asks
// clients to reconnect — so only one down for longer than that makes the process unready.
package linkstate

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// DefaultGrace is how long a connection may be down before it counts as unready.
const DefaultGrace = 30 * time.Second

// Tracker is the state of one connection. It starts down: the time before the first
// successful connect counts against the grace period like any other outage.
type Tracker struct {
	name  string
	grace time.Duration
	now   func() time.Time

	mu        sync.Mutex
	up        bool
	downSince time.Time
}

// New returns a tracker for the connection called name, down since now(). A grace of zero
// or less means DefaultGrace.
func New(name string, grace time.Duration, now func() time.Time) *Tracker {
	if grace <= 0 {
		grace = DefaultGrace
	}
	return &Tracker{name: name, grace: grace, now: now, downSince: now()}
}

// Lazy makes its Tracker on first use (a connection's start or the first readiness probe),
// which is when the tracker starts counting down time. The zero value is ready to use.
type Lazy struct {
	once    sync.Once
	tracker *Tracker
}

// Get returns the tracker, made with New(name, grace, time.Now) the first time.
func (l *Lazy) Get(name string, grace time.Duration) *Tracker {
	l.once.Do(func() { l.tracker = New(name, grace, time.Now) })
	return l.tracker
}

// Up records that the connection is established.
func (t *Tracker) Up() {
	t.mu.Lock()
	t.up = true
	t.mu.Unlock()
}

// Down records that the connection is lost. An outage already under way keeps its start.
func (t *Tracker) Down() {
	t.mu.Lock()
	if t.up {
		t.up = false
		t.downSince = t.now()
	}
	t.mu.Unlock()
}

// Ready returns nil while the connection is up or has been down for no longer than the grace
// period, and an error saying for how long it has been down otherwise. Its signature is that of
// a readiness probe.
func (t *Tracker) Ready(context.Context) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.up {
		return nil
	}
	if down := t.now().Sub(t.downSince); down > t.grace {
		return fmt.Errorf("%s down for %s (grace %s)", t.name, down.Round(time.Millisecond), t.grace)
	}
	return nil
}
