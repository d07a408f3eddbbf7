package playground

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/bottest"
	"github.com/careerbot/careerbot/bot/deliver"
)

// The adapter is one more Poster of the delivery path.
var _ deliver.Poster = (*Adapter)(nil)

// testRouter has the throwaway command of bottest, a command that repeats its text (with a
// button that runs it again) and one whose option completes from a source of its own.
func testRouter(t testing.TB) *bot.Router {
	t.Helper()
	r := bot.NewRouter(slog.New(slog.DiscardHandler), nil)
	r.Handle(bottest.Deploy, &bottest.Recorder{})
	r.Handle(bot.Spec{Name: "note", Form: bot.Form{
		Summary:  "Repeats a note.",
		Examples: []string{"note hello"},
		Options:  []bot.Option{{Name: "text", Description: "The note", Rest: true}},
	}}, bot.HandlerFunc(func(_ context.Context, cmd bot.Command) (bot.Reply, error) {
		return bot.Reply{Title: "Note", Text: cmd.Option("text"),
			Buttons: []bot.Button{{Label: "Again", Action: bot.Action{Command: "note", Args: "again " + cmd.Option("text")}}}}, nil
	}))
	r.Completer("things", func(input string, n int) []bot.Choice {
		var out []bot.Choice
		for _, c := range []bot.Choice{{Name: "Raft consensus", Value: "raft"}, {Name: "Rate limiting", Value: "rate-limiting"}, {Name: "Paxos", Value: "paxos"}} {
			if strings.HasPrefix(c.Value, strings.ToLower(input)) && len(out) < n {
				out = append(out, c)
			}
		}
		return out
	})
	r.Handle(bot.Spec{Name: "lookup", Form: bot.Form{
		Summary: "Looks a thing up.",
		Options: []bot.Option{{Name: "thing", Description: "The thing", Complete: "things", Rest: true}},
	}}, bot.HandlerFunc(func(_ context.Context, cmd bot.Command) (bot.Reply, error) {
		return bot.Reply{Title: "Thing " + cmd.Option("thing")}, nil
	}))
	return r
}

func newTestAdapter(t testing.TB, opts Options) (*Adapter, http.Handler) {
	t.Helper()
	a := New(testRouter(t), opts)
	t.Cleanup(func() { _ = a.Close() })
	return a, a.Handler()
}

// do sends a request to h and returns the recorded answer.
func do(t testing.TB, h http.Handler, method, target, body string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func decode[T any](t testing.TB, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("answer %d is not JSON: %v\n%s", rec.Code, err, rec.Body)
	}
	return v
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCommand runs typed lines through the router and wants the reply in the answer's HTML.
func TestCommand(t *testing.T) {
	t.Parallel()
	_, h := newTestAdapter(t, Options{})
	tests := []struct {
		name, text string
		want       []string
		not        []string
	}{
		{"slash", "/note hello world", []string{`<article class="reply">`, `<p class="said">/note hello world</p>`, "hello world",
			`<button type="button" class="reply-button" data-action="note again hello world">Again</button>`}, nil},
		{"no slash", "note hello", []string{`<p class="said">/note hello</p>`, `<h3 class="reply-title">Note</h3>`}, nil},
		{"unknown", "/nope", []string{"Unknown command"}, nil},
		{"admin", "/deploy rollback 3", []string{"rollback id=3"}, []string{"Only admins"}},
		{"usage", "/deploy", []string{"How to use /deploy"}, nil},
		{"hostile", "/note <img src=x onerror=alert(1)> <script>alert(1)</script>",
			[]string{"&lt;img src=x onerror=alert(1)&gt;", "&lt;script&gt;"}, []string{"<img", "<script"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := do(t, h, http.MethodPost, "/playground/command", mustJSON(t, map[string]string{"text": tt.text}))
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			got := string(decode[answer](t, rec).HTML)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("the answer lacks %q:\n%s", w, got)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("the answer holds %q:\n%s", n, got)
				}
			}
			checkSafe(t, got)
		})
	}
}

