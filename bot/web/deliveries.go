package web

import (
	"context"
	"time"

	"github.com/careerbot/careerbot/jobs"
	"github.com/prometheus/client_golang/prometheus"
)

// deliveryMetrics are the subscriptions' outbound path: what the delivery loop did, the
// queue as the store counts it, the fan-out's matching time and who holds the poller lock.
type deliveryMetrics struct {
	deliveries *prometheus.CounterVec
	queue      *prometheus.GaugeVec
	matching   prometheus.Histogram
	matched    prometheus.Counter
	leader     prometheus.Gauge
}

func newDeliveryMetrics(reg *prometheus.Registry) *deliveryMetrics {
	d := &deliveryMetrics{
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "careerbot_deliveries_total",
			Help: "Deliveries settled by this replica, by platform and outcome (sent, duplicate: found already posted when in doubt, in-doubt, retry, dead, disabled).",
		}, []string{"platform", "outcome"}),
		queue: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "careerbot_delivery_queue",
			Help: "The delivery queue as the store counts it, by state: queued, pending (handed out, unfinished), in_doubt, dead (dead letters kept).",
		}, []string{"state"}),
		matching: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "careerbot_fanout_matching_seconds",
			Help:    "Time to match one fan-out round's new openings against every subscription.",
			Buckets: []float64{.0001, .001, .01, .05, .1, .5, 1, 5},
		}),
		matched: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "careerbot_fanout_openings_total",
			Help: "Openings matched against the subscriptions by the fan-out on this replica.",
		}),
		leader: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "careerbot_poller_leader",
			Help: "1 while this replica holds the poller lock (polls the sources and fans out), else 0.",
		}),
	}
	reg.MustRegister(d.deliveries, d.queue, d.matching, d.matched, d.leader)
	return d
}

// Delivered implements deliver.Observer.
func (m *Metrics) Delivered(platform, outcome string) {
	m.outbound.deliveries.WithLabelValues(platform, outcome).Inc()
}

// FannedOut records a fan-out round (jobs.Fanout.Observe).
func (m *Metrics) FannedOut(r jobs.FanoutRound) {
	m.outbound.matching.Observe(r.Matching.Seconds())
	m.outbound.matched.Add(float64(r.Openings))
}

// Leading records whether this replica holds the poller lock (jobs.Leader.OnChange).
func (m *Metrics) Leading(held bool, _ int64) {
	v := 0.0
	if held {
		v = 1
	}
	m.outbound.leader.Set(v)
}

// WatchQueue sets the queue gauges from stats every interval until ctx ends.
func (m *Metrics) WatchQueue(ctx context.Context, stats func(context.Context) (jobs.DeliveryStats, error), every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if s, err := stats(ctx); err == nil {
			m.outbound.queue.WithLabelValues("queued").Set(float64(s.Queued))
			m.outbound.queue.WithLabelValues("pending").Set(float64(s.Pending))
			m.outbound.queue.WithLabelValues("in_doubt").Set(float64(s.InDoubt))
			m.outbound.queue.WithLabelValues("dead").Set(float64(s.Dead))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
