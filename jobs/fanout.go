package jobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// Fanout turns the openings the poller writes into deliveries: it reads the store's changes
// after its cursor, matches each new opening against every active subscription, and enqueues
// one delivery per (role, channel) owed. It runs where the poller runs (the poller lock's
// holder): replaying a round after a crash is harmless, since the queue keeps each delivery
// once.
//
// A subscription is owed the openings first seen at or after it was created; the three newest
// before that are given at subscribe time, not here. One role listed on several boards (the
// catalogue's duplicates) is one delivery: its Key is the role's, not a board's id.
type Fanout struct {
	Openings Store
	Subs     SubscriptionStore
	Queue    DeliveryQueue
	// Freq, when set, estimates how many openings have a term (Catalog.Frequency), to file
	// the subscriptions under their rarest terms.
	Freq    func(term string) int
	Log     *slog.Logger
	Now     func() time.Time
	Observe func(FanoutRound) // called after every round that read something; may be nil
}

// FanoutRound is what one round did.
type FanoutRound struct {
	Subscriptions int           // active per-opening subscriptions matched against
	Openings      int           // new openings read
	Enqueued      int           // deliveries new to the queue
	Matching      time.Duration // time spent matching
}

// errFlush stops a read of the changes to enqueue what it found so far.
var errFlush = errors.New("jobs: flush the fan-out batch")

// fanoutBatch is how many changes a round enqueues at a time; the cursor moves after each.
const fanoutBatch = 500

// Round matches the openings changed since the cursor and enqueues their deliveries.
func (f *Fanout) Round(ctx context.Context) (FanoutRound, error) {
	var r FanoutRound
	now := f.now()
	m, err := f.matcher(ctx, now)
	if err != nil {
		return r, err
	}
	r.Subscriptions = m.Len()
	cursor, err := f.Queue.FanoutCursor(ctx)
	if err != nil {
		return r, fmt.Errorf("fan-out: read the cursor: %w", err)
	}
	var batch []Delivery
	last := cursor
	flush := func() error {
		if len(batch) > 0 {
			n, err := f.Queue.Enqueue(ctx, batch)
			if err != nil {
				return fmt.Errorf("fan-out: enqueue %d deliveries: %w", len(batch), err)
			}
			r.Enqueued += n
			batch = batch[:0]
		}
		if last != cursor {
			if err := f.Queue.SetFanoutCursor(ctx, last); err != nil {
				return fmt.Errorf("fan-out: move the cursor: %w", err)
			}
			cursor = last
		}
		return nil
	}
	seen := 0 // openings taken in this read of the changes
	visit := func(o Opening) error {
		if seen == fanoutBatch {
			return errFlush // Changes stops before o, returning the last change taken
		}
		seen++
		if o.Open() && m.Len() > 0 {
			r.Openings++
			start := time.Now()
			batch = append(batch, f.owed(m, &o, now)...)
			r.Matching += time.Since(start)
		}
		return nil
	}
	change, err := f.Openings.Changes(ctx, cursor, visit)
	for errors.Is(err, errFlush) {
		last, seen = change, 0
		if err := flush(); err != nil {
			return r, err
		}
		change, err = f.Openings.Changes(ctx, cursor, visit)
	}
	if err != nil {
		return r, fmt.Errorf("fan-out: read the changes: %w", err)
	}
	last = change
	if err := flush(); err != nil {
		return r, err
	}
	if r.Openings > 0 && f.Observe != nil {
		f.Observe(r)
	}
	return r, nil
}

// owed are the deliveries one opening owes: one per channel that has a matching subscription
// created no later than the opening was first seen.
func (f *Fanout) owed(m *Matcher, o *Opening, now time.Time) []Delivery {
	subs := m.Match(Index(o), now)
	if len(subs) == 0 {
		return nil
	}
	key := RoleKey(o)
	type channel struct{ workspace, channel string }
	first := map[channel]int64{}
	for _, s := range subs {
		if o.FirstSeen.Before(s.Created) || o.Source == SampleSource && !strings.HasPrefix(s.Workspace, "playground:") {
			continue
		}
		c := channel{s.Workspace, s.Channel}
		if id, ok := first[c]; !ok || s.ID < id {
			first[c] = s.ID
		}
	}
	out := make([]Delivery, 0, len(first))
	for c, id := range first {
		out = append(out, Delivery{Workspace: c.workspace, Channel: c.channel, Key: key,
			Subscription: id, Openings: []string{o.ID}, Enqueued: now})
	}
	return out
}

