package web

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// addRoutes is the whole HTTP surface, in one place.
func addRoutes(mux *http.ServeMux, opts Options) {
	mux.Handle("GET /healthz", healthz(opts.Version))
	mux.Handle("GET /readyz", readyz(opts.Log, opts.Checks, opts.ReadyTimeout))
	mux.Handle("GET /metrics", promhttp.HandlerFor(opts.Metrics.registry, promhttp.HandlerOpts{}))
	if opts.Status != nil {
		s := newStatusPage(opts)
		mux.Handle("GET /status", s.Page())
		mux.Handle("GET /status.json", s.JSON())
		mux.Handle("GET /status/style.css", s.Style())
		mux.Handle("GET /status/login", s.LoginForm())
		mux.Handle("POST /status/login", s.Login())
		mux.Handle("POST /status/logout", s.Logout())
	}
	if s := opts.Slack; s != nil {
		mux.Handle("POST /slack/commands", s.Commands())
		mux.Handle("POST /slack/events", s.Events())
		mux.Handle("POST /slack/interactions", s.Interactions())
		mux.Handle("GET /slack/install", s.Install())
		mux.Handle("GET /slack/oauth/callback", s.OAuthCallback())
	}
	if d := opts.Discord; d != nil {
		mux.Handle("POST /discord/interactions", d.Interactions())
	}
	if p := opts.Playground; p != nil {
		// Only the page itself at the root: every other path keeps the mux's own answers
		// (404, and 405 for a wrong method on a known route).
		mux.Handle("GET /{$}", p)
		mux.Handle("/playground/", p)
	}
}
