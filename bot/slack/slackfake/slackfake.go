// Package slackfake is a fake of the parts of Slack's Web API careerbot calls, for tests of any
// package: an httptest server that answers auth.test, chat.postMessage, conversations.history,
// conversations.info and users.info like Slack does (the JSON slack-go expects), keeps what was
// posted, and can misbehave on demand: channel errors, per-channel rate limits, the strict
// conversations.history limit, HTTP failures, and posts that happened but whose answer was lost.
//
// It imports only the standard library, so a test anywhere can use it: point the Slack adapter's
// Config.APIURL at URL(), then assert on what was posted (Messages, Count) rather than on how.
//
// Channels the test does not declare (SetChannel) are public channels careerbot is a member of.
// The clock is the real one unless the test sets another (SetClock); message timestamps follow
// it and are unique and increasing.
package slackfake

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Identities the fake answers with.
const (
	DefaultTeam = "T0FAKE" // auth.test's team_id for a token SetTeam did not name
	BotUserID   = "U0BOT"  // auth.test's user_id, the author of every posted message
	BotID       = "B0BOT"  // auth.test's bot_id
)

// DefaultScopes are the scopes auth.test reports in X-OAuth-Scopes until SetScopes changes
// them: careerbot's bot scopes, without chat:write.public.
var DefaultScopes = []string{"commands", "app_mentions:read", "chat:write", "users:read",
	"channels:read", "groups:read", "channels:history", "groups:history"}

// defaultHistoryLimit is conversations.history's page size when the call names none.
const defaultHistoryLimit = 100

// Message is one message posted through chat.postMessage.
type Message struct {
	Channel  string
	TS       string // unique and increasing across the server, "seconds.micros"
	ThreadTS string // the thread it answers, "" for a top-level message
	Text     string
	Blocks   json.RawMessage // the blocks as sent, nil without blocks
	// MetadataType and MetadataKey are the metadata's event_type and its payload's "key";
	// Metadata is the metadata as sent, nil without.
	MetadataType string
	MetadataKey  string
	Metadata     json.RawMessage
	At           time.Time // when the fake received it, by its clock
}

// Channel is what conversations.info says of a channel, and what chat.postMessage makes of it:
// an archived channel answers is_archived, a private one careerbot is not in answers
// channel_not_found, a public one it is not in answers not_in_channel unless the token has
// chat:write.public.
type Channel struct {
	Name     string
	Member   bool // careerbot is in the channel
	Private  bool
	Archived bool
}

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	srv *httptest.Server

	mu           sync.Mutex
	now          func() time.Time
	lastTS       int64 // microseconds since the epoch of the newest message
	scopes       []string
	teams        map[string]string // token -> team
	revoked      map[string]bool   // tokens answering token_revoked
	admins       map[string]bool
	channels     map[string]Channel
	messages     []Message // in the order posted
	channelErr   map[string]string
	ratePer      time.Duration
	rateBurst    int
	buckets      map[string]*bucket // per channel
	historyEvery time.Duration
	lastHistory  map[string]time.Time // per team
	failNext     map[string][]failure
	postThenFail int
	calls        map[string]int
	limited      map[string]int
	answers      map[string]map[string][]int // method -> channel -> HTTP statuses, in order
}

// bucket is a token bucket: tokens left at the time it was last updated.
type bucket struct {
	tokens float64
	at     time.Time
}

type failure struct {
	n      int
	status int
}