// TestBadRequests: what is not a command gets a status and a sentence, never a reply.
func TestBadRequests(t *testing.T) {
	t.Parallel()
	_, h := newTestAdapter(t, Options{})
	tests := []struct {
		name, target, body, contentType string
		want                            int
	}{
		{"bad json", "/playground/command", `{"text":`, "application/json", http.StatusBadRequest},
		{"not an object", "/playground/command", `[1,2]`, "application/json", http.StatusBadRequest},
		{"too large", "/playground/command", `{"text":"` + strings.Repeat("x", maxBody) + `"}`, "application/json", http.StatusRequestEntityTooLarge},
		{"too long", "/playground/command", `{"text":"/note ` + strings.Repeat("x", bot.MaxCommandText) + `"}`, "application/json", http.StatusBadRequest},
		{"empty", "/playground/command", `{"text":"  "}`, "application/json", http.StatusBadRequest},
		{"form post", "/playground/command", `text=%2Fnote`, "application/x-www-form-urlencoded", http.StatusUnsupportedMediaType},
		{"press without action", "/playground/press", `{}`, "application/json", http.StatusBadRequest},
		{"press too large", "/playground/press", `{"action":"` + strings.Repeat("x", maxBody) + `"}`, "application/json", http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := do(t, h, http.MethodPost, tt.target, tt.body, "Content-Type", tt.contentType)
			if rec.Code != tt.want {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.want, rec.Body)
			}
			if msg := decode[map[string]string](t, rec)["error"]; msg == "" || strings.Contains(msg, "json:") {
				t.Errorf("error %q: want a sentence for the user", msg)
			}
		})
	}
}

// TestPress runs a reply's button, and answers a button it cannot read.
func TestPress(t *testing.T) {
	t.Parallel()
	_, h := newTestAdapter(t, Options{})
	tests := []struct{ action, want, said string }{
		{"note again hi", "again hi", "/note again hi"},
		{"public:note shared", "shared", "/note shared (shared in the channel)"},
		{"vanished x", "This button no longer works", "/vanished x"},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			t.Parallel()
			rec := do(t, h, http.MethodPost, "/playground/press", mustJSON(t, map[string]string{"action": tt.action}))
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			got := string(decode[answer](t, rec).HTML)
			if !strings.Contains(got, tt.want) || !strings.Contains(got, `<p class="said">`+tt.said+`</p>`) {
				t.Errorf("the answer lacks %q or %q:\n%s", tt.want, tt.said, got)
			}
		})
	}
	// A button of a rendered reply runs the action it shows.
	rec := do(t, h, http.MethodPost, "/playground/command", `{"text":"/note first"}`)
	m := regexp.MustCompile(`data-action="([^"]*)"`).FindStringSubmatch(string(decode[answer](t, rec).HTML))
	if m == nil {
		t.Fatal("no button in the reply")
	}
	rec = do(t, h, http.MethodPost, "/playground/press", mustJSON(t, map[string]string{"action": m[1]}))
	if got := string(decode[answer](t, rec).HTML); !strings.Contains(got, "again first") {
		t.Errorf("the button ran something else:\n%s", got)
	}
}

// TestComplete suggests command names, subcommands and an option's values from its source.
func TestComplete(t *testing.T) {
	t.Parallel()
	_, h := newTestAdapter(t, Options{})
	tests := []struct {
		text string
		want []string // values, in order
	}{
		{"/", []string{"/deploy ", "/note ", "/lookup ", "/help "}},
		{"/no", []string{"/note "}},
		{"NO", []string{"/note "}},
		{"/zzz", nil},
		{"/lookup ", []string{"/lookup raft", "/lookup rate-limiting", "/lookup paxos"}},
		{"/lookup ra", []string{"/lookup raft", "/lookup rate-limiting"}},
		{"/lookup raf", []string{"/lookup raft"}},
		{"/lookup thing:pa", []string{"/lookup thing:paxos"}},
		{"/deploy ", []string{"/deploy start ", "/deploy rollback "}},
		{"/deploy ro", []string{"/deploy rollback "}},
		{"/help de", []string{"/help deploy"}},
		{"/note anything", nil},
		{"/nope x", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			t.Parallel()
			rec := do(t, h, http.MethodGet, "/playground/complete?text="+strings.ReplaceAll(tt.text, " ", "%20"), "")
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
			got := decode[[]suggestion](t, rec)
			if got == nil {
				t.Fatal("null, want a list")
			}
			var values []string
			for _, s := range got {
				values = append(values, s.Value)
				if s.Label == "" {
					t.Errorf("%+v has no label", s)
				}
			}
			if strings.Join(values, "|") != strings.Join(tt.want, "|") {
				t.Errorf("values %q, want %q", values, tt.want)
			}
		})
	}
}

