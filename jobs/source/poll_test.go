package source_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
	"github.com/careerbot/careerbot/jobs/source"
	"github.com/careerbot/careerbot/jobs/storetest"
)

// Fault tests: the real readers and the real poller against a local board that misbehaves in
// every way boards do, beside a good board. In each case the bad source reports a sentence and
// backs off, nothing is closed wrongly, the good source's openings still arrive, and nothing
// panics.

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

type boards struct {
	t       *testing.T
	srv     *httptest.Server
	empty   atomic.Bool // /flaky answers an empty board
	modTags atomic.Int32
}

func newBoards(t *testing.T) *boards {
	b := &boards{t: t}
	remoteok := readFixture(t, "remoteok.json")
	mux := http.NewServeMux()
	mux.HandleFunc("/good", func(w http.ResponseWriter, r *http.Request) { w.Write(remoteok) })
	mux.HandleFunc("/flaky", func(w http.ResponseWriter, r *http.Request) {
		if b.empty.Load() {
			w.Write([]byte(`[{"legal":"API Terms of Service"}]`))
			return
		}
		w.Write(remoteok)
	})
	mux.HandleFunc("/timeout", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	mux.HandleFunc("/500", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "oops", http.StatusInternalServerError) })
	mux.HandleFunc("/429", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7200")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	})
	mux.HandleFunc("/malformed.json", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`[{"id": "1", "position": `)) })
	mux.HandleFunc("/malformed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<?xml version="1.0"?><rss version="2.0"><channel><item><title>SRE</ti`))
	})
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) {
		chunk := []byte("[" + strings.Repeat(" ", 1<<20-1))
		for range 50 { // 50 MiB, streamed
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", http.StatusFound) })
	mux.HandleFunc("/javascript", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`[{"legal":"x"},{"id":"9","position":"Senior SRE","company":"Acme","url":"javascript:alert(1)","date":"2026-03-01T00:00:00+00:00"}]`))
	})
	mux.HandleFunc("/etag", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == `"v1"` {
			b.modTags.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Write(remoteok)
	})
	b.srv = httptest.NewServer(mux)
	t.Cleanup(b.srv.Close)
	return b
}

func (b *boards) poller(t *testing.T, store jobs.Store, typ, path string) *jobs.Poller {
	return b.pollerWithin(t, store, typ, path, 10*time.Second)
}

func (b *boards) pollerWithin(t *testing.T, store jobs.Store, typ, path string, timeout time.Duration) *jobs.Poller {
	t.Helper()
	client := source.NewClient("test")
	p := &jobs.Poller{Store: store}
	for _, cfg := range []source.Config{
		{Name: "good", Type: "remoteok", URL: b.srv.URL + "/good"},
		{Name: "bad", Type: typ, URL: b.srv.URL + path},
	} {
		src, err := source.New(cfg, client)
		if err != nil {
			t.Fatal(err)
		}
		p.Sources = append(p.Sources, jobs.Scheduled{Source: src, Type: cfg.Type, Every: 15 * time.Minute, Timeout: timeout})
	}
	return p
}

func TestPollFaults(t *testing.T) {
	b := newBoards(t)
	for _, c := range []struct {
		name, typ, path string
		want            string // in the status's last error
		minWait         time.Duration
	}{
		{"timeout", "remoteok", "/timeout", "did not answer within 300ms", 0},
		{"500", "remoteok", "/500", "the board is failing (HTTP 500)", 0},
		{"429", "remoteok", "/429", "slow down (HTTP 429)", 2 * time.Hour},
		{"malformed JSON", "remoteok", "/malformed.json", "source bad:", 0},
		{"malformed XML", "rss", "/malformed.xml", "source bad:", 0},
		{"50 MiB", "remoteok", "/huge", "more than 10 MiB", 0},
		{"redirect loop", "remoteok", "/loop", "redirects", 0},
		{"gone", "remoteok", "/nothing-here", "HTTP 404", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			store := storetest.Embedded(t)
			timeout := 10 * time.Second
			if c.name == "timeout" {
				timeout = 300 * time.Millisecond // the board never answers: no need to wait long
			}
			p := b.pollerWithin(t, store, c.typ, c.path, timeout)
			ctx := context.Background()
			bad, err := p.Poll(ctx, "bad")
			if err != nil {
				t.Fatal(err)
			}
			if bad.Failures != 1 || !strings.Contains(bad.LastError, c.want) || bad.Successes != 0 {
				t.Errorf("status %+v, want an error saying %q", bad, c.want)
			}
			if wait := bad.NextPoll.Sub(bad.LastAttempt); wait < c.minWait || wait < 13*time.Minute {
				t.Errorf("next poll in %s", wait)
			}
			good, err := p.Poll(ctx, "good")
			if err != nil || good.Listed != 13 || good.Open != 13 {
				t.Errorf("the good source beside it: %+v %v", good, err)
			}
			if got, _ := store.SourceOpenings(ctx, "bad"); len(got) != 0 {
				t.Errorf("the failed source stored %d openings", len(got))
			}
		})
	}
}

