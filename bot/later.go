package bot

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Later runs work that outlives the request that started it (a reply completed after the
// platform's deadline, an event handled after its acknowledgement), and lets shutdown wait for
// it. The zero value is ready to use.
type Later struct {
	// Timeout bounds each piece of work; zero means 25 seconds.
	Timeout time.Duration

	wg sync.WaitGroup
}

// Go runs fn on its own goroutine with a context that keeps ctx's values but not its
// cancellation (the request that started the work is already answered) and ends after Timeout.
func (l *Later) Go(ctx context.Context, fn func(ctx context.Context)) {
	timeout := l.Timeout
	if timeout == 0 {
		timeout = 25 * time.Second
	}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
		defer cancel()
		fn(ctx)
	}()
}

// Wait waits for all work started with Go, until ctx ends.
func (l *Later) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() { l.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("work still running: %w", ctx.Err())
	}
}

// Within answers a request that has a deadline. It runs work through l and, when the result is
// ready within budget, hands it to inline; otherwise it calls deferred at the budget (the
// platform's "working on it") and late once the result is ready. Exactly one of inline and
// deferred is called, before Within returns, and never after budget has passed.
func Within[T any](ctx context.Context, l *Later, budget time.Duration,
	work func(ctx context.Context) T, inline func(T), deferred func(), late func(ctx context.Context, result T)) {
	const (
		waiting = iota
		answered
		postponed
	)
	var state atomic.Int32
	ready := make(chan T, 1)
	l.Go(ctx, func(ctx context.Context) {
		result := work(ctx)
		if state.CompareAndSwap(waiting, answered) {
			ready <- result
			return
		}
		late(ctx, result)
	})
	timer := time.NewTimer(budget)
	defer timer.Stop()
	select {
	case result := <-ready:
		inline(result)
	case <-timer.C:
		if state.CompareAndSwap(waiting, postponed) {
			deferred()
			return
		}
		inline(<-ready) // finished in the instant the timer fired
	}
}
