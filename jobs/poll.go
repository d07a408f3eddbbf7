package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"time"
)

// Poller reads each source when it is due and keeps the store's openings and per-source status
// true to what the boards list, without ever closing an opening on the word of one odd answer:
//
//   - A successful fetch writes every opening it lists (new, changed, reopened, or last written
//     more than 6 hours ago, so that an unchanged board does not rewrite every record at every
//     poll) and counts a miss for each open opening of the source that it no longer lists. An
//     opening is closed after two misses spread over at least 24 hours (Grace); listed again,
//     it is open again.
//   - A failed fetch (unreachable, an HTTP error, a payload that does not parse, a crash of the
//     reader) closes nothing and backs off: the interval doubles with each consecutive
//     failure, up to the larger of 6 hours and the interval, with ±10% jitter, and never sooner
//     than a Retry-After the board sent.
//   - Suspicious answers close nothing either. A board that lists no opening where its last
//     successful fetch listed some is a failure (boards break that way more often than every
//     opening of a company closes at once). One that lists fewer than half of its last count,
//     when that was 10 or more, is written but counts no misses; the next fetch compares with
//     it, so a board that really shrank is believed one fetch later.
//   - An unchanged board (HTTP 304 to the validators of its last answer) is a success that
//     writes nothing.
//   - Closed openings are deleted 90 days after closing (Prune), during their source's poll.
//
// Each source polls on its own goroutine with its own timeout, so a slow or failing source
// never holds up the others. Every attempt writes the source's status.
type Poller struct {
	Store   Store
	Sources []Scheduled
	Log     *slog.Logger
	Now     func() time.Time // time.Now when nil
	Jitter  func() float64   // uniform in [0, 1); math/rand when nil
	// Observe, when set, is told every status the poller writes (for metrics).
	Observe func(SourceStatus)
}

// Scheduled is one source and how often to poll it.
type Scheduled struct {
	Source  Fetcher
	Type    string        // the source's type, for the status
	Every   time.Duration // the poll interval after the type's floor
	Timeout time.Duration // per fetch; DefaultTimeout when zero
}

// Poller settings.
const (
	DefaultTimeout = 30 * time.Second
	Grace          = 24 * time.Hour // the least time an opening is missing before it closes
	GraceMisses    = 2              // and the successful fetches that must miss it
	Prune          = 90 * 24 * time.Hour
	refreshAfter   = 6 * time.Hour // rewrite an unchanged opening this often, for LastSeen
	maxBackoff     = 6 * time.Hour
)

// Run polls every source when due until ctx ends. The first polls are spread over the first
// few seconds so that a start does not send every request at once.
func (p *Poller) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for i, s := range p.Sources {
		wg.Go(func() {
			wait := time.Duration(i) * 2 * time.Second
			for {
				select {
				case <-ctx.Done():
					return
				case <-time.After(wait):
				}
				st, _ := p.Poll(ctx, s.Source.Name()) // the error is in the status and the log
				wait = max(time.Until(st.NextPoll), time.Second)
			}
		})
	}
	wg.Wait()
}

// Poll fetches one source now and applies what it lists. It returns the source's new status,
// and an error only when the status could not be written or the source is unknown.
func (p *Poller) Poll(ctx context.Context, name string) (SourceStatus, error) {
	i := slices.IndexFunc(p.Sources, func(s Scheduled) bool { return s.Source.Name() == name })
	if i < 0 {
		return SourceStatus{}, fmt.Errorf("poll: no source is called %q", name)
	}
	s := p.Sources[i]
	st, err := p.Store.Source(ctx, name)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return st, fmt.Errorf("poll %s: read its status: %w", name, err)
	}
	st.Name, st.Type, st.Every = name, s.Type, s.Every

	v := &Validators{ETag: st.ETag, LastModified: st.LastModified}
	openings, err := p.fetch(ctx, s, v)
	now := p.now()
	st.LastAttempt = now
	switch {
	case errors.Is(err, ErrNotModified):
		err = p.unchanged(ctx, &st)
	case err == nil:
		err = p.apply(ctx, &st, openings, now)
		if err == nil {
			st.ETag, st.LastModified = v.ETag, v.LastModified
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			return st, ctx.Err() // shutting down: not the board's fault
		}
		p.failed(&st, err, now)
	} else {
		st.LastSuccess, st.LastError, st.Failures = now, "", 0
		st.Successes++
		st.NextPoll = now.Add(p.jitter(st.Every))
	}
	if err := p.Store.PutSource(ctx, st); err != nil {
		p.log().Warn("source status not saved", "source", name, "err", err)
		return st, fmt.Errorf("poll %s: save its status: %w", name, err)
	}
	if p.Observe != nil {
		p.Observe(st)
	}
	return st, nil
}

// fetch runs the source's fetch with its timeout, a crash of the reader made an error.
func (p *Poller) fetch(ctx context.Context, s Scheduled, v *Validators) (openings []Opening, err error) {
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	fctx, cancel := context.WithTimeout(WithValidators(ctx, v), timeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			p.log().Error("source reader crashed", "source", s.Source.Name(), "panic", fmt.Sprint(r))
			openings, err = nil, fmt.Errorf("the source's reader crashed (%v); this is a bug in careerbot", r)
		}
	}()
	openings, err = s.Source.Fetch(fctx)
	if err != nil && errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		err = fmt.Errorf("the board did not answer within %s", timeout)
	}
	return openings, err
}

func (p *Poller) failed(st *SourceStatus, err error, now time.Time) {
	st.Failures++
	st.LastError, st.LastErrorAt = err.Error(), now
	wait := p.jitter(backoff(st.Every, st.Failures))
	if ra := RetryAfter(err); ra > wait {
		wait = ra
	}
	st.NextPoll = now.Add(wait)
	p.log().Warn("source failed", "source", st.Name, "failures", st.Failures, "err", err, "next_poll", st.NextPoll)
}