// matcher files every active per-opening subscription; one whose query no longer reads is
// disabled with the reason, loudly, and never matches.
func (f *Fanout) matcher(ctx context.Context, now time.Time) (*Matcher, error) {
	m := NewMatcher()
	m.Freq = f.Freq
	var broken []Subscription
	err := f.Subs.AllSubscriptions(ctx, func(s Subscription) error {
		if !s.Active() || s.Digest {
			return nil
		}
		if err := m.Add(s); err != nil {
			broken = append(broken, s)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("fan-out: load the subscriptions: %w", err)
	}
	for _, s := range broken {
		_, err := ParseQuery(s.Query)
		reason := fmt.Sprintf("its query no longer reads after an upgrade (%v); subscribe again with a query that works", err)
		f.log().WarnContext(ctx, "subscription disabled: its query no longer parses",
			"workspace", s.Workspace, "subscription", s.ID, "err", err)
		if err := f.Subs.Disable(ctx, s.Workspace, s.ID, reason, now); err != nil && !errors.Is(err, ErrNoSubscription) {
			return nil, fmt.Errorf("fan-out: disable subscription %d of %s: %w", s.ID, s.Workspace, err)
		}
	}
	return m, nil
}

func (f *Fanout) now() time.Time {
	if f.Now != nil {
		return f.Now().UTC()
	}
	return time.Now().UTC()
}

func (f *Fanout) log() *slog.Logger {
	if f.Log != nil {
		return f.Log
	}
	return slog.New(slog.DiscardHandler)
}

// RoleKey is the delivery key of an opening's role: the same for the role's listings on every
// board the catalogue takes for one (same company, title and city), 18 characters.
func RoleKey(o *Opening) string {
	sum := sha256.Sum256([]byte(dedupeKeys(o)[0]))
	return "r" + hex.EncodeToString(sum[:])[:17]
}

// SampleSource is the source of the sample openings the playground can load: they are kept
// apart from real ones and delivered only to the playground, never to Slack or Discord.
const SampleSource = "sample"

// DigestHour is the hour of the day (UTC) at which digest subscriptions get the day's
// matches.
const DigestHour = 9

// Digests enqueues the digest of every digest subscription whose latest digest time (today's
// DigestHour, or yesterday's before it) has passed: one delivery listing the openings first
// seen in the 24 hours before that time, at or after the subscription was created, newest
// first; none on a day without any. Each digest's key names its day, so running Digests again
// (every round, or on another replica after a crash) enqueues nothing twice. It returns how
// many digests were new.
func (f *Fanout) Digests(ctx context.Context) (int, error) {
	now := f.now()
	at := time.Date(now.Year(), now.Month(), now.Day(), DigestHour, 0, 0, 0, time.UTC)
	if now.Before(at) {
		at = at.AddDate(0, 0, -1)
	}
	var subs []Subscription
	if err := f.Subs.AllSubscriptions(ctx, func(s Subscription) error {
		if s.Active() && s.Digest && s.Created.Before(at) {
			subs = append(subs, s)
		}
		return nil
	}); err != nil {
		return 0, fmt.Errorf("digests: load the subscriptions: %w", err)
	}
	if len(subs) == 0 {
		return 0, nil
	}
	type entry struct {
		sub *Subscription
		q   *Query
		ids []Opening
	}
	var es []entry
	for i := range subs {
		q, err := ParseQuery(subs[i].Query)
		if err != nil {
			continue // Round disables it
		}
		es = append(es, entry{sub: &subs[i], q: q})
	}
	from := at.Add(-24 * time.Hour)
	if _, err := f.Openings.Changes(ctx, 0, func(o Opening) error {
		if !o.Open() || o.FirstSeen.Before(from) || !o.FirstSeen.Before(at) {
			return nil
		}
		d := Index(&o)
		for i := range es {
			if o.Source == SampleSource && !strings.HasPrefix(es[i].sub.Workspace, "playground:") {
				continue
			}
			if !o.FirstSeen.Before(es[i].sub.Created) && es[i].q.MatchDoc(d, at) {
				es[i].ids = append(es[i].ids, o)
			}
		}
		return nil
	}); err != nil {
		return 0, fmt.Errorf("digests: read the openings: %w", err)
	}
	var ds []Delivery
	for _, e := range es {
		if len(e.ids) == 0 {
			continue
		}
		slices.SortFunc(e.ids, func(a, b Opening) int { return b.FirstSeen.Compare(a.FirstSeen) })
		seen := map[string]bool{}
		var ids []string
		for _, o := range e.ids {
			if k := RoleKey(&o); !seen[k] {
				seen[k] = true
				ids = append(ids, o.ID)
			}
		}
		ds = append(ds, Delivery{Workspace: e.sub.Workspace, Channel: e.sub.Channel, Key: DigestKey(e.sub.ID, at),
			Subscription: e.sub.ID, Openings: ids, Enqueued: now})
	}
	if len(ds) == 0 {
		return 0, nil
	}
	n, err := f.Queue.Enqueue(ctx, ds)
	if err != nil {
		return 0, fmt.Errorf("digests: enqueue %d: %w", len(ds), err)
	}
	return n, nil
}
