package playground

import (
	"bufio"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/bot"
)

// stream reads server-sent events from a test server.
type stream struct {
	lines chan string
}

// openStream GETs the event stream with the given headers and reads its lines until ctx ends.
func openStream(t *testing.T, ctx context.Context, url string, header ...string) *stream {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("status %d, type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	s := &stream{lines: make(chan string, 100)}
	go func() {
		defer res.Body.Close()
		defer close(s.lines)
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
	}()
	return s
}

// next returns the next line that starts with prefix, failing after a timeout.
func (s *stream) next(t *testing.T, prefix string) string {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case line, ok := <-s.lines:
			if !ok {
				t.Fatalf("the stream ended before a line starting %q", prefix)
			}
			if strings.HasPrefix(line, prefix) {
				return line
			}
		case <-timeout:
			t.Fatalf("no line starting %q within 5s", prefix)
		}
	}
}

// TestEvents: a post delivered while the page listens arrives as an event; a page that
// reconnects with Last-Event-ID gets only what it missed; an idle stream gets heartbeats; the
// stream ends when the adapter closes.
func TestEvents(t *testing.T) {
	t.Parallel()
	a, h := newTestAdapter(t, Options{})
	a.beat = 50 * time.Millisecond
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()

	s := openStream(t, ctx, srv.URL+"/playground/events")
	s.next(t, "retry:")
	if _, err := a.Post(ctx, bot.Post{Channel: Channel, Key: "o-1", Reply: bot.Reply{Title: "Staff engineer <img src=x onerror=alert(1)>"}}); err != nil {
		t.Fatal(err)
	}
	if id := s.next(t, "id:"); id != "id: 1" {
		t.Errorf("%q, want id: 1", id)
	}
	s.next(t, "event: post")
	data := s.next(t, "data:")
	if !strings.Contains(data, "Staff engineer") || !strings.Contains(data, `\u0026lt;img`) || strings.Contains(data, "<img") {
		t.Errorf("data %s", data)
	}
	s.next(t, ": heartbeat")

	if _, err := a.Post(ctx, bot.Post{Channel: Channel, Key: "o-2", Reply: bot.Reply{Title: "Second"}}); err != nil {
		t.Fatal(err)
	}
	resumed := openStream(t, ctx, srv.URL+"/playground/events", "Last-Event-ID", "1")
	if id := resumed.next(t, "id:"); id != "id: 2" {
		t.Errorf("after Last-Event-ID 1: %q, want id: 2", id)
	}
	fromQuery := openStream(t, ctx, srv.URL+"/playground/events?after=1")
	if id := fromQuery.next(t, "id:"); id != "id: 2" {
		t.Errorf("after=1: %q, want id: 2", id)
	}

	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	for range s.lines {
	}
}

// TestSecurityHeaders are on the page, on JSON answers and on errors.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	_, h := newTestAdapter(t, Options{})
	for _, target := range []string{"/", "/playground/", "/playground/complete?text=/", "/playground/feed", "/playground/static/playground.js", "/nothing-here"} {
		rec := do(t, h, http.MethodGet, target, "")
		if got := rec.Header().Get("Content-Security-Policy"); got != contentSecurityPolicy {
			t.Errorf("%s: CSP %q", target, got)
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" || rec.Header().Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("%s: headers %v", target, rec.Header())
		}
	}
	rec := do(t, h, http.MethodPost, "/playground/command", `{"text":"/note x"}`)
	if rec.Header().Get("Content-Security-Policy") != contentSecurityPolicy || rec.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("command answer headers %v", rec.Header())
	}
	if !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Errorf("content type %q", rec.Header().Get("Content-Type"))
	}
}

// TestCrossOrigin: a POST from another site is refused before it runs anything.
func TestCrossOrigin(t *testing.T) {
	t.Parallel()
	loaded := 0
	_, h := newTestAdapter(t, Options{LoadSample: func(context.Context) (int, error) { loaded++; return 1, nil }})
	for _, target := range []string{"/playground/command", "/playground/press", "/playground/sample"} {
		for _, hdr := range [][]string{
			{"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"},
			{"Origin", "https://evil.example"},
			{"Sec-Fetch-Site", "same-site"},
		} {
			rec := do(t, h, http.MethodPost, target, `{"text":"/note x","action":"note x"}`, hdr...)
			if rec.Code != http.StatusForbidden {
				t.Errorf("%s with %v: %d, want 403", target, hdr, rec.Code)
			}
		}
		rec := do(t, h, http.MethodPost, target, `{"text":"/note x","action":"note x"}`, "Origin", "http://example.com", "Sec-Fetch-Site", "same-origin")
		if rec.Code != http.StatusOK {
			t.Errorf("%s same-origin: %d %s", target, rec.Code, rec.Body)
		}
	}
	if loaded != 1 {
		t.Errorf("the sample was loaded %d times, want once (same-origin only)", loaded)
	}
}

