package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/study"
	"github.com/careerbot/careerbot/bot/web"
	"github.com/careerbot/careerbot/bot/webhook"
	"github.com/careerbot/careerbot/internal/kv"
	"github.com/careerbot/careerbot/knowledge"
	"github.com/careerbot/careerbot/knowledge/boltstore"
	"github.com/careerbot/careerbot/knowledge/storetest"
	bolt "go.etcd.io/bbolt"
)

const testSecret = "test-signing-secret"

// harness is careerbot's whole HTTP stack with the Slack adapter, against a fake Slack.
type harness struct {
	t       testing.TB
	fake    *fakeSlack
	adapter *Adapter
	srv     *httptest.Server
	metrics *web.Metrics
	kv      kv.Store
	logs    *bytes.Buffer
}

// setup is what a harness option may change before the adapter is made.
type setup struct {
	cfg      Config
	store    knowledge.MaterialStore
	commands func(*bot.Router) // registers more commands
}

type option func(*setup)

func withConfig(f func(*Config)) option { return func(s *setup) { f(&s.cfg) } }

// withSlowStore makes listing take d, or until gate is closed.
func withSlowStore(d time.Duration, gate <-chan struct{}) option {
	return func(s *setup) { s.store = storetest.Slow{MaterialStore: s.store, Delay: d, Gate: gate} }
}

func withCommands(f func(*bot.Router)) option { return func(s *setup) { s.commands = f } }

func newHarness(t testing.TB, opts ...option) *harness {
	t.Helper()
	fake := newFakeSlack(t)
	db, err := bolt.Open(filepath.Join(t.TempDir(), "t.db"), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	kb, err := knowledge.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	st := setup{store: boltstore.New(db),
		cfg: Config{SigningSecret: testSecret, BotToken: "xoxb-single", APIURL: fake.APIURL(), AckBudget: 300 * time.Millisecond}}
	for _, o := range opts {
		o(&st)
	}
	cfg, store := st.cfg, st.store
	logs := &bytes.Buffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	metrics := web.NewMetrics()
	router := bot.NewRouter(log, metrics)
	study.Register(router, kb, knowledge.NewLibrary(store, kb), log)
	if st.commands != nil {
		st.commands(router)
	}
	store2 := kv.NewBolt(db)
	a, err := New(cfg, router, store2, log, metrics)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.NewHandler(web.Options{Log: log, Metrics: metrics, Slack: a}))
	t.Cleanup(srv.Close)
	return &harness{t: t, fake: fake, adapter: a, srv: srv, metrics: metrics, kv: store2, logs: logs}
}

// signed builds a request signed as Slack signs, now.
func (h *harness) signed(path, contentType, body string) *http.Request {
	h.t.Helper()
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+path, strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sign(testSecret, ts, []byte(body)))
	return req
}

