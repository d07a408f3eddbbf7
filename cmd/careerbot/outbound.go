package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/career"
	"github.com/careerbot/careerbot/bot/deliver"
	"github.com/careerbot/careerbot/bot/web"
	"github.com/careerbot/careerbot/jobs"
	"github.com/careerbot/careerbot/jobs/source"
)

// Timings of the outbound path. The poller lock's lease is short enough that a replica that
// dies hands over within half a minute (one that stops releases it at once); the fan-out runs
// after every poll and at least every fanoutEvery, so that subscriptions made on any replica
// are seen soon.
const (
	lockTTL     = 20 * time.Second
	fanoutEvery = 30 * time.Second
	queueWatch  = 15 * time.Second
)

// replicaName names this process among the replicas: host, pid and a random suffix, so that
// a restarted process never takes over its predecessor's consumer name.
func replicaName() string {
	host, _ := os.Hostname()
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}

// outbound is the subscriptions' machinery of one replica: the poller and the fan-out on the
// replica that holds the poller lock, and the delivery loop on every replica with a platform
// to post to.
type outbound struct {
	st      *store
	sources []jobs.Scheduled
	catalog *jobs.Catalog
	jobs    *career.Jobs
	posters map[bot.Platform]deliver.Poster
	metrics *web.Metrics
	log     *slog.Logger
	name    string
	polled  chan<- struct{} // tells the catalogue a poll wrote something
	wrote   chan struct{}   // tells the fan-out the same
}

// nudge tells the catalogue and the fan-out that openings were written outside a poll (the
// sample set).
func (o *outbound) nudge() {
	for _, c := range []chan<- struct{}{o.polled, o.wrote} {
		select {
		case c <- struct{}{}:
		default:
		}
	}
}

// loadSample stores the embedded sample openings and says how many.
func (o *outbound) loadSample(ctx context.Context) (int, error) {
	sample, err := source.Sample(time.Now())
	if err != nil {
		return 0, err
	}
	if err := o.st.jobs.PutOpenings(ctx, sample); err != nil {
		return 0, fmt.Errorf("store the sample openings: %w", err)
	}
	o.nudge()
	o.log.InfoContext(ctx, "sample openings stored", "openings", len(sample), "source", jobs.SampleSource)
	return len(sample), nil
}

// lead runs the poller and the fan-out while this replica holds the lock: the poller writes
// through the store fenced with the holding's token.
func (o *outbound) lead(ctx context.Context, token int64) {
	fanout := &jobs.Fanout{Openings: o.st.jobs, Subs: o.st.subs, Queue: o.st.queue, Freq: o.catalog.Frequency,
		Log: o.log, Observe: o.metrics.FannedOut}
	poller := &jobs.Poller{Store: o.st.fenced(token), Sources: o.sources, Log: o.log, Observe: func(s jobs.SourceStatus) {
		o.metrics.SourcePolled(s)
		o.nudge()
	}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		poller.Run(ctx)
	}()
	tick := time.NewTicker(fanoutEvery)
	defer tick.Stop()
	for {
		if _, err := fanout.Round(ctx); err != nil && ctx.Err() == nil {
			o.log.WarnContext(ctx, "fan-out failed; it runs again", "err", err)
		}
		if _, err := fanout.Digests(ctx); err != nil && ctx.Err() == nil {
			o.log.WarnContext(ctx, "digests failed; they run again", "err", err)
		}
		select {
		case <-ctx.Done():
			<-done
			return
		case <-o.wrote:
		case <-tick.C:
		}
	}
}

// run takes part in the poller election and delivers until ctx ends.
func (o *outbound) run(ctx context.Context) error {
	go o.metrics.WatchQueue(ctx, o.st.queue.DeliveryStats, queueWatch)
	done := make(chan struct{})
	go func() {
		defer close(done)
		leader := &jobs.Leader{Lock: o.st.lock, Holder: o.name, TTL: lockTTL, Log: o.log, OnChange: o.metrics.Leading}
		leader.Run(ctx, o.lead)
	}()
	if len(o.posters) > 0 {
		d := &deliver.Deliverer{Queue: o.st.queue, Subs: o.st.subs, Render: o.jobs, Posters: o.posters, Pacer: o.st.pacer,
			Rates: deliver.DefaultRates(), Consumer: o.name, Log: o.log, Observe: o.metrics}
		if err := d.Run(ctx); err != nil {
			return fmt.Errorf("delivery: %w", err)
		}
	}
	<-done
	return nil
}
