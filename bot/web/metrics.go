package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/jobs"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics holds careerbot's Prometheus collectors on a registry of its own (no global state), so
// tests can build as many as they like.
type Metrics struct {
	registry *prometheus.Registry
	commands *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	requests *prometheus.CounterVec
	rejected *prometheus.CounterVec

	// Job sources.
	polls       *prometheus.CounterVec
	failures    *prometheus.GaugeVec
	openings    *prometheus.GaugeVec
	lastSuccess *prometheus.GaugeVec

	outbound *deliveryMetrics
}

// NewMetrics registers careerbot's collectors and the Go runtime and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "careerbot_commands_total",
			Help: "Commands handled, by platform, command and outcome.",
		}, []string{"platform", "command", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "careerbot_command_duration_seconds",
			Help:    "Time to handle a command, by platform and command.",
			Buckets: []float64{.0001, .0005, .001, .005, .01, .05, .1, .5, 1, 3},
		}, []string{"platform", "command"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "careerbot_http_requests_total",
			Help: "HTTP requests served, by route pattern and status code.",
		}, []string{"route", "code"}),
	}
	m.rejected = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "careerbot_rejected_requests_total",
		Help: "Platform requests refused before parsing (bad or missing signature, stale timestamp, too large), by platform and reason.",
	}, []string{"platform", "reason"})
	m.polls = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "careerbot_source_polls_total",
		Help: "Job source polls, by source and outcome (ok or error).",
	}, []string{"source", "outcome"})
	m.failures = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "careerbot_source_consecutive_failures",
		Help: "Consecutive failed polls of each job source; zero after a success.",
	}, []string{"source"})
	m.openings = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "careerbot_source_open_openings",
		Help: "Open openings of each job source in the store.",
	}, []string{"source"})
	m.lastSuccess = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "careerbot_source_last_success_timestamp_seconds",
		Help: "When each job source was last polled successfully (Unix time).",
	}, []string{"source"})
	m.registry.MustRegister(m.commands, m.latency, m.requests, m.rejected, m.polls, m.failures, m.openings, m.lastSuccess,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.outbound = newDeliveryMetrics(m.registry)
	return m
}

// CommandHandled implements bot.Metrics.
func (m *Metrics) CommandHandled(platform bot.Platform, command, outcome string, elapsed time.Duration) {
	m.commands.WithLabelValues(string(platform), command, outcome).Inc()
	m.latency.WithLabelValues(string(platform), command).Observe(elapsed.Seconds())
}

// RejectedRequest implements the adapters' Metrics.
func (m *Metrics) RejectedRequest(platform, reason string) {
	m.rejected.WithLabelValues(platform, reason).Inc()
}

// SourcePolled records a job source's status after a poll (jobs.Poller.Observe).
func (m *Metrics) SourcePolled(st jobs.SourceStatus) {
	outcome := "ok"
	if st.Failures > 0 {
		outcome = "error"
	}
	m.polls.WithLabelValues(st.Name, outcome).Inc()
	m.failures.WithLabelValues(st.Name).Set(float64(st.Failures))
	m.openings.WithLabelValues(st.Name).Set(float64(st.Open))
	if !st.LastSuccess.IsZero() {
		m.lastSuccess.WithLabelValues(st.Name).Set(float64(st.LastSuccess.Unix()))
	}
}

// Registry returns the registry so other packages can add their collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.registry }

// instrument counts requests by the mux pattern that matched, never the raw path, so a scan of
// random URLs cannot blow up the label set.
func (m *Metrics) instrument(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := mux.Handler(r)
		if pattern == "" {
			pattern = "unmatched"
		}
		rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
		mux.ServeHTTP(rec, r)
		m.requests.WithLabelValues(pattern, strconv.Itoa(rec.code)).Inc()
	})
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
