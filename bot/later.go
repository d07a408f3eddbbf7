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
	timeout := l.timeout()
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
		defer cancel()
		fn(ctx)
	}()
}

func (l *Later) timeout() time.Duration {
	if l.Timeout == 0 {
		return 25 * time.Second
	}
	return l.Timeout
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

// Within answers a request that has a deadline. It runs work on the calling goroutine, as
// work that l waits for, with a context that keeps ctx's values but not its cancellation (the
// answer may outlive the request) and ends after l's Timeout. When the result is ready within
// budget it hands it to inline. Otherwise, at the budget, it calls deferred on another goroutine
// (the platform's "working on it") and, once the result is ready and deferred has returned, late.
// Exactly one of inline and deferred is called, and never after budget has passed; Within
// returns once the result is delivered.
//
// Running the work where the request already is saves a goroutine and two hand-offs per
// request. The price is that a deferred answer is given while the caller is still busy: an HTTP
// handler's deferred must complete its response on the wire (Content-Length and a flush), since
// the handler has not returned yet.
func Within[T any](ctx context.Context, l *Later, budget time.Duration,
	work func(ctx context.Context) T, inline func(T), deferred func(), late func(ctx context.Context, result T)) {
	const (
		waiting = iota
		answered
		postponed
	)
	// Counted before the deferred answer can go out, so that whoever sees that answer and then
	// waits for l waits for this work too.
	l.wg.Add(1)
	defer l.wg.Done()
	var state atomic.Int32
	deferredDone := make(chan struct{})
	timer := time.AfterFunc(budget, func() {
		if state.CompareAndSwap(waiting, postponed) {
			deferred()
			close(deferredDone)
		}
	})
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), l.timeout())
	defer cancel()
	result := work(ctx)
	if state.CompareAndSwap(waiting, answered) {
		timer.Stop()
		inline(result)
		return
	}
	<-deferredDone
	late(ctx, result)
}