func (h *harness) do(req *http.Request) (int, []byte) {
	h.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// command sends a signed slash command.
func (h *harness) command(team, user, command, text string) (int, []byte) {
	form := url.Values{"team_id": {team}, "channel_id": {"C1"}, "user_id": {user}, "user_name": {"name-" + user},
		"command": {command}, "text": {text}, "response_url": {h.fake.ResponseURL("r1")}, "token": {"ignored"}}
	return h.do(h.signed("/slack/commands", "application/x-www-form-urlencoded", form.Encode()))
}

// settle waits for every follow-up the adapter started.
func (h *harness) settle() {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.adapter.Close(ctx); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) metricsText() string {
	resp, err := http.Get(h.srv.URL + "/metrics")
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func headerText(t *testing.T, m map[string]any) string {
	t.Helper()
	blocks, _ := m["blocks"].([]any)
	for _, b := range blocks {
		blk, _ := b.(map[string]any)
		if blk["type"] == "header" {
			txt, _ := blk["text"].(map[string]any)
			s, _ := txt["text"].(string)
			return s
		}
	}
	return ""
}

func TestDocumentedSignatureExample(t *testing.T) {
	// From Slack's "Verifying requests from Slack" (PLATFORMS.md).
	const (
		secret = "8f742231b10e8888abcd99yyyzzz85a5"
		ts     = "1531420618"
		body   = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
		want   = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
	)
	if len(body) != 362 {
		t.Fatalf("body is %d bytes, the documented one 362", len(body))
	}
	if got := sign(secret, ts, []byte(body)); got != want {
		t.Errorf("sign = %s, want %s", got, want)
	}
	h := http.Header{"X-Slack-Request-Timestamp": {ts}, "X-Slack-Signature": {want}}
	if err := verify(h, []byte(body), secret, time.Unix(1531420618+30, 0)); err != nil {
		t.Errorf("verify at the documented time: %v", err)
	}
	if err := verify(h, []byte(body), secret, time.Unix(1531420618, 0).Add(6*time.Minute)); err != errStale {
		t.Errorf("verify six minutes later: %v, want stale", err)
	}
}

func TestRefusesUnverifiedRequests(t *testing.T) {
	h := newHarness(t)
	body := url.Values{"team_id": {"T1"}, "user_id": {"U1"}, "command": {"/explain"}, "text": {"raft"}}.Encode()
	now := time.Now().Unix()
	tests := []struct {
		name   string
		mutate func(r *http.Request)
		body   string
		code   int
		reason string
	}{
		{"tampered body", func(r *http.Request) {}, strings.Replace(body, "raft", "paxos", 1), 401, "bad_signature"},
		{"wrong secret", func(r *http.Request) {
			r.Header.Set("X-Slack-Signature", sign("not-the-secret", r.Header.Get("X-Slack-Request-Timestamp"), []byte(body)))
		}, body, 401, "bad_signature"},
		{"stale timestamp", func(r *http.Request) {
			ts := strconv.FormatInt(now-6*60, 10)
			r.Header.Set("X-Slack-Request-Timestamp", ts)
			r.Header.Set("X-Slack-Signature", sign(testSecret, ts, []byte(body)))
		}, body, 401, "stale_timestamp"},
		{"future timestamp", func(r *http.Request) {
			ts := strconv.FormatInt(now+6*60, 10)
			r.Header.Set("X-Slack-Request-Timestamp", ts)
			r.Header.Set("X-Slack-Signature", sign(testSecret, ts, []byte(body)))
		}, body, 401, "stale_timestamp"},
		{"missing signature", func(r *http.Request) { r.Header.Del("X-Slack-Signature") }, body, 401, "no_signature"},
		{"missing timestamp", func(r *http.Request) { r.Header.Del("X-Slack-Request-Timestamp") }, body, 401, "no_signature"},
		{"timestamp not a number", func(r *http.Request) { r.Header.Set("X-Slack-Request-Timestamp", "soon") }, body, 401, "bad_timestamp"},
		{"over 1 MiB", func(r *http.Request) {}, body + "&pad=" + strings.Repeat("x", webhook.MaxBody), 413, "too_large"},
	}
	for _, path := range []string{"/slack/commands", "/slack/events", "/slack/interactions"} {
		for _, tt := range tests {
			t.Run(path+"/"+tt.name, func(t *testing.T) {
				req := h.signed(path, "application/x-www-form-urlencoded", body)
				req.Body = io.NopCloser(strings.NewReader(tt.body))
				req.ContentLength = int64(len(tt.body))
				tt.mutate(req)
				if code, _ := h.do(req); code != tt.code {
					t.Errorf("status %d, want %d", code, tt.code)
				}
			})
		}
	}
	m := h.metricsText()
	for _, reason := range []string{"bad_signature", "stale_timestamp", "no_signature", "bad_timestamp", "too_large"} {
		if !strings.Contains(m, `careerbot_rejected_requests_total{platform="slack",reason="`+reason+`"}`) {
			t.Errorf("metrics do not count %s", reason)
		}
	}
	if strings.Contains(h.logs.String(), testSecret) {
		t.Error("the log contains the signing secret")
	}
	if len(h.fake.Calls("users.info"))+len(h.fake.Responses()) > 0 {
		t.Error("an unverified request reached the core")
	}
}

func TestSlashExplainAnswersInline(t *testing.T) {
	h := newHarness(t)
	code, body := h.command("T1", "U1", "/explain", "raft")
	if code != 200 {
		t.Fatalf("status %d: %s", code, body)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("not JSON: %s", body)
	}
	if got := headerText(t, m); got != "Raft consensus algorithm" {
		t.Errorf("header %q", got)
	}
	if m["response_type"] != "ephemeral" {
		t.Errorf("response_type %v, want ephemeral", m["response_type"])
	}
	if !strings.Contains(string(body), `"value":"public:explain raft"`) {
		t.Error("no share-in-channel button")
	}
	code, body = h.command("T1", "U1", "/explain", "raft public")
	if code != 200 || !strings.Contains(string(body), `"response_type":"in_channel"`) {
		t.Errorf("public: %d %s", code, body)
	}
}

// TestSlowStoreFollowsUp: a command whose store is slow is acknowledged empty within the ack
// budget and completed through response_url.
func TestSlowStoreFollowsUp(t *testing.T) {
	gate := make(chan struct{})
	h := newHarness(t, withSlowStore(10*time.Second, gate))
	code, body := h.command("T1", "U1", "/materials", "")
	if code != 200 || len(bytes.TrimSpace(body)) != 0 {
		t.Fatalf("ack: %d %q, want an empty 200", code, body)
	}
	// The acknowledgement arrived while the store was still busy: the reply cannot be there yet.
	if rs := h.fake.Responses(); len(rs) != 0 {
		t.Fatalf("the reply was posted before the acknowledgement: %v", rs)
	}
	close(gate)
	h.settle()
	rs := h.fake.Responses()
	if len(rs) != 1 || headerText(t, rs[0]) != "Shared material" {
		t.Fatalf("response_url posts: %v", rs)
	}
}

func TestEventsURLVerification(t *testing.T) {
	h := newHarness(t)
	code, body := h.do(h.signed("/slack/events", "application/json", `{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`))
	if code != 200 || string(body) != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Errorf("%d %s", code, body)
	}
}

func mentionEvent(eventID, text, botID string) string {
	ev := map[string]any{"type": "app_mention", "user": "U1", "text": text, "ts": "1700000000.000100",
		"channel": "C1", "event_ts": "1700000000.000100"}
	if botID != "" {
		ev["bot_id"] = botID
	}
	b, _ := json.Marshal(map[string]any{"token": "x", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
		"event_id": eventID, "event_time": 1700000000, "event": ev})
	return string(b)
}

func TestMentionAnsweredOnceDespiteRetries(t *testing.T) {
	h := newHarness(t)
	body := mentionEvent("Ev01", "<@UBOT> explain raft", "")
	for retry := range 3 {
		req := h.signed("/slack/events", "application/json", body)
		if retry > 0 {
			req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
			req.Header.Set("X-Slack-Retry-Reason", "http_timeout")
		}
		if code, _ := h.do(req); code != 200 {
			t.Fatalf("delivery %d: status %d", retry, code)
		}
	}
	h.do(h.signed("/slack/events", "application/json", mentionEvent("Ev02", "<@UBOT> how does raft elect a leader", "")))
	h.do(h.signed("/slack/events", "application/json", mentionEvent("Ev03", "<@UBOT> explain raft", "B1"))) // a bot: ignored
	h.settle()

	posts := h.fake.Calls("chat.postMessage")
	if len(posts) != 2 {
		t.Fatalf("%d messages posted, want 2 (one per distinct human event)", len(posts))
	}
	for _, p := range posts {
		if p.Form.Get("channel") != "C1" || p.Form.Get("thread_ts") != "1700000000.000100" {
			t.Errorf("posted to %s thread %s", p.Form.Get("channel"), p.Form.Get("thread_ts"))
		}
		if !strings.Contains(p.Form.Get("blocks"), "Raft consensus algorithm") {
			t.Errorf("the answer is not about Raft: %.200s", p.Form.Get("blocks"))
		}
		if p.Form.Has("link_names") || p.Form.Has("parse") {
			t.Error("chat.postMessage sets link_names or parse")
		}
	}
	if tok := h.fake.Token("chat.postMessage"); tok != "xoxb-single" {
		t.Errorf("posted with %q", tok)
	}
}

func TestHomeTab(t *testing.T) {
	h := newHarness(t)
	h.command("T1", "U1", "/share", "https://raft.github.io raft the visualisation")
	ev, _ := json.Marshal(map[string]any{"token": "x", "team_id": "T1", "type": "event_callback", "event_id": "EvHome",
		"event": map[string]any{"type": "app_home_opened", "user": "U2", "channel": "D1", "tab": "home", "event_ts": "1.2"}})
	if code, _ := h.do(h.signed("/slack/events", "application/json", string(ev))); code != 200 {
		t.Fatal(code)
	}
	h.settle()
	views := h.fake.Calls("views.publish")
	if len(views) != 1 {
		t.Fatalf("%d views published", len(views))
	}
	v := views[0].JSON
	if v["user_id"] != "U2" {
		t.Errorf("published for %v", v["user_id"])
	}
	raw, _ := json.Marshal(v["view"])
	for _, want := range []string{`"type":"home"`, "/explain", "raft.github.io", "Newest shared material"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("home view lacks %s", want)
		}
	}
}

