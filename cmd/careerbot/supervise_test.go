package main

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// These tests run serve with its connections pointed at fakes: a Slack that answers
// apps.connections.open and auth.test and serves the Socket Mode WebSocket, and a Discord that
// answers GET /gateway and speaks enough of the gateway to connect, resume and refuse.

// serving is a serve run in the background.
type serving struct {
	base string // http://addr
	done chan int
	logs *syncBuffer
}

// startServe runs `careerbot serve` with env (plus an address and a data directory) until the
// test ends.
func startServe(t *testing.T, env map[string]string) *serving {
	t.Helper()
	return startServeArgs(t, env)
}

// startServeArgs is startServe with flags for serve.
func startServeArgs(t *testing.T, env map[string]string, flags ...string) *serving {
	t.Helper()
	addr := freeAddr(t)
	env = maps.Clone(env)
	env["CAREERBOT_ADDR"] = addr
	env["CAREERBOT_DATA_DIR"] = t.TempDir()
	if env["CAREERBOT_SOURCES"] == "" {
		env["CAREERBOT_SOURCES"] = localBoard(t)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &serving{base: "http://" + addr, done: make(chan int, 1), logs: &syncBuffer{}}
	go func() {
		s.done <- run(ctx, append([]string{"serve"}, flags...), func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, s.logs)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(20 * time.Second):
			t.Errorf("serve did not stop after its context was cancelled\n%s", s.logs)
		}
	})
	return s
}

// exit waits for serve to stop by itself and returns its exit code.
func (s *serving) exit(t *testing.T) int {
	t.Helper()
	select {
	case code := <-s.done:
		s.done <- code // for the cleanup
		return code
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not stop by itself\n%s", s.logs)
		return 0
	}
}

// awaitReadyz polls /readyz until it answers code with a body containing has.
func (s *serving) awaitReadyz(t *testing.T, code int, has string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		resp, err := http.Get(s.base + "/readyz")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			last = resp.Status + " " + string(body)
			if resp.StatusCode == code && strings.Contains(string(body), has) {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("/readyz never answered %d with %s; last %s\n%s", code, has, last, s.logs)
}

// awaitLog polls the log until it has n lines whose message is msg.
func (s *serving) awaitLog(t *testing.T, msg string, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Count(s.logs.String(), `"msg":"`+msg+`"`) >= n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the log never had %d lines %q\n%s", n, msg, s.logs)
}

// socketSlack is a fake Slack for Socket Mode.
type socketSlack struct {
	srv     *httptest.Server
	sockets chan *websocket.Conn

	mu     sync.Mutex
	open   map[string]any // apps.connections.open's answer; nil for a WebSocket URL
	auth   map[string]any // auth.test's answer; nil for ok
	outage bool           // apps.connections.open answers 503
}

func newSocketSlack(t *testing.T) *socketSlack {
	t.Helper()
	f := &socketSlack{sockets: make(chan *websocket.Conn, 8)}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/{method}", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		open, auth, outage := f.open, f.auth, f.outage
		f.mu.Unlock()
		var answer map[string]any
		switch r.PathValue("method") {
		case "auth.test":
			answer = auth
			if answer == nil {
				answer = map[string]any{"ok": true, "team_id": "T1", "user_id": "UBOT"}
			}
		case "apps.connections.open":
			if outage {
				http.Error(w, "unavailable", http.StatusServiceUnavailable)
				return
			}
			answer = open
			if answer == nil {
				answer = map[string]any{"ok": true, "url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/ws"}
			}
		default:
			answer = map[string]any{"ok": false, "error": "unknown_method"}
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(answer)
	})
	upgrader := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	mux.HandleFunc("GET /ws", func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		_ = conn.WriteJSON(map[string]any{"type": "hello", "num_connections": 1,
			"connection_info": map[string]any{"app_id": "A1"}, "debug_info": map[string]any{"host": "fake"}})
		f.sockets <- conn
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *socketSlack) env() map[string]string {
	return map[string]string{"SLACK_APP_TOKEN": "xapp-1-secret-app", "SLACK_BOT_TOKEN": "xoxb-secret-bot",
		"SLACK_API_URL": f.srv.URL + "/api/"}
}

func (f *socketSlack) setOutage(on bool) {
	f.mu.Lock()
	f.outage = on
	f.mu.Unlock()
}

// TestServeStopsOnRefusedSlackToken: a token Slack refuses stops serve with exit 1 and a
// sentence naming the variable, whether slack-go gives up on the answer by itself
// (invalid_auth) or would retry it forever (invalid_token).
func TestServeStopsOnRefusedSlackToken(t *testing.T) {
	tests := []struct {
		name       string
		open, auth map[string]any
		want       string
	}{
		{"app token invalid_auth", map[string]any{"ok": false, "error": "invalid_auth"}, nil,
			"Slack refused SLACK_APP_TOKEN (invalid_auth): check it is an app-level token with connections:write"},
		{"app token invalid_token", map[string]any{"ok": false, "error": "invalid_token"}, nil,
			"Slack refused SLACK_APP_TOKEN (invalid_token)"},
		{"app token revoked", map[string]any{"ok": false, "error": "token_revoked"}, nil,
			"Slack refused SLACK_APP_TOKEN (token_revoked)"},
		{"bot token invalid_auth", nil, map[string]any{"ok": false, "error": "invalid_auth"},
			"Slack refused SLACK_BOT_TOKEN (invalid_auth)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := newSocketSlack(t)
			fake.open, fake.auth = tt.open, tt.auth
			s := startServe(t, fake.env())
			if code := s.exit(t); code != exitFail {
				t.Errorf("exit %d, want %d", code, exitFail)
			}
			logs := s.logs.String()
			if !strings.Contains(logs, tt.want) {
				t.Errorf("the log lacks %q:\n%s", tt.want, logs)
			}
			if strings.Contains(logs, "secret") {
				t.Errorf("the log prints a token:\n%s", logs)
			}
		})
	}
}

