package jobs

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned for an opening or a source the store does not hold.
var ErrNotFound = errors.New("jobs: not found")

// Store keeps openings and the poller's per-source status, so that every replica answers
// /jobs from the same data. Openings are global (a board's opening is the same for every
// workspace); nothing here is per workspace. Implementations: jobs/redisstore (one Redis,
// Sentinel or Cluster) and jobs/boltstore (the embedded file); jobs/storetest is the contract
// both pass.
type Store interface {
	// PutOpenings writes whole records, replacing any with the same ID, and gives each write
	// the next change number, in the order given. A record is written whole or not at all; an
	// opening with an empty ID fails the call before anything is written. Whether a call that
	// fails later may leave part of the batch written is the implementation's to say.
	PutOpenings(ctx context.Context, openings []Opening) error
	// Opening returns one opening by ID, or ErrNotFound.
	Opening(ctx context.Context, id string) (Opening, error)
	// SourceOpenings returns every opening stored for the source, open or closed, in no
	// particular order.
	SourceOpenings(ctx context.Context, source string) ([]Opening, error)
	// Changes calls fn with each opening whose latest write has a change number greater than
	// after, in change order, and returns the greatest change number seen (after itself when
	// there is none). Changes(ctx, 0, fn) visits every opening once: how a replica loads its
	// search index, then keeps it fresh with the number it got back. When fn returns an
	// error, Changes stops and returns it with the greatest change number fn accepted, so that
	// the caller can resume from there. An opening rewritten while Changes runs may be visited
	// again, with its new content, later in the same call.
	Changes(ctx context.Context, after int64, fn func(Opening) error) (int64, error)
	// DeleteOpenings removes openings by ID; a missing ID is not an error.
	DeleteOpenings(ctx context.Context, ids []string) error

	// PutSource writes a source's status, replacing the previous one. A status with an empty
	// name is an error.
	PutSource(ctx context.Context, s SourceStatus) error
	// Source returns one source's status, or ErrNotFound.
	Source(ctx context.Context, name string) (SourceStatus, error)
	// Sources returns every source's status, sorted by name.
	Sources(ctx context.Context) ([]SourceStatus, error)
}

// SourceStatus is what the poller knows of one source: for metrics, `careerbot jobs sources`
// and the status page.
type SourceStatus struct {
	Name        string
	Type        string
	Every       time.Duration // the poll interval in force (after the type's floor)
	LastAttempt time.Time
	LastSuccess time.Time
	LastError   string    // a sentence; empty after a success
	LastErrorAt time.Time // when LastError happened
	Failures    int       // consecutive failed fetches; zero after a success
	Successes   int       // successful fetches so far
	Listed      int       // openings the last successful fetch listed
	Open        int       // openings of this source now open in the store
	NextPoll    time.Time
	// ETag and LastModified are the validators of the last successful answer, sent back as
	// If-None-Match and If-Modified-Since so that an unchanged board answers 304.
	ETag         string
	LastModified string
}
