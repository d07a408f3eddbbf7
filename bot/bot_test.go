package bot

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordingMetrics remembers every observation.
type recordingMetrics struct {
	mu   sync.Mutex
	seen []string
}

func (m *recordingMetrics) CommandHandled(p Platform, command, outcome string, _ time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.seen = append(m.seen, string(p)+"/"+command+"/"+outcome)
}

func newTestRouter(t testing.TB) (*Router, *recordingMetrics, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	m := &recordingMetrics{}
	return NewRouter(slog.New(slog.NewJSONHandler(&logs, nil)), m), m, &logs
}

func dispatch(r *Router, name, text string) Reply {
	return r.Dispatch(context.Background(), Command{Platform: PlatformCLI, Workspace: "T1", Name: name, Text: text}).Full()
}

func TestRouterUnknownErrorsAndPanics(t *testing.T) {
	r, m, logs := newTestRouter(t)
	r.Handle(Spec{Name: "fail", Form: Form{Summary: "Fails."}}, HandlerFunc(func(context.Context, Command) (Reply, error) {
		return Reply{}, errors.New("store: connection refused")
	}))
	r.Handle(Spec{Name: "boom", Form: Form{Summary: "Panics."}}, HandlerFunc(func(context.Context, Command) (Reply, error) {
		panic("nil map")
	}))

	unknown := dispatch(r, "jobz", "")
	if !unknown.NotFound || !strings.Contains(unknown.Text, "“jobz”") {
		t.Errorf("unknown command: %+v", unknown)
	}
	for _, name := range []string{"fail", "boom"} {
		got := dispatch(r, name, "")
		if got.Title != "Something went wrong" {
			t.Errorf("%s: %q", name, got.Title)
		}
		if strings.Contains(got.Text, "connection refused") || strings.Contains(got.Text, "nil map") {
			t.Errorf("%s: the user sees the Go error: %q", name, got.Text)
		}
	}
	if !strings.Contains(logs.String(), "connection refused") || !strings.Contains(logs.String(), `"workspace":"T1"`) {
		t.Errorf("the operator log lacks the error and its context:\n%s", logs)
	}
	want := []string{"cli/unknown/unknown_command", "cli/fail/error", "cli/boom/error"}
	if strings.Join(m.seen, " ") != strings.Join(want, " ") {
		t.Errorf("metrics %v, want %v", m.seen, want)
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		line, name, text string
		err              error
	}{
		{"/explain raft", "explain", "raft", nil},
		{"EXPLAIN  Two Phase\tCommit ", "explain", "Two Phase Commit", nil},
		{"topics", "topics", "", nil},
		{"\u202e/explain\x00raft", "explain", "raft", nil},
		{"", "", "", ErrEmptyCommand},
		{"  \x00 ", "", "", ErrEmptyCommand},
		{"/", "", "", ErrEmptyCommand},
		{strings.Repeat("x", MaxCommandText+1), "", "", ErrCommandTooLong},
		{"explain \xff\xfe", "explain", "\uFFFD", nil},
	}
	for _, tt := range tests {
		name, text, err := Parse(tt.line)
		if name != tt.name || text != tt.text || !errors.Is(err, tt.err) {
			t.Errorf("Parse(%q) = %q, %q, %v; want %q, %q, %v", tt.line, name, text, err, tt.name, tt.text, tt.err)
		}
	}
}

func TestShorten(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"one two three four five", 12, "one two…"},
		{"abcdefghij", 5, "abcd…"},
		{"héllo wörld", 8, "héllo…"},
		{"anything", 0, ""},
	}
	for _, tt := range tests {
		if got := Shorten(tt.in, tt.n); got != tt.want {
			t.Errorf("Shorten(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
