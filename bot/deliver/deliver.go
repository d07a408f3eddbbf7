package deliver

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/jobs"
)

// Queue is the part of jobs.DeliveryQueue the loop uses.
type Queue interface {
	Next(ctx context.Context, consumer string, max int, block, reclaim time.Duration) ([]jobs.Delivery, error)
	Claim(ctx context.Context, d jobs.Delivery, consumer string, lease time.Duration, now time.Time) (jobs.Delivery, jobs.ClaimOutcome, error)
	Sent(ctx context.Context, d jobs.Delivery, consumer, messageID string, now time.Time) error
	Retry(ctx context.Context, d jobs.Delivery, consumer string, at time.Time, reason string) error
	Dead(ctx context.Context, d jobs.Delivery, consumer, reason string, now time.Time) error
	Ack(ctx context.Context, d jobs.Delivery) error
	Release(ctx context.Context, d jobs.Delivery) error
}

// Subscriptions is the part of jobs.SubscriptionStore the loop uses, to disable the
// subscriptions of a channel the platform says is gone for good.
type Subscriptions interface {
	ChannelSubscriptions(ctx context.Context, workspace, channel string) ([]jobs.Subscription, error)
	AllSubscriptions(ctx context.Context, fn func(jobs.Subscription) error) error
	Disable(ctx context.Context, workspace string, id int64, reason string, at time.Time) error
}

// Renderer makes the message of a delivery (bot/career renders openings as /jobs does).
type Renderer interface {
	// Render returns the reply to post; ErrGone when what it delivers is no longer known.
	Render(ctx context.Context, d jobs.Delivery) (bot.Reply, error)
}

// ErrGone is returned by a Renderer for a delivery whose opening the store no longer holds.
var ErrGone = jobs.ErrNotFound

// Observer counts what the loop does, for metrics; may be nil.
type Observer interface {
	// Delivered counts one outcome on a platform: "sent", "duplicate" (an in-doubt delivery
	// found already posted), "retry", "dead", "disabled".
	Delivered(platform, outcome string)
}

// Deliverer takes deliveries off the queue and posts each exactly once. Many Deliverers (one
// per replica) share one queue; each names itself with a distinct Consumer.
type Deliverer struct {
	Queue    Queue
	Subs     Subscriptions
	Render   Renderer
	Posters  map[bot.Platform]Poster
	Pacer    Pacer // nil: no pacing (benchmarks)
	Rates    Rates
	Consumer string
	Log      *slog.Logger
	Observe  Observer
	Now      func() time.Time

	// Lease is how long a claim lasts before the delivery counts as in doubt (default 2m);
	// Reclaim is how long a copy handed to a consumer may stay unfinished before another
	// consumer takes it (default Lease plus 30s). Lanes is how many channels are posted to at
	// once (default 16). MaxAttempts is how many claims a delivery gets before it is given up
	// as a dead letter (default 8).
	Lease, Reclaim time.Duration
	Lanes          int
	MaxAttempts    int
	// Backoff is the first wait before a retry, doubled per attempt up to an hour (default 5s).
	Backoff time.Duration
}

// Rates are the paces per platform.
type Rates struct {
	Channel   map[bot.Platform]Rate // per channel
	Workspace map[bot.Platform]Rate // per workspace (Slack's workspace-wide limit)
}

// DefaultRates follow PLATFORMS.md: Slack about one message per second per channel with a
// short burst, and a few hundred a minute per workspace; Discord five per five seconds per
// channel (the channel-messages bucket; discordgo also paces from the bucket headers) and 50
// requests a second per bot.
func DefaultRates() Rates {
	return Rates{
		Channel: map[bot.Platform]Rate{
			bot.PlatformSlack:   {Every: time.Second, Burst: 3},
			bot.PlatformDiscord: {Every: time.Second, Burst: 5},
		},
		Workspace: map[bot.Platform]Rate{
			bot.PlatformSlack:   {Every: 200 * time.Millisecond, Burst: 20},
			bot.PlatformDiscord: {Every: 20 * time.Millisecond, Burst: 50},
		},
	}
}

