package discord

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careerbot/careerbot/bot/webhook"
)

// fakeDiscord is an httptest server speaking the parts of Discord's REST API careerbot calls:
// interaction callbacks, edits of the original response and command registration. It records
// every request. Channel messages are discordfake's (post_test.go).
type fakeDiscord struct {
	srv *httptest.Server

	mu       sync.Mutex
	requests []recorded
}

type recorded struct {
	Method, Path, Auth string
	Body               []byte
	At                 time.Time
}

func newFakeDiscord(t testing.TB) *fakeDiscord {
	t.Helper()
	f := &fakeDiscord{}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/{v}/interactions/{id}/{token}/callback", func(w http.ResponseWriter, r *http.Request) {
		f.record(r)
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("PATCH /api/{v}/webhooks/{app}/{token}/messages/{msg}", func(w http.ResponseWriter, r *http.Request) {
		f.record(r)
		webhook.WriteJSON(w, map[string]any{"id": "m-original", "channel_id": "C1"})
	})
	register := func(w http.ResponseWriter, r *http.Request) {
		body := f.record(r)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}
	mux.HandleFunc("PUT /api/{v}/applications/{app}/commands", register)
	mux.HandleFunc("PUT /api/{v}/applications/{app}/guilds/{guild}/commands", register)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// APIURL is the base to configure as DISCORD_API_URL.
func (f *fakeDiscord) APIURL() string { return f.srv.URL + "/api/v10/" }

func (f *fakeDiscord) record(r *http.Request) []byte {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	f.requests = append(f.requests, recorded{Method: r.Method, Path: r.URL.Path, Auth: r.Header.Get("Authorization"), Body: body, At: time.Now()})
	f.mu.Unlock()
	return body
}

// Requests returns the recorded requests whose method is method and whose path contains part.
func (f *fakeDiscord) Requests(method, part string) []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []recorded
	for _, r := range f.requests {
		if r.Method == method && strings.Contains(r.Path, part) {
			out = append(out, r)
		}
	}
	return out
}