func TestPollUnsafeURLIsDropped(t *testing.T) {
	b := newBoards(t)
	store := storetest.Embedded(t)
	p := b.poller(t, store, "remoteok", "/javascript")
	st, err := p.Poll(context.Background(), "bad")
	if err != nil || st.Listed != 1 {
		t.Fatalf("%+v %v", st, err)
	}
	o, err := store.Opening(context.Background(), "bad:9")
	if err != nil || o.URL != "" || o.Title != "Senior SRE" {
		t.Errorf("a javascript: URL: %+v %v", o, err)
	}
}

func TestPollEmptyBoardClosesNothing(t *testing.T) {
	b := newBoards(t)
	store := storetest.Embedded(t)
	p := b.poller(t, store, "remoteok", "/flaky")
	now := time.Now()
	p.Now = func() time.Time { return now }
	ctx := context.Background()
	if st, err := p.Poll(ctx, "bad"); err != nil || st.Listed != 13 {
		t.Fatalf("first fetch: %+v %v", st, err)
	}
	b.empty.Store(true)
	for range 4 { // two days of an empty board
		now = now.Add(12 * time.Hour)
		st, err := p.Poll(ctx, "bad")
		if err != nil || !strings.Contains(st.LastError, "no openings where it had 13; nothing was closed") {
			t.Fatalf("an empty answer: %+v %v", st, err)
		}
	}
	stored, err := store.SourceOpenings(ctx, "bad")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range stored {
		if !o.Open() || o.Misses != 0 {
			t.Errorf("%s: closed %v, misses %d", o.ID, o.Closed, o.Misses)
		}
	}
}

func TestPollRemovedOpeningClosesAfterGrace(t *testing.T) {
	full := readFixture(t, "remoteok.json")
	served := atomic.Value{}
	served.Store(full)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(served.Load().([]byte)) }))
	t.Cleanup(srv.Close)
	src, err := source.New(source.Config{Name: "rok", Type: "remoteok", URL: srv.URL}, source.NewClient("test"))
	if err != nil {
		t.Fatal(err)
	}
	store := storetest.Embedded(t)
	now := time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)
	p := &jobs.Poller{Store: store, Now: func() time.Time { return now },
		Sources: []jobs.Scheduled{{Source: src, Type: "remoteok", Every: time.Hour}}}
	ctx := context.Background()
	if _, err := p.Poll(ctx, "rok"); err != nil {
		t.Fatal(err)
	}
	// Remove job 1130783 from the board's answer.
	removed := strings.Replace(string(full), `"id":"1130783"`, `"id":"gone"`, 1)
	if removed == string(full) {
		t.Fatal("the fixture no longer has job 1130783")
	}
	served.Store([]byte(removed))
	state := func() jobs.Opening {
		o, err := store.Opening(ctx, "rok:1130783")
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	for _, step := range []struct {
		after  time.Duration
		closed bool
	}{{time.Hour, false}, {time.Hour, false}, {23 * time.Hour, true}} {
		now = now.Add(step.after)
		if _, err := p.Poll(ctx, "rok"); err != nil {
			t.Fatal(err)
		}
		if o := state(); o.Open() == step.closed {
			t.Fatalf("after %s more: closed %v, misses %d, want closed %v", step.after, o.Closed, o.Misses, step.closed)
		}
	}
}

func TestPollConditionalRequests(t *testing.T) {
	b := newBoards(t)
	store := storetest.Embedded(t)
	p := b.poller(t, store, "remoteok", "/etag")
	ctx := context.Background()
	first, err := p.Poll(ctx, "bad")
	if err != nil || first.ETag != `"v1"` {
		t.Fatalf("first fetch: %+v %v", first, err)
	}
	last, _ := store.Changes(ctx, 0, func(jobs.Opening) error { return nil })
	second, err := p.Poll(ctx, "bad")
	if err != nil || second.Failures != 0 || second.Successes != 2 || second.Open != 13 || b.modTags.Load() != 1 {
		t.Fatalf("second fetch: %+v %v (304s: %d)", second, err, b.modTags.Load())
	}
	n := 0
	if _, err := store.Changes(ctx, last, func(jobs.Opening) error { n++; return nil }); err != nil || n != 0 {
		t.Errorf("a 304 rewrote %d openings (%v)", n, err)
	}
}

func TestClientOneRequestAtATimePerHost(t *testing.T) {
	var inFlight, most atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		select {
		case <-release:
		case <-time.After(50 * time.Millisecond):
		}
		io.WriteString(w, "[]")
	}))
	t.Cleanup(srv.Close)
	c := source.NewClient("test")
	done := make(chan error, 4)
	for i := range 4 {
		go func() {
			_, err := c.Get(context.Background(), fmt.Sprintf("%s/%d", srv.URL, i), "")
			done <- err
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	close(release)
	if most.Load() != 1 {
		t.Errorf("%d requests to one host at once", most.Load())
	}
	// Waiting for the host's turn honours the context.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Get(ctx, srv.URL, ""); err == nil {
		t.Error("a cancelled request succeeded")
	}
}