// New starts a fake, closed when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	s := &Server{
		now:         time.Now,
		scopes:      slices.Clone(DefaultScopes),
		teams:       map[string]string{},
		revoked:     map[string]bool{},
		admins:      map[string]bool{},
		channels:    map[string]Channel{},
		channelErr:  map[string]string{},
		buckets:     map[string]*bucket{},
		lastHistory: map[string]time.Time{},
		failNext:    map[string][]failure{},
		calls:       map[string]int{},
		limited:     map[string]int{},
		answers:     map[string]map[string][]int{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/{method}", s.serve)
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

// URL is the Web API base, ending in "/", for the adapter's APIURL.
func (s *Server) URL() string { return s.srv.URL + "/api/" }

// Controls.

// SetClock makes the fake read the time from now: message timestamps, rate limits.
func (s *Server) SetClock(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// SetScopes sets the scopes auth.test reports in its X-OAuth-Scopes header.
func (s *Server) SetScopes(scopes ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scopes = slices.Clone(scopes)
}

// SetTeam makes token act in team (auth.test's team_id, the team conversations.history is
// limited per). Other tokens act in DefaultTeam.
func (s *Server) SetTeam(token, team string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.teams[token] = team
}

// Revoke makes every call with token answer token_revoked.
func (s *Server) Revoke(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.revoked[token] = true
}

// SetAdmins makes users.info answer is_admin for these users.
func (s *Server) SetAdmins(users ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range users {
		s.admins[u] = true
	}
}

// SetChannel declares a channel; see Channel.
func (s *Server) SetChannel(id string, c Channel) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.channels[id] = c
}

// ChannelError makes every chat.postMessage to channel answer ok:false with code (for example
// channel_not_found); an empty code lifts it.
func (s *Server) ChannelError(channel, code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == "" {
		delete(s.channelErr, channel)
		return
	}
	s.channelErr[channel] = code
}

// RateLimit allows chat.postMessage to each channel once per perChannel, with bursts of up to
// burst posts (at least 1); a faster post answers HTTP 429 with Retry-After in whole seconds, at
// least 1, without posting. Every call that reaches the channel counts, refused or not. A zero
// perChannel lifts the limit.
func (s *Server) RateLimit(perChannel time.Duration, burst int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ratePer, s.rateBurst = perChannel, max(burst, 1)
	clear(s.buckets)
}

// HistoryLimit allows conversations.history once per every for each team; a call sooner
// answers HTTP 429 with Retry-After (whole seconds, at least 1). Slack's strictest reading is one
// call a minute (PLATFORMS.md). A zero every lifts the limit.
func (s *Server) HistoryLimit(every time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.historyEvery = every
	clear(s.lastHistory)
}

// FailNext makes the next n calls of method answer HTTP status (500, 503, or 429, which comes
// without Retry-After) without doing anything. Calls queue after those already asked for.
func (s *Server) FailNext(method string, n int, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n > 0 {
		s.failNext[method] = append(s.failNext[method], failure{n: n, status: status})
	}
}

// PostThenFail makes the next n chat.postMessage calls that would succeed post their message
// and then answer HTTP 500: the post happened, its answer was lost.
func (s *Server) PostThenFail(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.postThenFail += n
}

// Queries.

// Messages returns the messages posted to channel, oldest first.
func (s *Server) Messages(channel string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Message
	for _, m := range s.messages {
		if m.Channel == channel {
			out = append(out, m)
		}
	}
	return out
}

// All returns every message posted, oldest first.
func (s *Server) All() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.messages)
}

// Count says how many messages in channel carry the metadata key.
func (s *Server) Count(channel, key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, m := range s.messages {
		if m.Channel == channel && m.MetadataKey == key {
			n++
		}
	}
	return n
}

// Calls says how many calls of method the fake received, whatever it answered.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// RateLimited says how many calls of method were answered HTTP 429; of all methods when method
// is "".
func (s *Server) RateLimited(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if method != "" {
		return s.limited[method]
	}
	n := 0
	for _, c := range s.limited {
		n += c
	}
	return n
}

// Serving.

// request is one Web API call, read from a form, a JSON body or the query.
type request struct {
	method string
	token  string
	args   map[string]string
	raw    map[string]json.RawMessage // the JSON body's values, for blocks and metadata
}

func (r request) get(name string) string { return r.args[name] }

// flag reads a boolean argument as Slack does: "1" and "true" are true.
func (r request) flag(name string) bool {
	v := r.args[name]
	return v == "1" || v == "true"
}

func readRequest(r *http.Request) (request, error) {
	req := request{method: r.PathValue("method"), args: map[string]string{}}
	for k, v := range r.URL.Query() {
		req.args[k] = v[0]
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return req, err
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(body, &req.raw); err != nil {
			return req, err
		}
		for k, v := range req.raw {
			var s string
			if json.Unmarshal(v, &s) == nil {
				req.args[k] = s
			} else {
				req.args[k] = string(v)
			}
		}
	} else {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return req, err
		}
		for k, v := range form {
			req.args[k] = v[0]
		}
	}
	req.token = req.args["token"]
	if auth, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		req.token = auth
	}
	return req, nil
}

// answer is what a handler decided: an HTTP status with headers, or a JSON body.
type answer struct {
	status     int
	retryAfter int // seconds, with status 429
	body       map[string]any
	header     map[string]string
}

func ok(fields map[string]any) answer {
	body := map[string]any{"ok": true}
	for k, v := range fields {
		body[k] = v
	}
	return answer{status: http.StatusOK, body: body}
}

func fail(code string) answer {
	return answer{status: http.StatusOK, body: map[string]any{"ok": false, "error": code}}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	req, err := readRequest(r)
	if err != nil {
		http.Error(w, "malformed request: "+err.Error(), http.StatusBadRequest)
		return
	}
	a := s.handle(req)
	for k, v := range a.header {
		w.Header().Set(k, v)
	}
	if a.status == http.StatusTooManyRequests && a.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(a.retryAfter))
	}
	if a.body == nil {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(a.status)
		_, _ = fmt.Fprintf(w, "<html><body>%d %s</body></html>", a.status, http.StatusText(a.status))
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(a.status)
	_ = json.NewEncoder(w).Encode(a.body)
}