const (
	defaultLease       = 2 * time.Minute
	defaultLanes       = 16
	defaultMaxAttempts = 8
	defaultBackoff     = 5 * time.Second
	maxBackoff         = time.Hour
	batchSize          = 64
	// triesPerClaim bound the sends and checks one claim makes before handing the delivery
	// back to the queue (a retry) or to whoever settles it after the lease (in doubt).
	triesPerClaim = 4
)

func (d *Deliverer) defaults() {
	if d.Lease <= 0 {
		d.Lease = defaultLease
	}
	if d.Reclaim <= 0 {
		d.Reclaim = d.Lease + 30*time.Second
	}
	if d.Lanes <= 0 {
		d.Lanes = defaultLanes
	}
	if d.MaxAttempts <= 0 {
		d.MaxAttempts = defaultMaxAttempts
	}
	if d.Backoff <= 0 {
		d.Backoff = defaultBackoff
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Consumer == "" {
		d.Consumer = "careerbot"
	}
}

// lane is one channel's deliveries, posted in order by one goroutine.
type lane struct {
	todo []jobs.Delivery
}

// Run delivers until ctx ends. A send in progress when ctx ends is finished (within the
// lease); copies not begun are handed back to the queue, for another consumer at once.
func (d *Deliverer) Run(ctx context.Context) error {
	d.defaults()
	var (
		mu      sync.Mutex
		lanes   = map[string]*lane{}
		pending int
		wg      sync.WaitGroup
		slots   = make(chan struct{}, d.Lanes)
		room    = make(chan struct{}, 1)
	)
	maxPending := d.Lanes * batchSize
	work := context.WithoutCancel(ctx) // a send begun is finished, not cut short
	runLane := func(key string, l *lane) {
		defer wg.Done()
		slots <- struct{}{}
		defer func() { <-slots }()
		for {
			mu.Lock()
			if len(l.todo) == 0 || ctx.Err() != nil {
				left := l.todo
				pending -= len(left)
				delete(lanes, key)
				mu.Unlock()
				d.release(work, left) // another replica takes them at once
				signal(room)
				return
			}
			item := l.todo[0]
			l.todo = l.todo[1:]
			mu.Unlock()
			d.deliver(work, ctx, item)
			mu.Lock()
			pending--
			mu.Unlock()
			signal(room)
		}
	}
	defer wg.Wait()
	for ctx.Err() == nil {
		mu.Lock()
		full := pending >= maxPending
		mu.Unlock()
		if full {
			select {
			case <-room:
			case <-ctx.Done():
			}
			continue
		}
		items, err := d.Queue.Next(ctx, d.Consumer, batchSize, time.Second, d.Reclaim)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			d.Log.WarnContext(ctx, "the delivery queue cannot be read", "err", err)
			sleep(ctx, time.Second)
			continue
		}
		mu.Lock()
		for _, it := range items {
			key := it.Workspace + "\x00" + it.Channel
			l, ok := lanes[key]
			if !ok {
				l = &lane{}
				lanes[key] = l
				wg.Add(1)
				go runLane(key, l)
			}
			l.todo = append(l.todo, it)
			pending++
		}
		mu.Unlock()
	}
	return nil
}

// release hands copies not begun back to the queue; one that cannot be handed back is taken
// over after the reclaim time instead.
func (d *Deliverer) release(ctx context.Context, items []jobs.Delivery) {
	for _, it := range items {
		if err := d.Queue.Release(ctx, it); err != nil {
			d.Log.WarnContext(ctx, "a delivery cannot be handed back; another replica takes it after the reclaim time",
				"workspace", it.Workspace, "channel", it.Channel, "err", err)
		}
	}
}

