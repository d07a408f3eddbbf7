package slack

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/websocket"
)

// fakeSlack is an httptest server that speaks the parts of Slack's Web API careerbot calls, and
// records every call, so tests assert what was posted rather than how.
type fakeSlack struct {
	srv *httptest.Server

	mu        sync.Mutex
	calls     []call               // Web API calls, in order
	responses []map[string]any     // posts to response_url
	admins    map[string]bool      // users.info answers is_admin for these
	sockets   chan *websocket.Conn // Socket Mode connections, as they open
	tokens    map[string]string    // method -> Authorization header of the last call
	oauth     map[string]any       // oauth.v2.access answer
}

// call is one Web API request.
type call struct {
	Method string
	Form   url.Values
	JSON   map[string]any
}

func newFakeSlack(t testing.TB) *fakeSlack {
	t.Helper()
	f := &fakeSlack{admins: map[string]bool{}, sockets: make(chan *websocket.Conn, 8), tokens: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/{method}", f.api)
	mux.HandleFunc("POST /response/{id}", func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		f.mu.Lock()
		f.responses = append(f.responses, body)
		f.mu.Unlock()
		w.Write([]byte("ok"))
	})
	upgrader := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	mux.HandleFunc("GET /ws", func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		f.sockets <- conn
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// APIURL is the base to configure as SLACK_API_URL.
func (f *fakeSlack) APIURL() string { return f.srv.URL + "/api/" }

// ResponseURL returns a response_url the fake records posts to.
func (f *fakeSlack) ResponseURL(id string) string { return f.srv.URL + "/response/" + id }

func (f *fakeSlack) api(w http.ResponseWriter, r *http.Request) {
	method := r.PathValue("method")
	c := call{Method: method}
	body, _ := io.ReadAll(r.Body)
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		_ = json.Unmarshal(body, &c.JSON)
	} else {
		c.Form, _ = url.ParseQuery(string(body))
	}
	f.mu.Lock()
	f.calls = append(f.calls, c)
	f.tokens[method] = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if tok := c.Form.Get("token"); tok != "" {
		f.tokens[method] = tok // some methods send the token in the form
	}
	admin := f.admins[c.Form.Get("user")]
	oauth := f.oauth
	f.mu.Unlock()

	w.Header().Set("Content-Type", "application/json")
	switch method {
	case "chat.postMessage":
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "channel": c.Form.Get("channel"), "ts": "1700000000.000200"})
	case "views.publish":
		json.NewEncoder(w).Encode(map[string]any{"ok": true})
	case "users.info":
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "user": map[string]any{"id": c.Form.Get("user"), "is_admin": admin}})
	case "oauth.v2.access":
		if oauth == nil || c.Form.Get("code") != "good-code" {
			json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "invalid_code"})
			return
		}
		json.NewEncoder(w).Encode(oauth)
	case "apps.connections.open":
		json.NewEncoder(w).Encode(map[string]any{"ok": true, "url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws"})
	default:
		json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": "unknown_method"})
	}
}

// Calls returns the recorded Web API calls of one method.
func (f *fakeSlack) Calls(method string) []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []call
	for _, c := range f.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// Responses returns the recorded response_url posts.
func (f *fakeSlack) Responses() []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any(nil), f.responses...)
}

func (f *fakeSlack) Token(method string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tokens[method]
}