// handle answers one call, under the lock: the fake's state changes one call at a time.
func (s *Server) handle(req request) answer {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[req.method]++
	a := s.dispatch(req)
	if a.status == http.StatusTooManyRequests {
		s.limited[req.method]++
	}
	if ch := req.get("channel"); ch != "" {
		if s.answers[req.method] == nil {
			s.answers[req.method] = map[string][]int{}
		}
		status := a.status
		if status == 0 {
			status = http.StatusOK
		}
		s.answers[req.method][ch] = append(s.answers[req.method][ch], status)
	}
	return a
}

// Answers returns the HTTP statuses of the calls of method, per channel, in order: how a test
// sees whether two 429s followed each other.
func (s *Server) Answers(method string) map[string][]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]int{}
	for ch, seq := range s.answers[method] {
		out[ch] = slices.Clone(seq)
	}
	return out
}

func (s *Server) dispatch(req request) answer {
	if q := s.failNext[req.method]; len(q) > 0 {
		status := q[0].status
		if q[0].n--; q[0].n == 0 {
			s.failNext[req.method] = q[1:]
		}
		return answer{status: status}
	}
	if req.token == "" {
		return fail("not_authed")
	}
	if s.revoked[req.token] {
		return fail("token_revoked")
	}
	switch req.method {
	case "auth.test":
		return s.authTest(req)
	case "chat.postMessage":
		return s.postMessage(req)
	case "conversations.history":
		return s.history(req)
	case "conversations.info":
		return s.info(req)
	case "users.info":
		return ok(map[string]any{"user": map[string]any{"id": req.get("user"), "is_admin": s.admins[req.get("user")]}})
	}
	return fail("unknown_method")
}

func (s *Server) team(token string) string {
	if t, ok := s.teams[token]; ok {
		return t
	}
	return DefaultTeam
}

func (s *Server) authTest(req request) answer {
	a := ok(map[string]any{"url": "https://fake.slack.com/", "team": "fake", "user": "careerbot",
		"team_id": s.team(req.token), "user_id": BotUserID, "bot_id": BotID})
	a.header = map[string]string{"X-OAuth-Scopes": strings.Join(s.scopes, ",")}
	return a
}

// channel is the declared state of id, or a public channel careerbot is in.
func (s *Server) channel(id string) Channel {
	if c, ok := s.channels[id]; ok {
		return c
	}
	return Channel{Name: strings.ToLower(id), Member: true}
}

func (s *Server) postMessage(req request) answer {
	id := req.get("channel")
	if id == "" {
		return fail("channel_not_found")
	}
	if wait, limited := s.takePost(id); limited {
		return answer{status: http.StatusTooManyRequests, retryAfter: wait}
	}
	if code := s.channelErr[id]; code != "" {
		return fail(code)
	}
	c := s.channel(id)
	switch {
	case c.Archived:
		return fail("is_archived")
	case !c.Member && c.Private:
		return fail("channel_not_found")
	case !c.Member && !slices.Contains(s.scopes, "chat:write.public"):
		return fail("not_in_channel")
	}
	if req.get("text") == "" && req.get("blocks") == "" {
		return fail("no_text")
	}
	m := Message{Channel: id, ThreadTS: req.get("thread_ts"), Text: req.get("text"), At: s.now()}
	if b := req.get("blocks"); b != "" {
		if !json.Valid([]byte(b)) {
			return fail("invalid_blocks")
		}
		m.Blocks = json.RawMessage(b)
	}
	if md := req.get("metadata"); md != "" {
		var meta struct {
			EventType    string         `json:"event_type"`
			EventPayload map[string]any `json:"event_payload"`
		}
		if err := json.Unmarshal([]byte(md), &meta); err != nil || meta.EventType == "" {
			return fail("invalid_metadata_format")
		}
		m.Metadata = json.RawMessage(md)
		m.MetadataType = meta.EventType
		m.MetadataKey, _ = meta.EventPayload["key"].(string)
	}
	m.TS = s.nextTS(m.At)
	s.messages = append(s.messages, m)
	if s.postThenFail > 0 {
		s.postThenFail--
		return answer{status: http.StatusInternalServerError}
	}
	return ok(map[string]any{"channel": id, "ts": m.TS, "message": s.wire(m, true)})
}