func interaction(value, responseID string) string {
	p, _ := json.Marshal(map[string]any{
		"type": "block_actions", "team": map[string]any{"id": "T1"}, "user": map[string]any{"id": "U1", "name": "ann"},
		"channel": map[string]any{"id": "C1"}, "response_url": responseID,
		"actions": []any{map[string]any{"type": "button", "block_id": "b1", "action_id": "careerbot:0", "value": value, "action_ts": "1.1"}},
	})
	return url.Values{"payload": {string(p)}}.Encode()
}

func TestButtonClicks(t *testing.T) {
	h := newHarness(t)
	code, _ := h.do(h.signed("/slack/interactions", "application/x-www-form-urlencoded", interaction("explain paxos", h.fake.ResponseURL("i1"))))
	if code != 200 {
		t.Fatal(code)
	}
	h.do(h.signed("/slack/interactions", "application/x-www-form-urlencoded", interaction("public:explain raft", h.fake.ResponseURL("i2"))))
	h.settle()
	rs := h.fake.Responses()
	if len(rs) != 3 {
		t.Fatalf("%d response_url posts, want 3: %v", len(rs), rs)
	}
	var sawPaxos, sawPublic, sawDelete bool
	for _, r := range rs {
		switch {
		case headerText(t, r) == "Paxos":
			sawPaxos = r["response_type"] == "ephemeral"
		case headerText(t, r) == "Raft consensus algorithm":
			sawPublic = r["response_type"] == "in_channel"
		case r["delete_original"] == true:
			sawDelete = true
		}
	}
	if !sawPaxos || !sawPublic || !sawDelete {
		t.Errorf("paxos %v, public raft %v, original deleted %v", sawPaxos, sawPublic, sawDelete)
	}
	// Malformed payloads are refused, not fatal.
	for _, body := range []string{"", "payload=%7Bnot-json", "payload="} {
		if code, _ := h.do(h.signed("/slack/interactions", "application/x-www-form-urlencoded", body)); code != 400 {
			t.Errorf("payload %q: %d", body, code)
		}
	}
}

