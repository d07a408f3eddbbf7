package web

import (
	"context"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

// value reads one series from the registry: the metric's value with the labels given.
func value(t *testing.T, m *Metrics, name string, labels map[string]string) float64 {
	t.Helper()
	families, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	next:
		for _, s := range f.GetMetric() {
			for _, l := range s.GetLabel() {
				if labels[l.GetName()] != l.GetValue() {
					continue next
				}
			}
			switch {
			case s.GetCounter() != nil:
				return s.GetCounter().GetValue()
			case s.GetGauge() != nil:
				return s.GetGauge().GetValue()
			case s.GetHistogram() != nil:
				return float64(s.GetHistogram().GetSampleCount())
			}
		}
	}
	t.Fatalf("no %s %v", name, labels)
	return 0
}

func TestDeliveryMetrics(t *testing.T) {
	m := NewMetrics()
	m.Delivered("slack", "sent")
	m.Delivered("slack", "sent")
	m.Delivered("discord", "dead")
	m.FannedOut(jobs.FanoutRound{Openings: 3, Matching: time.Millisecond})
	m.Leading(true, 7)
	ctx, cancel := context.WithCancel(context.Background())
	m.WatchQueue(ctx, func(context.Context) (jobs.DeliveryStats, error) {
		cancel() // one reading, then WatchQueue returns
		return jobs.DeliveryStats{Queued: 5, Pending: 2, InDoubt: 1, Dead: 4}, nil
	}, time.Hour)
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"sent on slack", value(t, m, "careerbot_deliveries_total", map[string]string{"platform": "slack", "outcome": "sent"}), 2},
		{"dead on discord", value(t, m, "careerbot_deliveries_total", map[string]string{"platform": "discord", "outcome": "dead"}), 1},
		{"openings fanned out", value(t, m, "careerbot_fanout_openings_total", nil), 3},
		{"rounds timed", value(t, m, "careerbot_fanout_matching_seconds", nil), 1},
		{"leader", value(t, m, "careerbot_poller_leader", nil), 1},
		{"queued", value(t, m, "careerbot_delivery_queue", map[string]string{"state": "queued"}), 5},
		{"in doubt", value(t, m, "careerbot_delivery_queue", map[string]string{"state": "in_doubt"}), 1},
		{"dead letters", value(t, m, "careerbot_delivery_queue", map[string]string{"state": "dead"}), 4},
	} {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
}