// takePost spends one of channel's post tokens, or says how many seconds until there is one.
func (s *Server) takePost(channel string) (wait int, limited bool) {
	if s.ratePer <= 0 {
		return 0, false
	}
	now := s.now()
	b, ok := s.buckets[channel]
	if !ok {
		b = &bucket{tokens: float64(s.rateBurst), at: now}
		s.buckets[channel] = b
	}
	b.tokens = min(float64(s.rateBurst), b.tokens+float64(now.Sub(b.at))/float64(s.ratePer))
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return 0, false
	}
	return seconds(time.Duration((1 - b.tokens) * float64(s.ratePer))), true
}

// seconds is d rounded up to whole seconds, at least 1, as Retry-After carries it.
func seconds(d time.Duration) int { return max(1, int(math.Ceil(d.Seconds()))) }

// nextTS is a message timestamp for at, after every earlier one.
func (s *Server) nextTS(at time.Time) string {
	us := max(at.UnixMicro(), s.lastTS+1)
	s.lastTS = us
	return fmt.Sprintf("%d.%06d", us/1e6, us%1e6)
}

// wire is a message as Slack's API shows it; metadata only when asked for.
func (s *Server) wire(m Message, metadata bool) map[string]any {
	out := map[string]any{"type": "message", "user": BotUserID, "bot_id": BotID, "text": m.Text, "ts": m.TS}
	if m.ThreadTS != "" {
		out["thread_ts"] = m.ThreadTS
	}
	if m.Blocks != nil {
		out["blocks"] = m.Blocks
	}
	if metadata && m.Metadata != nil {
		out["metadata"] = m.Metadata
	}
	return out
}

// parseTS reads a Slack timestamp as microseconds; "" is ok with def.
func parseTS(ts string, def int64) (int64, bool) {
	if ts == "" {
		return def, true
	}
	sec, frac, _ := strings.Cut(ts, ".")
	n, err := strconv.ParseInt(sec, 10, 64)
	if err != nil {
		return 0, false
	}
	us := n * 1e6
	if frac != "" {
		frac = (frac + "000000")[:6]
		f, err := strconv.ParseInt(frac, 10, 64)
		if err != nil {
			return 0, false
		}
		us += f
	}
	return us, true
}

func (s *Server) history(req request) answer {
	team := s.team(req.token)
	if s.historyEvery > 0 {
		now := s.now()
		if last, ok := s.lastHistory[team]; ok && now.Sub(last) < s.historyEvery {
			return answer{status: http.StatusTooManyRequests, retryAfter: seconds(s.historyEvery - now.Sub(last))}
		}
		s.lastHistory[team] = now
	}
	id := req.get("channel")
	if id == "" {
		return fail("channel_not_found")
	}
	if c := s.channel(id); !c.Member && c.Private {
		return fail("channel_not_found")
	}
	oldest, ok1 := parseTS(req.get("oldest"), 0)
	latest, ok2 := parseTS(req.get("latest"), math.MaxInt64)
	if !ok1 || !ok2 {
		return fail("invalid_ts_oldest")
	}
	limit := defaultHistoryLimit
	if l := req.get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return fail("invalid_limit")
		}
		limit = n
	}
	inclusive := req.flag("inclusive")
	latestIncl := inclusive
	if c := req.get("cursor"); c != "" {
		raw, err := base64.StdEncoding.DecodeString(c)
		before, found := strings.CutPrefix(string(raw), "before:")
		us, okTS := parseTS(before, 0)
		if err != nil || !found || !okTS {
			return fail("invalid_cursor")
		}
		latest, latestIncl = us, false
	}
	// Newest first, top-level messages and thread replies also sent to the channel only.
	var page []map[string]any
	var last string
	more := false
	for i := len(s.messages) - 1; i >= 0; i-- {
		m := s.messages[i]
		if m.Channel != id || (m.ThreadTS != "" && m.ThreadTS != m.TS) {
			continue
		}
		us, _ := parseTS(m.TS, 0)
		if us > latest || us < oldest || (!latestIncl && us == latest) || (!inclusive && us == oldest) {
			continue
		}
		if len(page) == limit {
			more = true
			break
		}
		page = append(page, s.wire(m, req.flag("include_all_metadata")))
		last = m.TS
	}
	a := ok(map[string]any{"messages": page, "has_more": more, "pin_count": 0})
	if more {
		a.body["response_metadata"] = map[string]any{"next_cursor": base64.StdEncoding.EncodeToString([]byte("before:" + last))}
	}
	if page == nil {
		a.body["messages"] = []any{}
	}
	return a
}

func (s *Server) info(req request) answer {
	id := req.get("channel")
	c := s.channel(id)
	if id == "" || (!c.Member && c.Private) {
		return fail("channel_not_found")
	}
	return ok(map[string]any{"channel": map[string]any{"id": id, "name": c.Name, "is_channel": !c.Private,
		"is_group": c.Private, "is_private": c.Private, "is_member": c.Member, "is_archived": c.Archived}})
}
