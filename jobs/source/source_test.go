package source

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestGet holds the client to its contract against a local server: it names careerbot in its
// User-Agent, reads at most MaxBody, and says what went wrong in a sentence.
func TestGet(t *testing.T) {
	var agent string
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		agent = r.Header.Get("User-Agent")
		_, _ = w.Write([]byte(`{"jobs":[]}`))
	})
	mux.HandleFunc("/busy", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	mux.HandleFunc("/down", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusBadGateway) })
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		chunk := []byte(strings.Repeat("x", 1<<20))
		for range 50 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/elsewhere", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := NewClient("test")

	if body, err := c.Get(context.Background(), srv.URL+"/ok", "application/json"); err != nil || string(body) != `{"jobs":[]}` {
		t.Fatalf("ok: %q, %v", body, err)
	}
	if !strings.HasPrefix(agent, "careerbot/test (+") || !strings.Contains(agent, ProjectURL) {
		t.Errorf("User-Agent %q", agent)
	}
	tests := []struct {
		path, want string
		retry      time.Duration
	}{
		{"/busy", "slow down (HTTP 429)", 2 * time.Minute},
		{"/down", "failing (HTTP 502)", 0},
		{"/huge", "more than 10 MiB", 0},
		{"/loop", "more than 5 redirects", 0},
		{"/elsewhere", "a redirect to file", 0},
		{"/missing", "does not exist at this address (HTTP 404)", 0},
	}
	for _, tt := range tests {
		_, err := c.Get(context.Background(), srv.URL+tt.path, "")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.path, err, tt.want)
		}
		var se *StatusError
		if errors.As(err, &se) && se.RetryAfter != tt.retry {
			t.Errorf("%s: Retry-After %v, want %v", tt.path, se.RetryAfter, tt.retry)
		}
	}
	b := base{name: "board", url: srv.URL + "/down", client: c}
	if _, err := b.get(context.Background(), ""); err == nil || !strings.HasPrefix(err.Error(), "source board: the board is failing") {
		t.Errorf("base.get: %v", err)
	}
	if _, err := c.Get(context.Background(), "http://127.0.0.1:1/", ""); err == nil || !strings.Contains(err.Error(), "could not be reached") {
		t.Errorf("unreachable: %v", err)
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	c := NewClient("test")
	for _, cfg := range []Config{{Name: "Bad Name", Type: "greenhouse"}, {Name: "x", Type: "no-such-board"}, {Name: "", Type: "rss"}} {
		if _, err := New(cfg, c); err == nil {
			t.Errorf("%+v: no error", cfg)
		}
	}
	if got := (base{name: "seqera"}).Name(); got != "seqera" {
		t.Errorf("Name() = %q", got)
	}
}