func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// deliver settles one copy: claim, render, settle an earlier attempt in doubt, send, record.
// work carries the values of the run's context without its end, so that a send begun is
// recorded; run says whether to begin anything more.
func (d *Deliverer) deliver(work, run context.Context, item jobs.Delivery) {
	log := d.Log.With("workspace", item.Workspace, "channel", item.Channel, "key", item.Key)
	claimed := d.Now()
	rec, outcome, err := d.Queue.Claim(work, item, d.Consumer, d.Lease, claimed)
	if err != nil {
		log.WarnContext(work, "a delivery cannot be claimed; it stays queued", "err", err)
		return
	}
	rec.Receipt = item.Receipt
	switch outcome {
	case jobs.ClaimBusy, jobs.ClaimDone:
		d.ack(work, log, rec)
		return
	}
	platform, teamID, _ := strings.Cut(rec.Workspace, ":")
	poster, ok := d.Posters[bot.Platform(platform)]
	if !ok {
		d.retry(work, log, rec, platform, "careerbot has no connection to "+platform+" configured")
		return
	}
	if !d.wanted(work, log, rec) {
		d.dead(work, log, rec, platform, "the channel's subscriptions were removed or disabled before it was posted")
		return
	}
	reply, err := d.Render.Render(work, rec)
	if errors.Is(err, ErrGone) {
		d.dead(work, log, rec, platform, "the opening is no longer held by careerbot")
		return
	}
	if err != nil {
		d.retry(work, log, rec, platform, "the message could not be made: "+err.Error())
		return
	}
	post := bot.Post{Workspace: teamID, Channel: rec.Channel, Key: Nonce(rec.Channel, rec.Key), Reply: reply}
	unsure := outcome == jobs.ClaimInDoubt
	since := rec.ClaimedAt // for a delivery in doubt, when the earlier attempt began
	if since.IsZero() {
		since = claimed.Add(-d.Reclaim - d.Lease)
	}
	deadline := claimed.Add(d.Lease / 2) // past it, hand back rather than risk the lease
	var lastErr error
	for try := 0; try < triesPerClaim && run.Err() == nil && d.Now().Before(deadline); try++ {
		if unsure {
			if err := d.pace(run, platform, rec.Workspace, "history", Rate{}); err != nil {
				break
			}
			id, err := poster.Find(work, post, since)
			if err != nil {
				lastErr = err
				if ra := RetryAfterOf(err); ra > 0 {
					d.hold(work, rec.Workspace, "history", ra)
				} else {
					sleep(run, d.backoff(try))
				}
				continue
			}
			if id != "" {
				d.sent(work, log, rec, platform, id, "duplicate")
				return
			}
			unsure = false
		}
		if err := d.pace(run, platform, rec.Workspace, "channel:"+rec.Channel, d.Rates.Channel[bot.Platform(platform)]); err != nil {
			break
		}
		if err := d.pace(run, platform, rec.Workspace, "workspace", d.Rates.Workspace[bot.Platform(platform)]); err != nil {
			break
		}
		attempt := d.Now()
		id, err := poster.Post(work, post)
		if err == nil {
			d.sent(work, log, rec, platform, id, "sent")
			return
		}
		lastErr = err
		switch {
		case IsPermanent(err):
			d.disable(work, log, rec, platform, err)
			return
		case RetryAfterOf(err) > 0:
			// Not posted: the platform refused it for the pace. Nobody posts to the
			// channel before the wait ends.
			d.hold(work, rec.Workspace, "channel:"+rec.Channel, RetryAfterOf(err))
		case IsNotPosted(err):
			// Refused for another reason that may pass (or not): back to the queue, with
			// a growing wait, until the attempts run out.
			try = triesPerClaim
		default:
			// A 5xx or a lost answer: the message may be in the channel. Check before
			// sending again.
			unsure, since = true, attempt
			sleep(run, d.backoff(try))
		}
	}
	if unsure {
		// Posted or not, nobody knows yet: leave the claim to run out, so that whoever takes
		// the delivery next (this consumer or another, after the reclaim time) checks first.
		log.InfoContext(work, "a delivery is in doubt; it is checked before any resend", "attempts", rec.Attempts, "err", lastErr)
		d.observe(platform, "in-doubt")
		if rec.Attempts >= d.MaxAttempts {
			d.giveUp(work, log, rec, platform, poster, post, lastErr)
		}
		return
	}
	if rec.Attempts >= d.MaxAttempts {
		d.giveUp(work, log, rec, platform, poster, post, lastErr)
		return
	}
	reason := "interrupted"
	if lastErr != nil {
		reason = lastErr.Error()
	}
	d.retry(work, log, rec, platform, reason)
}

