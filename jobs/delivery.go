package jobs

import (
	"context"
	"errors"
	"strconv"
	"time"
)

// A Delivery is one message careerbot owes one channel: an opening that matched one of the
// channel's subscriptions, or one day's digest of a subscription. Exactly one message is
// posted per (Workspace, Channel, Key), whatever fails: the queue holds the record of each
// delivery from the moment it is owed until well after it was posted, and the record, not the
// queue's copy, says what was done.
type Delivery struct {
	Workspace string // workspace.Key: "slack:T123", "discord:456"
	Channel   string // the platform's channel id
	// Key names what is delivered, unique within the channel: the opening's id, or
	// DigestKey(subscription, day) for a digest.
	Key string
	// Subscription is the id of the subscription that asked for it (the first to match when
	// several of the channel's did): its Posts counts the message.
	Subscription int64
	// Openings are the ids a digest lists, in order; for a single opening, nil (Key is the id).
	Openings []string
	Enqueued time.Time

	// What the store knows of the delivery, set by the store.
	State     DeliveryState
	Attempts  int       // sends tried so far (claims), the one in progress included
	ClaimedAt time.Time // when the latest attempt was claimed
	Consumer  string    // who claimed it
	NotBefore time.Time // a retry waits until then
	MessageID string    // the platform's id of the posted message, once State is Sent
	LastError string    // a sentence: why the latest attempt failed
	Done      time.Time // when the delivery was sent or given up

	// Receipt identifies the queue's copy that Next handed out (a stream entry id), for the
	// calls that take it off the queue. Copies can be duplicated (a replay after a crash, a
	// reclaim): the record decides, so a duplicate copy costs a Claim, never a message.
	Receipt string
}

// DeliveryState is where a delivery is.
type DeliveryState string

// Delivery states. A delivery is Queued (new, or waiting to be retried at NotBefore), Sending
// from a Claim until its outcome is recorded (a Sending delivery whose lease ran out is in
// doubt: its sender may have posted and died before recording it), then Sent or Dead for good.
const (
	Queued  DeliveryState = "queued"
	Sending DeliveryState = "sending"
	Sent    DeliveryState = "sent"
	Dead    DeliveryState = "dead"
)

// DigestKey is the Key of a subscription's digest for one day (UTC date).
func DigestKey(subscription int64, day time.Time) string {
	return "digest-" + strconv.FormatInt(subscription, 10) + "-" + day.UTC().Format("20060102")
}

// ClaimOutcome is what a Claim found.
type ClaimOutcome int

// Claim outcomes.
const (
	// ClaimNew: the delivery was queued and is now Sending for the caller: send it.
	ClaimNew ClaimOutcome = iota + 1
	// ClaimInDoubt: an earlier attempt claimed it and its lease ran out without an outcome;
	// the caller now holds it and must find out whether that attempt posted before sending.
	// The returned Delivery carries the earlier attempt's ClaimedAt.
	ClaimInDoubt
	// ClaimBusy: another consumer's lease on it still runs: leave it (Ack the copy).
	ClaimBusy
	// ClaimDone: already Sent or Dead, or not due yet (NotBefore ahead), or unknown: Ack the
	// copy and do nothing else. A not-yet-due delivery has its own copy waiting.
	ClaimDone
)

// DeliveryStats are the queue's counts, for metrics and the status page.
type DeliveryStats struct {
	Queued  int64 // copies waiting in the queue, due now or to be retried
	Pending int64 // copies handed out and not yet taken off the queue
	InDoubt int64 // deliveries Sending whose lease ran out
	Dead    int64 // dead letters kept
	Sent    int64 // deliveries posted, since the store began counting
}

// Errors of the delivery queue.
var (
	ErrNoDelivery = errors.New("jobs: no such delivery")
	// ErrNotClaimed is returned by Sent, Retry and Dead when the caller does not hold the
	// delivery's current claim (another consumer took it over after the lease ran out): the
	// caller's outcome is dropped, the current holder's stands.
	ErrNotClaimed = errors.New("jobs: the delivery is claimed by someone else")
)