func TestAdminChecks(t *testing.T) {
	h := newHarness(t, withConfig(func(c *Config) { c.Admins = []string{"UALLOWED"} }))
	h.fake.admins["UADMIN"] = true
	for i := range 5 {
		h.command("T1", "U1", "/share", fmt.Sprintf("https://example.org/%d", i))
	}
	// Every route into /materials remove asks whether the user is an admin: the slash command
	// and the umbrella command alike.
	tests := []struct {
		user, command, text, title string
	}{
		{"U2", "/materials", "remove 1", "Not removed"},
		{"U2", "/careerbot", "materials remove 1", "Not removed"},
		{"UADMIN", "/careerbot", "materials remove 1", "Removed #1"},
		{"UADMIN", "/materials", "remove 2", "Removed #2"},
		{"UALLOWED", "/materials", "remove 3", "Removed #3"},
		{"UALLOWED", "/careerbot", "materials rm 4", "Removed #4"},
		{"U1", "/materials", "remove 5", "Removed #5"},
	}
	for _, tt := range tests {
		_, body := h.command("T1", tt.user, tt.command, tt.text)
		var m map[string]any
		_ = json.Unmarshal(body, &m)
		if got := headerText(t, m); got != tt.title {
			t.Errorf("%s runs %s %s: %q, want %q", tt.user, tt.command, tt.text, got, tt.title)
		}
	}
	// users.info is asked once per user (cached), never for the allow-listed one, and never for
	// commands that need no admin.
	h.command("T1", "U2", "/materials", "remove 9")
	h.command("T1", "U9", "/explain", "raft")
	asked := map[string]int{}
	for _, c := range h.fake.Calls("users.info") {
		asked[c.Form.Get("user")]++
	}
	if asked["U2"] != 1 || asked["UALLOWED"] != 0 || asked["U9"] != 0 {
		t.Errorf("users.info calls %v", asked)
	}
}