// TestPoster: a post lands in the feed once per key, Find knows it by key, and a post for
// another channel is refused for good.
func TestPoster(t *testing.T) {
	t.Parallel()
	a, _ := newTestAdapter(t, Options{})
	ctx := t.Context()
	p := bot.Post{Workspace: Workspace, Channel: Channel, Key: "o-1", Reply: bot.Reply{Title: "Opening one"}}
	id, err := a.Post(ctx, p)
	if err != nil || id != "1" {
		t.Fatalf("Post: %q, %v", id, err)
	}
	if again, err := a.Post(ctx, p); err != nil || again != id {
		t.Errorf("the same key posted again: %q, %v", again, err)
	}
	if found, err := a.Find(ctx, p, time.Now()); err != nil || found != id {
		t.Errorf("Find: %q, %v", found, err)
	}
	if found, err := a.Find(ctx, bot.Post{Channel: Channel, Key: "o-2"}, time.Now()); err != nil || found != "" {
		t.Errorf("Find of an unknown key: %q, %v", found, err)
	}
	_, err = a.Post(ctx, bot.Post{Channel: "C1", Key: "x", Reply: bot.Reply{Title: "x"}})
	var perm interface{ Permanent() bool }
	if !errors.As(err, &perm) || !perm.Permanent() {
		t.Errorf("a post for another channel: %v, want a permanent error", err)
	}
	if posts, _ := a.feed.after(0); len(posts) != 1 {
		t.Errorf("%d posts in the feed, want 1", len(posts))
	}
}

// TestFeedBounded keeps the newest posts only, with ids that keep increasing.
func TestFeedBounded(t *testing.T) {
	t.Parallel()
	f := newFeed(3)
	for range 5 {
		if _, err := f.add("", time.Now(), func(int64, time.Time) (template.HTML, error) { return "x", nil }); err != nil {
			t.Fatal(err)
		}
	}
	posts, _ := f.after(0)
	if len(posts) != 3 || posts[0].ID != 3 || posts[2].ID != 5 {
		t.Errorf("posts %+v", posts)
	}
}

// TestFeedPolling lists the posts after an id.
func TestFeedPolling(t *testing.T) {
	t.Parallel()
	a, h := newTestAdapter(t, Options{})
	for _, key := range []string{"a", "b"} {
		if _, err := a.Post(t.Context(), bot.Post{Channel: Channel, Key: key, Reply: bot.Reply{Title: "Opening " + key}}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		after string
		want  []int64
	}{{"", []int64{1, 2}}, {"0", []int64{1, 2}}, {"1", []int64{2}}, {"2", nil}}
	for _, tt := range tests {
		rec := do(t, h, http.MethodGet, "/playground/feed?after="+tt.after, "")
		posts := decode[[]post](t, rec)
		var ids []int64
		for _, p := range posts {
			ids = append(ids, p.ID)
			if !strings.Contains(string(p.HTML), `<article class="post" id="post-`) {
				t.Errorf("post %d: %s", p.ID, p.HTML)
			}
		}
		if mustJSON(t, ids) != mustJSON(t, tt.want) {
			t.Errorf("after %q: %v, want %v", tt.after, ids, tt.want)
		}
	}
	if rec := do(t, h, http.MethodGet, "/playground/feed?after=x", ""); rec.Code != http.StatusBadRequest {
		t.Errorf("after=x: %d", rec.Code)
	}
}