// TestSample loads the sample openings, and is not there without LoadSample.
func TestSample(t *testing.T) {
	t.Parallel()
	_, without := newTestAdapter(t, Options{})
	if rec := do(t, without, http.MethodPost, "/playground/sample", `{}`); rec.Code != http.StatusNotFound {
		t.Errorf("without LoadSample: %d", rec.Code)
	}
	if page := do(t, without, http.MethodGet, "/", "").Body.String(); strings.Contains(page, `id="load-sample"`) {
		t.Error("the page offers the sample without LoadSample")
	}
	_, with := newTestAdapter(t, Options{LoadSample: func(context.Context) (int, error) { return 7, nil }})
	rec := do(t, with, http.MethodPost, "/playground/sample", `{}`)
	if rec.Code != http.StatusOK || decode[map[string]int](t, rec)["loaded"] != 7 {
		t.Errorf("with LoadSample: %d %s", rec.Code, rec.Body)
	}
	_, failing := newTestAdapter(t, Options{LoadSample: func(context.Context) (int, error) { return 0, errors.New("disk full at /secret/path") }})
	rec = do(t, failing, http.MethodPost, "/playground/sample", `{}`)
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "secret") {
		t.Errorf("a failing LoadSample: %d %s", rec.Code, rec.Body)
	}
}

// TestPage holds the DOM contract that the browser tests depend on, and the CSP's rules: no
// inline script, style or handler.
func TestPage(t *testing.T) {
	t.Parallel()
	a, h := newTestAdapter(t, Options{LoadSample: func(context.Context) (int, error) { return 0, nil }})
	rec := do(t, h, http.MethodGet, "/", "")
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	page := rec.Body.String()
	for _, want := range []string{
		"<main>", "<h1>", ">#playground</h2>",
		`<form id="command-form"`, `<label for="command">`, `<input id="command"`, `type="text"`, `autocomplete="off"`,
		`aria-controls="suggestions"`, `<button type="submit"`,
		`<ul id="suggestions" role="listbox"`, `<div id="transcript" aria-live="polite"`,
		`<section id="feed"`, ">Channel feed</h2>", `<div id="feed-posts"`, `<p id="feed-empty">`,
		`<button type="button" id="load-sample">Load sample openings</button>`,
		`data-line="/note hello"`,
		`<meta name="viewport" content="width=device-width, initial-scale=1">`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	checkNoInline(t, page)

	// Posts so far are on the page, and the empty feed's hint is hidden.
	if _, err := a.Post(t.Context(), bot.Post{Channel: Channel, Key: "k", Reply: bot.Reply{Title: "<script>alert(1)</script>"}}); err != nil {
		t.Fatal(err)
	}
	page = do(t, h, http.MethodGet, "/", "").Body.String()
	for _, want := range []string{`<article class="post" id="post-1" data-id="1">`, `data-last-id="1"`, `<div class="feed-empty" hidden>`, "&lt;script&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page with a post lacks %s", want)
		}
	}
	checkNoInline(t, page)
}

// checkNoInline fails on what the Content-Security-Policy would block: inline script, style
// elements or attributes, event handler attributes.
func checkNoInline(t *testing.T, page string) {
	t.Helper()
	for _, m := range regexp.MustCompile(`<script[^>]*>`).FindAllString(page, -1) {
		if !strings.Contains(m, `src="/playground/static/`) {
			t.Errorf("inline script %s", m)
		}
	}
	for _, tag := range regexp.MustCompile(`<[a-zA-Z][^>]*>`).FindAllString(page, -1) {
		if regexp.MustCompile(`(?i)\s(style|on\w+)\s*=`).MatchString(attrValue.ReplaceAllString(tag, `=""`)) || strings.HasPrefix(tag, "<style") {
			t.Errorf("inline style or handler %s", tag)
		}
	}
}

// TestStatic serves the script and the style sheet with their types and a long cache.
func TestStatic(t *testing.T) {
	t.Parallel()
	_, h := newTestAdapter(t, Options{})
	tests := []struct{ file, ctype string }{
		{"playground.js", "text/javascript; charset=utf-8"},
		{"playground.css", "text/css; charset=utf-8"},
		{"icon.svg", "image/svg+xml"},
	}
	for _, tt := range tests {
		rec := do(t, h, http.MethodGet, "/playground/static/"+tt.file, "")
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != tt.ctype || rec.Body.Len() == 0 {
			t.Errorf("%s: %d %q", tt.file, rec.Code, rec.Header().Get("Content-Type"))
		}
		if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") {
			t.Errorf("%s: Cache-Control %q", tt.file, cc)
		}
		etag := rec.Header().Get("ETag")
		if again := do(t, h, http.MethodGet, "/playground/static/"+tt.file, "", "If-None-Match", etag); again.Code != http.StatusNotModified {
			t.Errorf("%s with its ETag: %d", tt.file, again.Code)
		}
	}
	for _, target := range []string{"/playground/static/nope.js", "/playground/static/..%2fplayground.go", "/favicon.ico"} {
		if rec := do(t, h, http.MethodGet, target, ""); rec.Code != http.StatusNotFound {
			t.Errorf("%s: %d", target, rec.Code)
		}
	}
}