// TestReadyzFollowsSocketMode drops the Socket Mode connection while Slack is unavailable:
// /readyz turns 503 naming Socket Mode once the grace period has passed, and 200 again after
// the client reconnects.
func TestReadyzFollowsSocketMode(t *testing.T) {
	t.Parallel()
	fake := newSocketSlack(t)
	env := fake.env()
	env["CAREERBOT_DOWN_GRACE"] = "200ms"
	s := startServe(t, env)

	conn := awaitSocket(t, fake.sockets, s)
	s.awaitLog(t, "socket mode connected", 1) // /readyz says ok before that too, within the grace
	s.awaitReadyz(t, http.StatusOK, `"slack socket mode":"ok"`)

	fake.setOutage(true)
	conn.Close() // a network failure: no goodbye
	s.awaitReadyz(t, http.StatusServiceUnavailable, `"slack socket mode":"unavailable"`)

	fake.setOutage(false)
	awaitSocket(t, fake.sockets, s)
	s.awaitLog(t, "socket mode connected", 2)
	s.awaitReadyz(t, http.StatusOK, `"slack socket mode":"ok"`)
}

func awaitSocket(t *testing.T, sockets <-chan *websocket.Conn, s *serving) *websocket.Conn {
	t.Helper()
	select {
	case conn := <-sockets:
		t.Cleanup(func() { conn.Close() })
		return conn
	case <-time.After(20 * time.Second):
		t.Fatalf("no connection reached the fake\n%s", s.logs)
		return nil
	}
}

// fakeGateway is a fake Discord: GET /gateway names its WebSocket, which says HELLO and then
// answers IDENTIFY with READY or with a close code, RESUME with RESUMED and heartbeats with
// acknowledgements.
type fakeGateway struct {
	srv   *httptest.Server
	conns chan *websocket.Conn

	mu                  sync.Mutex
	closeCode           int  // close after IDENTIFY with this code; 0 to answer READY
	outage              bool // refuse WebSocket upgrades
	identified, resumed int  // IDENTIFY and RESUME received
}

func (f *fakeGateway) sessions() (identified, resumed int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.identified, f.resumed
}

