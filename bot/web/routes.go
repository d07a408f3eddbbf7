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
}