// wanted says whether the channel still has an active subscription of the delivery's kind:
// deliveries queued before an unsubscribe or a disable are not posted.
func (d *Deliverer) wanted(ctx context.Context, log *slog.Logger, rec jobs.Delivery) bool {
	subs, err := d.Subs.ChannelSubscriptions(ctx, rec.Workspace, rec.Channel)
	if err != nil {
		log.WarnContext(ctx, "the channel's subscriptions cannot be read; delivering", "err", err)
		return true
	}
	digest := len(rec.Openings) > 1 || strings.HasPrefix(rec.Key, "digest-")
	for _, s := range subs {
		if s.Active() && (!digest || s.ID == rec.Subscription) {
			return true
		}
	}
	return false
}

// Nonce is the platform-side key of a delivery: at most 25 characters of [0-9a-z], the same
// for every attempt.
func Nonce(channel, key string) string {
	sum := sha256.Sum256([]byte(channel + "\x00" + key))
	return "cb" + strconv.FormatUint(binary.BigEndian.Uint64(sum[:8]), 36)
}

func (d *Deliverer) backoff(attempt int) time.Duration {
	b := d.Backoff
	for i := 0; i < attempt && b < maxBackoff; i++ {
		b *= 2
	}
	return min(b, maxBackoff)
}

func (d *Deliverer) pace(ctx context.Context, platform, workspace, name string, r Rate) error {
	if d.Pacer == nil {
		return ctx.Err()
	}
	wait, err := d.Pacer.Take(ctx, workspace, name, r.Every, r.Burst)
	if err != nil {
		// The pacer's store is out of reach: go on at the platform's own pace (its 429s
		// are honoured) rather than stop delivering.
		d.Log.WarnContext(ctx, "the pacer is out of reach", "platform", platform, "err", err)
		return ctx.Err()
	}
	if wait > 0 && !sleep(ctx, wait) {
		return ctx.Err()
	}
	return nil
}

func (d *Deliverer) hold(ctx context.Context, workspace, name string, wait time.Duration) {
	if d.Pacer == nil {
		sleep(ctx, wait)
		return
	}
	if err := d.Pacer.Hold(ctx, workspace, name, wait); err != nil {
		d.Log.WarnContext(ctx, "the pacer is out of reach", "err", err)
		sleep(ctx, wait)
	}
}

func (d *Deliverer) observe(platform, outcome string) {
	if d.Observe != nil {
		d.Observe.Delivered(platform, outcome)
	}
}

func (d *Deliverer) ack(ctx context.Context, log *slog.Logger, rec jobs.Delivery) {
	if err := d.Queue.Ack(ctx, rec); err != nil {
		log.WarnContext(ctx, "a settled copy cannot be taken off the queue", "err", err)
	}
}

func (d *Deliverer) sent(ctx context.Context, log *slog.Logger, rec jobs.Delivery, platform, id, outcome string) {
	// The message is in the channel: recording it must not give up on a short outage, or the
	// delivery would go in doubt and cost a history check.
	for try := 0; ; try++ {
		err := d.Queue.Sent(ctx, rec, d.Consumer, id, d.Now())
		if err == nil || errors.Is(err, jobs.ErrNotClaimed) {
			if err != nil {
				log.WarnContext(ctx, "a delivery posted after its claim passed on", "message", id)
			}
			d.observe(platform, outcome)
			return
		}
		if try == 5 {
			log.ErrorContext(ctx, "a posted delivery cannot be recorded; it is in doubt and will be checked", "message", id, "err", err)
			return
		}
		sleep(ctx, d.backoff(try)/5)
	}
}

