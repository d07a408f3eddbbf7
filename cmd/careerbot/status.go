package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/careerbot/careerbot/bot/web"
	"github.com/careerbot/careerbot/jobs"
)

// statusLists bound what the status page lists: the newest disabled subscriptions and dead
// letters (the counts are whole).
const (
	statusDisabledShown = 50
	statusDeadShown     = 50
)

// connection is one platform connection as the status page shows it.
type connection struct {
	name  string
	mode  string                          // "HTTP", "Socket Mode", "gateway", "local page"
	probe func(ctx context.Context) error // nil: nothing to probe (HTTP endpoints)
}

// statusSource gathers the status page's facts from the store and this replica's parts. A
// part that cannot be read is left out with its error; the rest is still shown.
type statusSource struct {
	st          *store
	replica     string
	started     time.Time
	connections []connection
}

func (s *statusSource) read(ctx context.Context) (web.Status, error) {
	out := web.Status{Version: version, Replica: s.replica, Started: s.started, Now: time.Now().UTC(),
		Store: web.StoreStatus{Kind: s.st.kind, Where: s.st.where, Healthy: true}}
	var errs []error
	if err := s.st.Ping(ctx); err != nil {
		out.Store.Healthy, out.Store.Error = false, "the store does not answer: "+err.Error()
		errs = append(errs, err)
	}
	for _, c := range s.connections {
		p := web.PlatformStatus{Name: c.name, State: "connected", Detail: c.mode}
		if c.probe == nil {
			p.State = "http only"
		} else if err := c.probe(ctx); err != nil {
			p.State, p.Detail = "down", c.mode+": "+err.Error()
		}
		out.Platforms = append(out.Platforms, p)
	}
	if sources, err := s.st.jobs.Sources(ctx); err != nil {
		errs = append(errs, fmt.Errorf("job sources: %w", err))
	} else {
		out.Sources = sources
	}
	workspaces := map[string]bool{}
	err := s.st.subs.AllSubscriptions(ctx, func(sub jobs.Subscription) error {
		workspaces[sub.Workspace] = true
		out.Subscriptions.Total++
		if sub.Active() {
			out.Subscriptions.Active++
			return nil
		}
		out.Subscriptions.Disabled++
		out.Disabled = append(out.Disabled, web.DisabledSubscription{Workspace: sub.Workspace, Channel: sub.Channel,
			ID: sub.ID, Query: sub.Query, Reason: sub.DisabledReason, Since: sub.Disabled})
		return nil
	})
	if err != nil {
		errs = append(errs, fmt.Errorf("subscriptions: %w", err))
	}
	newestFirst(out.Disabled, func(d web.DisabledSubscription) time.Time { return d.Since })
	out.Disabled = out.Disabled[:min(len(out.Disabled), statusDisabledShown)]
	if stats, err := s.st.queue.DeliveryStats(ctx); err != nil {
		errs = append(errs, fmt.Errorf("deliveries: %w", err))
	} else {
		out.Deliveries = stats
	}
	for ws := range workspaces {
		dead, err := s.st.queue.DeadLetters(ctx, ws, "", statusDeadShown)
		if err != nil {
			errs = append(errs, fmt.Errorf("dead letters of %s: %w", ws, err))
			continue
		}
		for _, d := range dead {
			n := len(d.Openings)
			out.DeadLetters = append(out.DeadLetters, web.DeadLetter{Workspace: d.Workspace, Channel: d.Channel, Key: d.Key,
				Openings: max(n, 1), Reason: d.LastError, At: d.Done})
		}
	}
	newestFirst(out.DeadLetters, func(d web.DeadLetter) time.Time { return d.At })
	out.DeadLetters = out.DeadLetters[:min(len(out.DeadLetters), statusDeadShown)]
	if holder, token, until, err := s.st.lock.Holder(ctx); err != nil {
		errs = append(errs, fmt.Errorf("the poller lock: %w", err))
	} else {
		out.Poller = web.PollerStatus{Holder: holder, Token: token, Until: until, Self: holder == s.replica}
	}
	return out, errors.Join(errs...)
}

// newestFirst sorts xs by the time at, newest first.
func newestFirst[T any](xs []T, at func(T) time.Time) {
	slices.SortStableFunc(xs, func(a, b T) int { return at(b).Compare(at(a)) })
}
