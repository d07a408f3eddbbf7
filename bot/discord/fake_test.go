package discord

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careerbot/careerbot/bot/webhook"
)

// fakeDiscord is an httptest server speaking the parts of Discord's REST API careerbot calls:
// interaction callbacks, edits of the original response, command registration and channel
// messages (with rate limiting on demand). It records every request.
type fakeDiscord struct {
	srv *httptest.Server

	mu        sync.Mutex
	requests  []recorded
	limitNext int           // answer this many channel posts with 429 first
	retryIn   time.Duration // their retry_after
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
	mux.HandleFunc("POST /api/{v}/channels/{id}/messages", func(w http.ResponseWriter, r *http.Request) {
		f.record(r)
		f.mu.Lock()
		limited := f.limitNext > 0
		if limited {
			f.limitNext--
		}
		retry := f.retryIn
		f.mu.Unlock()
		if limited {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-RateLimit-Limit", "5")
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset-After", strconv.FormatFloat(retry.Seconds(), 'f', 3, 64))
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			_ = json.NewEncoder(w).Encode(map[string]any{"message": "You are being rate limited.", "retry_after": retry.Seconds(), "global": false})
			return
		}
		webhook.WriteJSON(w, map[string]any{"id": "m1", "channel_id": r.PathValue("id")})
	})
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