// backoff is the wait after the nth consecutive failure: the interval doubled n-1 times, at
// most the larger of 6 hours and the interval.
func backoff(every time.Duration, n int) time.Duration {
	limit := max(maxBackoff, every)
	d := every
	for i := 1; i < n && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}

// jitter spreads d by ±10%.
func (p *Poller) jitter(d time.Duration) time.Duration {
	f := rand.Float64
	if p.Jitter != nil {
		f = p.Jitter
	}
	return time.Duration(float64(d) * (0.9 + 0.2*f()))
}

// unchanged records a 304: the source's openings stand as stored.
func (p *Poller) unchanged(ctx context.Context, st *SourceStatus) error {
	stored, err := p.Store.SourceOpenings(ctx, st.Name)
	if err != nil {
		return fmt.Errorf("the store could not be read: %w", err)
	}
	st.Open = countOpen(stored)
	return nil
}

// apply writes what a successful fetch listed and counts misses for what it did not.
func (p *Poller) apply(ctx context.Context, st *SourceStatus, listed []Opening, now time.Time) error {
	stored, err := p.Store.SourceOpenings(ctx, st.Name)
	if err != nil {
		return fmt.Errorf("the store could not be read: %w", err)
	}
	before := map[string]*Opening{}
	for i := range stored {
		before[stored[i].ID] = &stored[i]
	}
	had := max(st.Listed, countOpen(stored))
	if len(listed) == 0 && had > 0 {
		return fmt.Errorf("the board returned no openings where it had %d; nothing was closed", had)
	}
	countMisses := true
	if st.Listed >= 10 && len(listed) < st.Listed/2 {
		countMisses = false
		p.log().Warn("source listed far fewer openings than before; none is counted missing", "source", st.Name,
			"listed", len(listed), "before", st.Listed)
	}

	listed = dedupeByID(listed)
	var writes []Opening
	seen := make(map[string]bool, len(listed))
	for _, o := range listed {
		seen[o.ID] = true
		prev := before[o.ID]
		o.Source = st.Name
		o.LastSeen = now
		o.FirstSeen = now
		if prev != nil && !prev.FirstSeen.IsZero() {
			o.FirstSeen = prev.FirstSeen
		}
		// Undated, or dated in the future (a board's clock or time zone gone wrong): posted
		// when first seen, which was now the first time, and stays put at later polls.
		if o.Posted = o.Posted.UTC(); o.Posted.IsZero() || o.Posted.After(now) {
			o.Posted = o.FirstSeen
		}
		if !o.Closes.IsZero() {
			o.Closes = o.Closes.UTC()
		}
		o.Closed, o.MissingSince, o.Misses = time.Time{}, time.Time{}, 0
		if prev == nil || !prev.Open() || prev.Misses > 0 || !sameContent(prev, &o) || now.Sub(prev.LastSeen) >= refreshAfter {
			writes = append(writes, o)
		}
	}
	var prune []string
	for _, o := range stored {
		switch {
		case seen[o.ID]:
		case !o.Open():
			if now.Sub(o.Closed) > Prune {
				prune = append(prune, o.ID)
			}
		case countMisses:
			o.Misses++
			if o.MissingSince.IsZero() {
				o.MissingSince = now
			}
			if o.Misses >= GraceMisses && now.Sub(o.MissingSince) >= Grace {
				o.Closed = now
			}
			writes = append(writes, o)
		}
	}
	if err := p.Store.PutOpenings(ctx, writes); err != nil {
		return fmt.Errorf("the store did not take the openings: %w", err)
	}
	if err := p.Store.DeleteOpenings(ctx, prune); err != nil {
		return fmt.Errorf("the store did not delete old closed openings: %w", err)
	}
	isOpen := make(map[string]bool, len(stored))
	for _, list := range [][]Opening{stored, writes} {
		for i := range list {
			isOpen[list[i].ID] = list[i].Open()
		}
	}
	open := 0
	for _, o := range isOpen {
		if o {
			open++
		}
	}
	st.Listed, st.Open = len(listed), open
	return nil
}

func countOpen(os []Opening) int {
	n := 0
	for i := range os {
		if os[i].Open() {
			n++
		}
	}
	return n
}

// dedupeByID keeps one opening per id, the one with the longer description: a feed that lists
// a role twice lists it once.
func dedupeByID(os []Opening) []Opening {
	at := map[string]int{}
	out := os[:0:0]
	for _, o := range os {
		if i, ok := at[o.ID]; ok {
			if len(o.Description) > len(out[i].Description) {
				out[i] = o
			}
			continue
		}
		at[o.ID] = len(out)
		out = append(out, o)
	}
	return out
}

// sameContent says whether a stored opening says what a fetched one says, leaving aside when
// it was seen.
func sameContent(a, b *Opening) bool {
	return a.Title == b.Title && a.Company == b.Company && slices.Equal(a.Locations, b.Locations) &&
		a.Remote == b.Remote && a.Seniority == b.Seniority && a.EmploymentType == b.EmploymentType &&
		sameSalary(a.Salary, b.Salary) && a.Visa == b.Visa && a.URL == b.URL && a.Posted.Equal(b.Posted) &&
		a.Closes.Equal(b.Closes) && a.Description == b.Description
}

func sameSalary(a, b *Salary) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func (p *Poller) now() time.Time {
	if p.Now != nil {
		return p.Now().UTC()
	}
	return time.Now().UTC()
}

func (p *Poller) log() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.New(slog.DiscardHandler)
}