// DeliveryQueue holds what careerbot owes the channels: the durable records of deliveries and
// the queue of those still to post, shared by every replica. Implementations: jobs/redisstore
// (a Redis Stream with a consumer group; each workspace's records under its hash tag) and
// jobs/boltstore (one process), held to one contract by jobs/storetest.
type DeliveryQueue interface {
	// Enqueue records each delivery the store does not know yet as Queued and queues it, and
	// returns how many were new. A delivery already known is left as it is, except that one
	// still Queued is queued again (a duplicate copy), so that replaying a batch after a crash
	// between recording and queueing loses nothing. Deliveries need Workspace, Channel and Key.
	Enqueue(ctx context.Context, ds []Delivery) (int, error)
	// Next hands consumer up to max copies: first those another consumer took more than
	// reclaim ago and never took off the queue (it died, or is stuck), then retries that are
	// due, then new ones, waiting up to block when there are none. Each carries the record as
	// stored and a Receipt.
	Next(ctx context.Context, consumer string, max int, block, reclaim time.Duration) ([]Delivery, error)
	// Claim records an attempt before the send: a Queued delivery that is due, or a Sending
	// one whose lease ended, becomes Sending for consumer until now+lease, Attempts grows by
	// one. The outcome says what to do; the Delivery returned is the record after the claim
	// (for ClaimInDoubt, with the earlier attempt's ClaimedAt).
	Claim(ctx context.Context, d Delivery, consumer string, lease time.Duration, now time.Time) (Delivery, ClaimOutcome, error)
	// Sent records the platform's message id, makes the delivery Sent, counts the post on its
	// subscription when the subscription still exists and takes the copy off the queue.
	Sent(ctx context.Context, d Delivery, consumer, messageID string, now time.Time) error
	// Retry makes a claimed delivery Queued again, to be tried at at, with the reason, and
	// takes this copy off the queue (the retry has its own).
	Retry(ctx context.Context, d Delivery, consumer string, at time.Time, reason string) error
	// Dead gives up on a claimed delivery for good, keeps it among the workspace's dead
	// letters with the reason, and takes the copy off the queue.
	Dead(ctx context.Context, d Delivery, consumer, reason string, now time.Time) error
	// Ack takes a copy off the queue without touching the record (after ClaimBusy or
	// ClaimDone).
	Ack(ctx context.Context, d Delivery) error
	// Release hands a copy Next gave out, and never claimed, back to the queue at once, so
	// that another consumer takes it without waiting for the reclaim time: what a consumer
	// that stops does with the copies it had not begun.
	Release(ctx context.Context, d Delivery) error
	// Delivery returns the record of one delivery, or ErrNoDelivery.
	Delivery(ctx context.Context, workspace, channel, key string) (Delivery, error)
	// DeadLetters returns the workspace's dead letters, newest first, at most limit; with an
	// empty channel, the whole workspace's.
	DeadLetters(ctx context.Context, workspace, channel string, limit int) ([]Delivery, error)
	// DeliveryStats counts the queue.
	DeliveryStats(ctx context.Context) (DeliveryStats, error)

	// FanoutCursor is the change number (Store.Changes) up to which new openings have been
	// matched and their deliveries enqueued; zero at first. SetFanoutCursor moves it.
	FanoutCursor(ctx context.Context) (int64, error)
	SetFanoutCursor(ctx context.Context, change int64) error
}

// CheckDelivery says what is missing from a delivery about to be enqueued, for the stores.
func CheckDelivery(d Delivery) error {
	if d.Workspace == "" || d.Channel == "" || d.Key == "" {
		return errIncompleteDelivery
	}
	return nil
}

var errIncompleteDelivery = errors.New("jobs: a delivery needs a workspace, a channel and a key")

// ErrFenced is returned by a write made under a lock that has since changed hands: the
// writer's token is older than the lock's.
var ErrFenced = errors.New("jobs: the lock has passed to another holder")

// Lock is a lease on one job among replicas (the poller: exactly one replica polls the
// sources). The holder renews it well within its ttl; when the holder stops renewing, another
// replica takes it after the ttl, or at once after a Release. Each change of holder gives a
// greater fencing token, and writes made under the lock carry the token so that a stale
// holder's late write is refused with ErrFenced.
type Lock interface {
	// Acquire takes the lock for holder when it is free or expired, or renews it when holder
	// has it, for ttl from now; it returns the fencing token of the holding and whether the
	// caller holds the lock.
	Acquire(ctx context.Context, holder string, ttl time.Duration) (token int64, held bool, err error)
	// Release frees the lock when holder has it; otherwise it does nothing.
	Release(ctx context.Context, holder string) error
	// Holder says who holds the lock, with the token and when the lease ends; empty when
	// nobody does.
	Holder(ctx context.Context) (holder string, token int64, until time.Time, err error)
}
