// Package web is careerbot's HTTP surface for operators: liveness, readiness and Prometheus
// metrics, with every route in routes.go. Platform adapters mount their endpoints here, so one
// listener serves Slack, Discord and the operator.
package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"
)

// Check is one dependency /readyz asks about: a store, a platform connection.
type Check struct {
	Name string
	// Probe returns nil when the dependency is usable. It must honour ctx.
	Probe func(ctx context.Context) error
}

// Slack is the Slack adapter's HTTP surface.
type Slack interface {
	Commands() http.Handler
	Events() http.Handler
	Interactions() http.Handler
	Install() http.Handler
	OAuthCallback() http.Handler
}

// Discord is the Discord adapter's HTTP surface.
type Discord interface {
	Interactions() http.Handler
}

// Options configure the HTTP handler.
type Options struct {
	Log     *slog.Logger
	Metrics *Metrics
	Checks  []Check
	Version string
	// Status, when set, mounts the status page (status.go); it returns the facts it could
	// read and an error for those it could not.
	Status func(ctx context.Context) (Status, error)
	// AdminToken is CAREERBOT_ADMIN_TOKEN, the status page's bearer token.
	AdminToken string
	// Protected is true when platform credentials are set: the status page then needs
	// AdminToken, and answers 404 without one.
	Protected bool
	// Slack, when set, mounts the /slack/ endpoints.
	Slack Slack
	// Discord, when set, mounts POST /discord/interactions.
	Discord Discord
	// Playground, when set, is mounted for "/" and "/playground/": the local page and its API.
	Playground http.Handler
	// ReadyTimeout bounds each readiness probe; default 2s.
	ReadyTimeout time.Duration
}

// NewHandler returns the HTTP handler with every route.
func NewHandler(opts Options) http.Handler {
	if opts.ReadyTimeout == 0 {
		opts.ReadyTimeout = 2 * time.Second
	}
	mux := http.NewServeMux()
	addRoutes(mux, opts)
	return recoverPanics(opts.Log, opts.Metrics.instrument(mux))
}

// healthz says the process is alive; it checks nothing else, so an orchestrator restarts the
// process only when it is truly stuck.
func healthz(version string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": version})
	})
}

// readyz runs every check and answers 503 when one fails, naming it but not leaking its error
// text (which may carry addresses) to the caller; the log has the details.
func readyz(log *slog.Logger, checks []Check, timeout time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		status := http.StatusOK
		results := make(map[string]string, len(checks))
		for _, c := range checks {
			ctx, cancel := context.WithTimeout(r.Context(), timeout)
			err := c.Probe(ctx)
			cancel()
			if err != nil {
				log.WarnContext(r.Context(), "readiness check failed", "check", c.Name, "err", err)
				results[c.Name] = "unavailable"
				status = http.StatusServiceUnavailable
				continue
			}
			results[c.Name] = "ok"
		}
		state := "ready"
		if status != http.StatusOK {
			state = "not ready"
		}
		writeJSON(w, status, map[string]any{"status": state, "checks": results})
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// recoverPanics turns a handler panic into a 500 and a log line instead of a dropped connection.
func recoverPanics(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				log.ErrorContext(r.Context(), "http handler panicked", "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
