package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/bot"
)

func newServer(t *testing.T, checks ...Check) (*httptest.Server, *Metrics, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	m := NewMetrics()
	srv := httptest.NewServer(NewHandler(Options{
		Log:     slog.New(slog.NewJSONHandler(&logs, nil)),
		Metrics: m,
		Checks:  checks,
		Version: "test",
	}))
	t.Cleanup(srv.Close)
	return srv, m, &logs
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestReadyz(t *testing.T) {
	down := Check{Name: "store", Probe: func(context.Context) error {
		return errors.New("dial tcp 10.0.0.7:6379: connection refused")
	}}
	up := Check{Name: "knowledge", Probe: func(context.Context) error { return nil }}
	slow := Check{Name: "slow", Probe: func(ctx context.Context) error {
		<-ctx.Done() // a probe that never answers is cut by the timeout
		return ctx.Err()
	}}

	tests := []struct {
		name   string
		checks []Check
		code   int
		has    []string
	}{
		{"all up", []Check{up}, 200, []string{`"status":"ready"`, `"knowledge":"ok"`}},
		{"one down", []Check{up, down}, 503, []string{`"status":"not ready"`, `"store":"unavailable"`}},
		{"no checks", nil, 200, []string{`"status":"ready"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _, logs := newServer(t, tt.checks...)
			code, body := get(t, srv.URL+"/readyz")
			if code != tt.code {
				t.Errorf("code %d, want %d", code, tt.code)
			}
			for _, h := range tt.has {
				if !strings.Contains(body, h) {
					t.Errorf("body %s lacks %s", body, h)
				}
			}
			if strings.Contains(body, "10.0.0.7") {
				t.Errorf("the probe's error leaks to the caller: %s", body)
			}
			if tt.code == 503 && !strings.Contains(logs.String(), "connection refused") {
				t.Errorf("the log lacks the probe's error: %s", logs)
			}
		})
	}

	t.Run("probe timeout", func(t *testing.T) {
		var logs bytes.Buffer
		srv := httptest.NewServer(NewHandler(Options{
			Log: slog.New(slog.NewJSONHandler(&logs, nil)), Metrics: NewMetrics(),
			Checks: []Check{slow}, ReadyTimeout: 10 * time.Millisecond,
		}))
		defer srv.Close()
		if code, _ := get(t, srv.URL+"/readyz"); code != 503 {
			t.Errorf("code %d, want 503", code)
		}
	})
}

func TestMetricsCountByRoute(t *testing.T) {
	srv, m, _ := newServer(t)
	get(t, srv.URL+"/healthz")
	get(t, srv.URL+"/random/path/1")
	get(t, srv.URL+"/random/path/2")
	m.CommandHandled(bot.PlatformSlack, "explain", bot.OutcomeOK, time.Millisecond)

	_, body := get(t, srv.URL+"/metrics")
	for _, want := range []string{
		`careerbot_http_requests_total{code="200",route="GET /healthz"} 1`,
		`careerbot_http_requests_total{code="404",route="unmatched"} 2`,
		`careerbot_commands_total{command="explain",outcome="ok",platform="slack"} 1`,
		`careerbot_command_duration_seconds_bucket`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, "/random/path") {
		t.Error("raw request paths became metric labels")
	}
}

func TestRecoverPanics(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	h := recoverPanics(log, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("bug") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/x", nil))
	if rec.Code != 500 || !strings.Contains(logs.String(), `"panic":"bug"`) {
		t.Errorf("code %d, logs %s", rec.Code, logs.String())
	}
}
