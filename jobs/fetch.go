package jobs

import (
	"context"
	"errors"
	"time"
)

// Fetcher reads the current openings of one board: a jobs/source.Source.
type Fetcher interface {
	Name() string
	Fetch(ctx context.Context) ([]Opening, error)
}

// ErrNotModified is a fetch whose board answered that nothing changed since the validators
// the poller sent (HTTP 304). It is a success: every opening is still listed.
var ErrNotModified = errors.New("the board's openings have not changed since the last fetch")

// Validators are what a board said of its last answer (ETag, Last-Modified), sent back as
// If-None-Match and If-Modified-Since so that an unchanged board can answer 304. The poller
// puts them in each fetch's context (WithValidators); the fetch sends them and writes the new
// answer's into the same value.
type Validators struct {
	ETag         string
	LastModified string
}

type validatorsKey struct{}

// WithValidators returns ctx carrying v for the fetch made with it; a nil v makes the fetch
// unconditional.
func WithValidators(ctx context.Context, v *Validators) context.Context {
	return context.WithValue(ctx, validatorsKey{}, v)
}

// ValidatorsFrom returns the validators ctx carries, or nil.
func ValidatorsFrom(ctx context.Context) *Validators {
	v, _ := ctx.Value(validatorsKey{}).(*Validators)
	return v
}

// retryAfter is an error that says how long the board asked careerbot to wait (HTTP 429 or
// 503 with Retry-After): jobs/source.StatusError.
type retryAfter interface {
	RetryAfterDelay() time.Duration
}

// RetryAfter is the wait err asks for, or zero.
func RetryAfter(err error) time.Duration {
	var ra retryAfter
	if errors.As(err, &ra) {
		return ra.RetryAfterDelay()
	}
	return 0
}