func (d *Deliverer) retry(ctx context.Context, log *slog.Logger, rec jobs.Delivery, platform, reason string) {
	at := d.Now().Add(d.backoff(rec.Attempts - 1))
	if err := d.Queue.Retry(ctx, rec, d.Consumer, at, reason); err != nil {
		log.WarnContext(ctx, "a retry cannot be recorded; the delivery is retried after its lease", "err", err)
		return
	}
	d.observe(platform, "retry")
}

func (d *Deliverer) dead(ctx context.Context, log *slog.Logger, rec jobs.Delivery, platform, reason string) {
	if err := d.Queue.Dead(ctx, rec, d.Consumer, reason, d.Now()); err != nil {
		log.WarnContext(ctx, "a dead letter cannot be recorded", "err", err)
		return
	}
	log.WarnContext(ctx, "a delivery was given up", "reason", reason)
	d.observe(platform, "dead")
}

// giveUp makes a delivery that failed MaxAttempts times a dead letter, and tells the channel,
// which is still reachable (the failures were not of the permanent kind).
func (d *Deliverer) giveUp(ctx context.Context, log *slog.Logger, rec jobs.Delivery, platform string, poster Poster, post bot.Post, lastErr error) {
	reason := fmt.Sprintf("gave up after %d attempts", rec.Attempts)
	if lastErr != nil {
		reason += ": " + lastErr.Error()
	}
	d.dead(ctx, log, rec, platform, reason)
	notice := bot.Post{Workspace: post.Workspace, Channel: post.Channel, Key: Nonce(post.Channel, "notice-"+rec.Key), Reply: bot.Reply{
		Title: "An opening could not be posted here",
		Text: fmt.Sprintf("careerbot tried %s and gave up: %s. `/jobs subscriptions` lists the openings it could not post.",
			bot.Plural(rec.Attempts, "time"), plainError(lastErr)),
	}}
	if _, err := poster.Post(ctx, notice); err != nil {
		log.WarnContext(ctx, "the channel cannot be told of a dead letter", "err", err)
	}
}

func plainError(err error) string {
	if err == nil {
		return "it was interrupted"
	}
	return err.Error()
}

// disable stops the subscriptions the permanent error concerns (the channel's, or the whole
// workspace's) with the reason, and makes the delivery a dead letter.
func (d *Deliverer) disable(ctx context.Context, log *slog.Logger, rec jobs.Delivery, platform string, cause error) {
	now := d.Now()
	reason := "the platform refused posts to this channel: " + cause.Error()
	var subs []jobs.Subscription
	var err error
	if IsWorkspaceWide(cause) {
		reason = "the platform refused careerbot in this workspace: " + cause.Error()
		err = d.Subs.AllSubscriptions(ctx, func(s jobs.Subscription) error {
			if s.Workspace == rec.Workspace {
				subs = append(subs, s)
			}
			return nil
		})
	} else {
		subs, err = d.Subs.ChannelSubscriptions(ctx, rec.Workspace, rec.Channel)
	}
	if err != nil {
		log.WarnContext(ctx, "the subscriptions to disable cannot be read", "err", err)
	}
	for _, s := range subs {
		if !s.Active() {
			continue
		}
		if err := d.Subs.Disable(ctx, s.Workspace, s.ID, reason, now); err != nil && !errors.Is(err, jobs.ErrNoSubscription) {
			log.WarnContext(ctx, "a subscription cannot be disabled", "subscription", s.ID, "err", err)
			continue
		}
		log.WarnContext(ctx, "subscription disabled", "subscription", s.ID, "reason", reason)
		d.observe(platform, "disabled")
	}
	d.dead(ctx, log, rec, platform, reason)
}