func TestOAuthInstall(t *testing.T) {
	h := newHarness(t, withConfig(func(c *Config) {
		c.BotToken, c.ClientID, c.ClientSecret, c.SecretKey = "", "123.456", "client-secret", "a long random secret key"
	}))
	h.fake.oauth = map[string]any{"ok": true, "access_token": "xoxb-installed-token", "token_type": "bot",
		"bot_user_id": "UBOT", "team": map[string]any{"id": "T9", "name": "Acme"}}

	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirect.Get(h.srv.URL + "/slack/install")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	state := loc.Query().Get("state")
	if resp.StatusCode != 302 || loc.Host != "slack.com" || state == "" || !strings.Contains(loc.Query().Get("scope"), "commands") {
		t.Fatalf("install redirect: %d %s", resp.StatusCode, loc)
	}

	callback := func(code, state string) (int, string) {
		resp, err := http.Get(h.srv.URL + "/slack/oauth/callback?" + url.Values{"code": {code}, "state": {state}}.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, page := callback("good-code", state+"x"); code != 400 {
		t.Errorf("tampered state: %d %s", code, page)
	}
	if code, page := callback("good-code", state); code != 200 || !strings.Contains(page, "installed") {
		t.Fatalf("callback: %d %s", code, page)
	}
	if code, _ := callback("good-code", state); code != 400 {
		t.Errorf("a used state was accepted again: %d", code)
	}

	raw, err := h.kv.Get(context.Background(), installKey("slack:T9"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "xoxb-installed-token") {
		t.Error("the bot token is stored in clear")
	}
	// The installed workspace is served with its own token.
	h.do(h.signed("/slack/events", "application/json", strings.Replace(mentionEvent("EvT9", "<@UBOT> raft", ""), `"team_id":"T1"`, `"team_id":"T9"`, 1)))
	h.settle()
	if tok := h.fake.Token("chat.postMessage"); tok != "xoxb-installed-token" {
		t.Errorf("answered T9 with %q", tok)
	}
	// A team that never installed gets nothing, and the log says why.
	h.do(h.signed("/slack/events", "application/json", strings.Replace(mentionEvent("EvT8", "<@UBOT> raft", ""), `"team_id":"T1"`, `"team_id":"T8"`, 1)))
	h.settle()
	if n := len(h.fake.Calls("chat.postMessage")); n != 1 {
		t.Errorf("%d posts, want 1", n)
	}
	if strings.Contains(h.logs.String(), "xoxb-installed-token") {
		t.Error("the log contains the token")
	}
}

func TestStateExpires(t *testing.T) {
	k := deriveKeys("secret")
	st, err := k.newState(time.Unix(1000, 0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.checkState(st, time.Unix(1000, 0).Add(stateTTL-time.Second)); err != nil {
		t.Errorf("fresh state refused: %v", err)
	}
	if _, err := k.checkState(st, time.Unix(1000, 0).Add(stateTTL+time.Second)); err == nil {
		t.Error("expired state accepted")
	}
	if _, err := deriveKeys("other secret").checkState(st, time.Unix(1000, 0)); err == nil {
		t.Error("state signed with another key accepted")
	}
	sealed, _ := k.seal("xoxb-1", "T1")
	if _, err := k.open(sealed, "T2"); err == nil {
		t.Error("a token sealed for T1 opened for T2")
	}
}

// TestStaleButtons: a button careerbot can no longer run (a removed command, a mangled value,
// another app's action) is answered privately with what to type instead.
func TestStaleButtons(t *testing.T) {
	h := newHarness(t)
	for i, value := range []string{"jobs subscribe kafka", "", "\x00", "public:"} {
		code, _ := h.do(h.signed("/slack/interactions", "application/x-www-form-urlencoded", interaction(value, h.fake.ResponseURL(fmt.Sprint("s", i)))))
		if code != 200 {
			t.Fatalf("%q: HTTP %d", value, code)
		}
	}
	foreign := strings.Replace(interaction("explain raft", h.fake.ResponseURL("s9")), "careerbot%3A0", "other-app%3A1", 1)
	h.do(h.signed("/slack/interactions", "application/x-www-form-urlencoded", foreign))
	h.settle()
	rs := h.fake.Responses()
	if len(rs) != 5 {
		t.Fatalf("%d response_url posts, want 5", len(rs))
	}
	for _, r := range rs {
		if headerText(t, r) != "This button no longer works" || r["response_type"] != "ephemeral" {
			t.Errorf("answered %q (%v)", headerText(t, r), r["response_type"])
		}
	}
}
