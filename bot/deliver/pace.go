package deliver

import (
	"context"
	"sync"
	"time"
)

// A Rate is a pace: one message every Every, with bursts of up to Burst at once. The zero
// Rate paces only by what the platform asked for (a Retry-After).
type Rate struct {
	Every time.Duration
	Burst int
}

// Pacer spaces the sends to one key (a channel, a workspace, an API method) across every
// replica. The Redis store implements it for many replicas (jobs/redisstore.Pacer); LocalPacer
// serves one process.
type Pacer interface {
	// Take reserves the next slot of the workspace's key at one send every every, in bursts
	// of up to burst, and returns how long to wait before using it. A zero every paces by
	// what Hold learnt alone.
	Take(ctx context.Context, workspace, key string, every time.Duration, burst int) (time.Duration, error)
	// Hold keeps the key's next slot at least wait from now (the platform answered 429 with
	// Retry-After), after which sends go at the rate's interval, without a burst, so that a
	// 429 is not followed by another. For the zero Rate, the wait is learnt as the interval.
	Hold(ctx context.Context, workspace, key string, wait time.Duration) error
}

// LocalPacer is a Pacer for one process: the generic cell rate algorithm over a map.
type LocalPacer struct {
	mu   sync.Mutex
	tat  map[string]time.Time // the theoretical arrival time of the next send, per key
	gap  map[string]time.Duration
	rate map[string]Rate // the rate each key was last taken at
	now  func() time.Time
}

// NewLocalPacer returns an empty pacer.
func NewLocalPacer() *LocalPacer {
	return &LocalPacer{tat: map[string]time.Time{}, gap: map[string]time.Duration{}, rate: map[string]Rate{}, now: time.Now}
}

// Take implements Pacer.
func (p *LocalPacer) Take(_ context.Context, workspace, key string, every time.Duration, burst int) (time.Duration, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := workspace + "\x00" + key
	now := p.now()
	if every <= 0 {
		every, burst = p.gap[k], 1
	}
	p.rate[k] = Rate{Every: every, Burst: burst}
	return reserve(p.tat, k, now, every, burst), nil
}

// reserve is GCRA: the send may go at tat - (burst-1)*every, and moves tat on by every.
func reserve(tat map[string]time.Time, k string, now time.Time, every time.Duration, burst int) time.Duration {
	if burst < 1 {
		burst = 1
	}
	t := tat[k]
	if t.Before(now) {
		t = now
	}
	at := t.Add(-time.Duration(burst-1) * every)
	tat[k] = t.Add(every)
	if at.After(now) {
		return at.Sub(now)
	}
	return 0
}

// Hold implements Pacer.
func (p *LocalPacer) Hold(_ context.Context, workspace, key string, wait time.Duration) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := workspace + "\x00" + key
	if wait > p.gap[k] {
		p.gap[k] = wait
	}
	// The next send may go at tat - (burst-1)*every: put it at now+wait, the ones after at
	// the rate's interval.
	r := p.rate[k]
	until := p.now().Add(wait + time.Duration(max(r.Burst, 1)-1)*r.Every)
	if p.tat[k].Before(until) {
		p.tat[k] = until
	}
	return nil
}
