package web

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestPlaygroundMount: the playground answers "/" and "/playground/…" when it is set, and the
// operator's routes stay the server's own.
func TestPlaygroundMount(t *testing.T) {
	playground := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("playground")) })
	tests := []struct {
		name       string
		playground http.Handler
		path       string
		code       int
		body       string
	}{
		{"root", playground, "/", 200, "playground"},
		{"api", playground, "/playground/feed", 200, "playground"},
		{"health stays", playground, "/healthz", 200, `{"status":"ok","version":"test"}` + "\n"},
		{"no playground", nil, "/", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(NewHandler(Options{Log: slog.New(slog.DiscardHandler), Metrics: NewMetrics(),
				Version: "test", Playground: tt.playground}))
			t.Cleanup(srv.Close)
			code, body := get(t, srv.URL+tt.path)
			if code != tt.code || tt.body != "" && body != tt.body {
				t.Errorf("%s: %d %q, want %d %q", tt.path, code, body, tt.code, tt.body)
			}
		})
	}
}
