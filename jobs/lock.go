package jobs

import (
	"context"
	"log/slog"
	"time"
)

// Leader runs work on the one replica that holds a Lock: it tries to take the lock every
// ttl/10, and while it holds it, runs work with the holding's fencing token and renews the
// lock every ttl/3. When a renewal fails or finds the lock gone, work's context ends at once,
// before the lease could run out, so that two replicas never work under one lock at the same
// time as far as their clocks agree; the fencing token catches the rest. When ctx ends, work
// is waited for and the lock released, so another replica takes over without waiting for
// the lease to run out.
type Leader struct {
	Lock   Lock
	Holder string        // this replica's name, unique among replicas
	TTL    time.Duration // the lease; default 30s
	Log    *slog.Logger
	// OnChange, when set, hears whether this replica holds the lock, at each change.
	OnChange func(held bool, token int64)
}

// Run takes part in the election until ctx ends.
func (l *Leader) Run(ctx context.Context, work func(ctx context.Context, token int64)) {
	ttl := l.TTL
	if ttl <= 0 {
		ttl = 30 * time.Second
	}
	log := l.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	tick := time.NewTicker(ttl / 3) // renewals
	defer tick.Stop()
	try := time.NewTicker(ttl / 10) // attempts while another replica holds it: a released lock is taken soon
	defer try.Stop()
	for {
		token, held, err := l.Lock.Acquire(ctx, l.Holder, ttl)
		if err != nil && ctx.Err() == nil {
			log.WarnContext(ctx, "the lock cannot be read", "err", err)
		}
		if held {
			l.lead(ctx, token, ttl, tick, log, work)
		}
		select {
		case <-ctx.Done():
			return
		case <-try.C:
		}
	}
}

// lead runs work while the lock stays held.
func (l *Leader) lead(ctx context.Context, token int64, ttl time.Duration, tick *time.Ticker, log *slog.Logger, work func(context.Context, int64)) {
	log.InfoContext(ctx, "this replica holds the lock", "holder", l.Holder, "token", token)
	if l.OnChange != nil {
		l.OnChange(true, token)
	}
	wctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		work(wctx, token)
	}()
	renewed := time.Now()
	for held := true; held; {
		select {
		case <-ctx.Done():
			held = false
		case <-done:
			held = false
		case <-tick.C:
			t, ok, err := l.Lock.Acquire(ctx, l.Holder, ttl)
			switch {
			case err == nil && ok && t == token:
				renewed = time.Now()
			case err != nil && time.Since(renewed) < ttl/2:
				log.WarnContext(ctx, "the lock cannot be renewed; trying again", "err", err)
			default:
				log.WarnContext(ctx, "this replica lost the lock", "holder", l.Holder, "err", err)
				held = false
			}
		}
	}
	stop()
	<-done
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := l.Lock.Release(rctx, l.Holder); err != nil {
		log.WarnContext(ctx, "the lock cannot be released; it expires by itself", "err", err)
	}
	if l.OnChange != nil {
		l.OnChange(false, 0)
	}
}