func newFakeGateway(t *testing.T) *fakeGateway {
	t.Helper()
	f := &fakeGateway{conns: make(chan *websocket.Conn, 8)}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/{v}/gateway", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"url": "ws" + strings.TrimPrefix(f.srv.URL, "http") + "/gw"})
	})
	upgrader := websocket.Upgrader{}
	mux.HandleFunc("GET /gw/", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		closeCode, outage := f.closeCode, f.outage
		f.mu.Unlock()
		if outage {
			http.Error(w, "unavailable", http.StatusServiceUnavailable)
			return
		}
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		f.conns <- conn
		go f.serve(conn, closeCode)
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

// serve speaks the gateway on one connection until it closes.
func (f *fakeGateway) serve(conn *websocket.Conn, closeCode int) {
	defer conn.Close()
	if err := conn.WriteJSON(map[string]any{"op": 10, "d": map[string]any{"heartbeat_interval": 45000}}); err != nil {
		return
	}
	for {
		var msg struct {
			Op int `json:"op"`
		}
		if err := conn.ReadJSON(&msg); err != nil {
			return
		}
		var err error
		switch msg.Op {
		case 1: // heartbeat
			err = conn.WriteJSON(map[string]any{"op": 11})
		case 2: // identify
			f.mu.Lock()
			f.identified++
			f.mu.Unlock()
			if closeCode != 0 {
				_ = conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(closeCode, "refused"))
				return
			}
			err = conn.WriteJSON(map[string]any{"op": 0, "s": 1, "t": "READY", "d": map[string]any{
				"v": 10, "session_id": "session-1", "user": map[string]any{"id": "1", "username": "careerbot", "bot": true},
				"guilds": []any{}}})
		case 6: // resume
			f.mu.Lock()
			f.resumed++
			f.mu.Unlock()
			err = conn.WriteJSON(map[string]any{"op": 0, "s": 2, "t": "RESUMED", "d": map[string]any{}})
		}
		if err != nil {
			return
		}
	}
}

func (f *fakeGateway) env() map[string]string {
	return map[string]string{"DISCORD_BOT_TOKEN": "secret-discord-token", "DISCORD_API_URL": f.srv.URL + "/api/v10/"}
}

// TestServeStopsOnRefusedDiscordGateway: a close code after which Discord never accepts the
// connection stops serve with exit 1 and a sentence saying what to fix.
func TestServeStopsOnRefusedDiscordGateway(t *testing.T) {
	tests := []struct {
		code int
		want string
	}{
		{4004, "Discord refused DISCORD_BOT_TOKEN (close code 4004, authentication failed)"},
		{4014, "Discord refused the gateway intents (close code 4014, disallowed intents)"},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.code), func(t *testing.T) {
			t.Parallel()
			fake := newFakeGateway(t)
			fake.closeCode = tt.code
			s := startServe(t, fake.env())
			if code := s.exit(t); code != exitFail {
				t.Errorf("exit %d, want %d", code, exitFail)
			}
			logs := s.logs.String()
			if !strings.Contains(logs, tt.want) {
				t.Errorf("the log lacks %q:\n%s", tt.want, logs)
			}
			if strings.Contains(logs, "secret-discord-token") {
				t.Errorf("the log prints the token:\n%s", logs)
			}
		})
	}
}

// TestReadyzFollowsDiscordGateway drops the gateway connection while Discord is unavailable:
// /readyz turns 503 naming the gateway, and 200 again once the session is resumed.
func TestReadyzFollowsDiscordGateway(t *testing.T) {
	t.Parallel()
	fake := newFakeGateway(t)
	env := fake.env()
	env["CAREERBOT_DOWN_GRACE"] = "200ms"
	s := startServe(t, env)

	conn := awaitSocket(t, fake.conns, s)
	s.awaitLog(t, "discord gateway connected", 1) // /readyz says ok before that too, within the grace
	s.awaitReadyz(t, http.StatusOK, `"discord gateway":"ok"`)

	fake.mu.Lock()
	fake.outage = true
	fake.mu.Unlock()
	conn.Close()
	s.awaitReadyz(t, http.StatusServiceUnavailable, `"discord gateway":"unavailable"`)

	fake.mu.Lock()
	fake.outage = false
	fake.mu.Unlock()
	awaitSocket(t, fake.conns, s)
	s.awaitLog(t, "discord gateway connected", 2)
	s.awaitReadyz(t, http.StatusOK, `"discord gateway":"ok"`)
	if identified, resumed := fake.sessions(); identified != 1 || resumed != 1 {
		t.Errorf("%d IDENTIFY and %d RESUME, want the reconnection to resume the session", identified, resumed)
	}
}

func TestDownGraceConfig(t *testing.T) {
	for _, v := range []string{"soon", "0s", "-5s", "30"} {
		t.Run(v, func(t *testing.T) {
			env := map[string]string{"CAREERBOT_DOWN_GRACE": v, "CAREERBOT_DATA_DIR": t.TempDir()}
			code, _, stderr := runCLI(t, env, "serve")
			if code != exitUsage || !strings.Contains(stderr, "CAREERBOT_DOWN_GRACE") {
				t.Errorf("exit %d, stderr %q; want %d naming CAREERBOT_DOWN_GRACE", code, stderr, exitUsage)
			}
		})
	}
}
