package jobs

import (
	"context"
	"errors"
	"time"
)

// Subscription is a channel's standing query: every new opening that matches is posted there
// once (or listed in a daily digest).
type Subscription struct {
	ID        int64  // unique within the workspace, from 1; what /jobs unsubscribe takes
	Workspace string // "platform:workspace-id" (workspace.Key), the key of every store
	Channel   string // the platform's channel id
	Query     string // as canonical text (Query.String); parsed again whenever loaded
	Creator   string // the platform's user id
	// CreatorName is the creator's display name when the platform gave one.
	CreatorName string
	Created     time.Time // UTC
	Digest      bool      // one message a day listing the day's matches, instead of one per opening
	Posts       int64     // openings delivered so far

	// Disabled is when delivery stopped for good (the channel is gone, the bot was removed,
	// the query no longer parses), with the reason as a sentence; zero while active.
	Disabled       time.Time
	DisabledReason string
}

// Active says whether the subscription is delivered.
func (s *Subscription) Active() bool { return s.Disabled.IsZero() }

// MaxPerChannel is how many subscriptions one channel may have.
const MaxPerChannel = 25

// Errors of Subscribe, for the sentence a user sees.
var (
	ErrChannelFull     = errors.New("jobs: the channel has the most subscriptions allowed")
	ErrDuplicateQuery  = errors.New("jobs: the channel already has a subscription with this query")
	ErrNoSubscription  = errors.New("jobs: no such subscription")
	errEmptySubscriber = errors.New("jobs: a subscription needs a workspace, a channel and a query")
	errNoDisableTime   = errors.New("jobs: a subscription is disabled at a time")
)

// CheckNew says what is missing from a subscription about to be stored, for the stores.
func CheckNew(s Subscription) error {
	if s.Workspace == "" || s.Channel == "" || s.Query == "" {
		return errEmptySubscriber
	}
	return nil
}

// DisableChange is the change Disable makes to a stored subscription, for the stores: an
// active one stops at at with the reason; a disabled one keeps its first reason and time. A
// zero at is an error: the subscription would stay active.
func DisableChange(reason string, at time.Time) (func(*Subscription), error) {
	if at.IsZero() {
		return nil, errNoDisableTime
	}
	return func(s *Subscription) {
		if s.Active() {
			s.Disabled, s.DisabledReason = at, reason
		}
	}, nil
}

// PostsChange is the change CountPost makes to a stored subscription, for the stores.
func PostsChange(n int64) func(*Subscription) {
	return func(s *Subscription) { s.Posts += n }
}

// SubscriptionStore keeps the channels' subscriptions, per workspace: no call of one workspace
// reads or changes another's. Implementations: jobs/redisstore and jobs/boltstore, held to one
// contract by jobs/storetest.
type SubscriptionStore interface {
	// Subscribe stores s with the next id of its workspace (s.ID is ignored) and returns it as
	// stored. Ids only grow: one that was unsubscribed is never given again. It refuses a
	// subscription CheckNew refuses, a 26th subscription of the channel (ErrChannelFull) and a
	// second one with the same Query text in the channel (ErrDuplicateQuery, with the existing
	// one returned), atomically: two concurrent calls cannot both pass the checks. A refused
	// call stores nothing and takes no id.
	Subscribe(ctx context.Context, s Subscription) (Subscription, error)
	// Unsubscribe removes the workspace's subscription id and returns it; ErrNoSubscription
	// when the workspace has none with that id.
	Unsubscribe(ctx context.Context, workspace string, id int64) (Subscription, error)
	// Subscription returns one, or ErrNoSubscription.
	Subscription(ctx context.Context, workspace string, id int64) (Subscription, error)
	// ChannelSubscriptions returns the channel's subscriptions, oldest first.
	ChannelSubscriptions(ctx context.Context, workspace, channel string) ([]Subscription, error)
	// AllSubscriptions calls fn with every subscription of every workspace, each once, in no
	// particular order: how the matcher loads its index. fn may call the store. When fn
	// returns an error, AllSubscriptions stops and returns it.
	AllSubscriptions(ctx context.Context, fn func(Subscription) error) error
	// Disable stops a subscription for good with the reason, at the time given, which must not
	// be zero; disabling one already disabled keeps the first reason and time.
	// ErrNoSubscription when there is none.
	Disable(ctx context.Context, workspace string, id int64, reason string, at time.Time) error
	// CountPost adds n delivered openings to the subscription's Posts, atomically: concurrent
	// calls all count. ErrNoSubscription when there is none.
	CountPost(ctx context.Context, workspace string, id int64, n int64) error
}
