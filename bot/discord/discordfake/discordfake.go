// Package discordfake is an in-process fake of the part of Discord's REST API careerbot posts
// through: Create Message (POST /channels/{id}/messages), with the nonce deduplication of
// enforce_nonce, per-channel rate limits with Discord's headers and 429 body, and controls to
// make Discord fail the ways it does (a channel gone or forbidden, a 5xx, a message created
// whose answer is lost). Tests of any package can point a discordgo session or careerbot's
// Discord adapter at it: its URL replaces discord.com's scheme and host, and it serves both
// /api/v9/ (discordgo's version) and /api/v10/ paths.
//
// It imports only the standard library, so that it stays a model of Discord and never of
// careerbot. Its behaviour follows PLATFORMS.md ("Messages and components", "REST and rate
// limits").
package discordfake

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Defaults, as Discord behaves for a bot posting to one channel.
const (
	// DefaultWindow is how long a nonce sent with enforce_nonce is remembered per channel
	// ("a few minutes" in Discord's documentation).
	DefaultWindow = 5 * time.Minute
	// DefaultLimit messages per DefaultPer is the channel-messages bucket of a bot.
	DefaultLimit = 5
	DefaultPer   = 5 * time.Second
)

// bucketHash is the X-RateLimit-Bucket of the channel-messages route. Discord shares one hash
// between all channels of a route and limits each channel (the major parameter) separately.
const bucketHash = "a06de2a8b43b7f5a4c9c1fb3c1a3a7d1"

// maxNonce is the longest nonce Discord accepts, in characters.
const maxNonce = 25

// A Message is one message the fake stored.
type Message struct {
	ID              string // snowflake-like: decimal, increasing in the order received
	Channel         string
	Content         string
	Embeds          json.RawMessage // as sent; null when absent
	Components      json.RawMessage // as sent; null when absent
	Nonce           string          // a number nonce is kept as its decimal text
	EnforceNonce    bool
	AllowedMentions json.RawMessage // as sent; null when absent
	At              time.Time       // when the fake received it
}

// Server is the fake. Its methods are safe for concurrent use.
type Server struct {
	srv *httptest.Server

	mu          sync.Mutex
	window      time.Duration
	limit       int
	per         time.Duration
	buckets     map[string]*bucket // by channel
	messages    map[string][]Message
	answers     map[string][]int // statuses answered to each channel's message posts
	all         []Message
	channelErrs map[string]apiError
	failNext    []int // statuses of the next message posts, answered without acting
	createFail  []int // statuses of the next message posts, answered after storing them
	lastID      int64
	requests    int
	rateLimited int
}

// apiError is an error answer: HTTP status and Discord's JSON error code.
type apiError struct{ status, code int }

// bucket is a fixed window of one channel's rate limit.
type bucket struct {
	reset time.Time
	used  int
}

// New starts a fake, closed when the test ends.
func New(t testing.TB) *Server {
	t.Helper()
	s := &Server{
		window:      DefaultWindow,
		limit:       DefaultLimit,
		per:         DefaultPer,
		buckets:     map[string]*bucket{},
		messages:    map[string][]Message{},
		answers:     map[string][]int{},
		channelErrs: map[string]apiError{},
		lastID:      time.Now().UnixMilli() << 22,
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/{version}/channels/{channel}/messages", s.createMessage)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.count()
		writeJSON(w, http.StatusNotFound, errorBody(0, "404: Not Found"))
	})
	s.srv = httptest.NewServer(mux)
	t.Cleanup(s.srv.Close)
	return s
}

// URL is the fake's base URL (scheme and host), to put in place of https://discord.com: as
// careerbot's DISCORD_API_URL, or in a RoundTripper that rewrites discord.com requests.
func (s *Server) URL() string { return s.srv.URL }

// Client is an HTTP client whose requests to discord.com (and discordapp.com) go to the fake,
// for a discordgo session's Client field.
func (s *Server) Client() *http.Client {
	return &http.Client{Transport: rewrite{to: s.srv.URL[len("http://"):], next: http.DefaultTransport}}
}

// rewrite sends discord.com requests to the fake.
type rewrite struct {
	to   string
	next http.RoundTripper
}

func (t rewrite) RoundTrip(r *http.Request) (*http.Response, error) {
	if h := r.URL.Hostname(); h == "discord.com" || h == "discordapp.com" || strings.HasSuffix(h, ".discord.com") {
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host, r.Host = "http", t.to, t.to
	}
	return t.next.RoundTrip(r)
}

// Controls.

// Bucket sets the rate limit of each channel's messages: limit posts per window of per. It
// applies from each channel's next window on.
func (s *Server) Bucket(limit int, per time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limit, s.per = max(limit, 1), max(per, time.Millisecond)
}

// SetWindow sets how long a nonce is remembered for enforce_nonce.
func (s *Server) SetWindow(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.window = d
}

// ChannelError makes every message post to channel answer status with Discord's error code
// (404 with 10003 Unknown Channel, 403 with 50001 Missing Access or 50013 Missing Permissions,
// 401 with 0 for a revoked token); status 0 removes it.
func (s *Server) ChannelError(channel string, status, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if status == 0 {
		delete(s.channelErrs, channel)
		return
	}
	s.channelErrs[channel] = apiError{status: status, code: code}
}

// FailNext makes the next n message posts, to any channel, answer status without storing
// anything. A 429 is answered with Discord's rate-limit body and headers.
func (s *Server) FailNext(n int, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.failNext = append(s.failNext, status)
	}
}

// CreateThenFail makes the next n message posts that would succeed store their message and
// then answer status (a 502, say): Discord created it, the answer was lost.
func (s *Server) CreateThenFail(n int, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.createFail = append(s.createFail, status)
	}
}

// Queries.

// Messages returns the messages stored in channel, oldest first.
func (s *Server) Messages(channel string) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages[channel]...)
}

// Count is the number of messages stored in channel with nonce.
func (s *Server) Count(channel, nonce string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, m := range s.messages[channel] {
		if m.Nonce == nonce {
			n++
		}
	}
	return n
}

// All returns every stored message, in the order received.
func (s *Server) All() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.all...)
}

// Answers returns the HTTP statuses the fake answered to channel's message posts, in order:
// 200 for a message stored or found by its nonce, 429 when rate limited, and so on.
func (s *Server) Answers(channel string) []int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]int(nil), s.answers[channel]...)
}

// RateLimited is the number of 429s the fake answered.
func (s *Server) RateLimited() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rateLimited
}

// Requests is the number of requests the fake received, on any path.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

func (s *Server) count() {
	s.mu.Lock()
	s.requests++
	s.mu.Unlock()
}

// Create Message.

// post is the part of a Create Message body the fake reads.
type post struct {
	Content         string          `json:"content"`
	Embeds          json.RawMessage `json:"embeds"`
	Components      json.RawMessage `json:"components"`
	Nonce           json.RawMessage `json:"nonce"`
	EnforceNonce    bool            `json:"enforce_nonce"`
	AllowedMentions json.RawMessage `json:"allowed_mentions"`
}

func (s *Server) createMessage(w http.ResponseWriter, r *http.Request) {
	body, readErr := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	channel := r.PathValue("channel")

	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now() // under the lock: ids, times and windows agree on the order
	s.requests++
	reply := func(status int, v any) {
		s.answers[channel] = append(s.answers[channel], status)
		writeJSON(w, status, v)
	}
	if v := r.PathValue("version"); v != "v9" && v != "v10" {
		reply(http.StatusNotFound, errorBody(0, "404: Not Found"))
		return
	}
	if r.Header.Get("Authorization") == "" {
		reply(http.StatusUnauthorized, errorBody(0, "401: Unauthorized"))
		return
	}

	b := s.buckets[channel]
	if b == nil || !now.Before(b.reset) {
		b = &bucket{reset: now.Add(s.per)}
		s.buckets[channel] = b
	}
	if b.used >= s.limit {
		reply(http.StatusTooManyRequests, s.tooMany(w, b, now))
		return
	}
	b.used++
	s.rateHeaders(w, b, now)

	if len(s.failNext) > 0 {
		status := s.failNext[0]
		s.failNext = s.failNext[1:]
		if status == http.StatusTooManyRequests {
			reply(http.StatusTooManyRequests, s.tooMany(w, b, now))
			return
		}
		reply(status, errorBody(0, strconv.Itoa(status)+": "+http.StatusText(status)))
		return
	}
	if e, ok := s.channelErrs[channel]; ok {
		reply(e.status, errorBody(e.code, errorMessage(e)))
		return
	}

	p, ok := decodePost(r, body)
	if readErr != nil || !ok {
		reply(http.StatusBadRequest, errorBody(50109, "The request body contains invalid JSON."))
		return
	}
	nonce, ok := nonceText(p.Nonce)
	if !ok {
		reply(http.StatusBadRequest, errorBody(50035, "Invalid Form Body"))
		return
	}
	if p.Content == "" && empty(p.Embeds) && empty(p.Components) {
		reply(http.StatusBadRequest, errorBody(50006, "Cannot send an empty message"))
		return
	}
	if p.EnforceNonce && nonce != "" {
		for _, m := range s.messages[channel] {
			if m.Nonce == nonce && now.Sub(m.At) < s.window {
				reply(http.StatusOK, messageBody(m))
				return
			}
		}
	}

	s.lastID++
	m := Message{ID: strconv.FormatInt(s.lastID, 10), Channel: channel, Content: p.Content,
		Embeds: raw(p.Embeds), Components: raw(p.Components), Nonce: nonce, EnforceNonce: p.EnforceNonce,
		AllowedMentions: raw(p.AllowedMentions), At: now}
	s.messages[channel] = append(s.messages[channel], m)
	s.all = append(s.all, m)

	if len(s.createFail) > 0 {
		status := s.createFail[0]
		s.createFail = s.createFail[1:]
		reply(status, errorBody(0, strconv.Itoa(status)+": "+http.StatusText(status)))
		return
	}
	reply(http.StatusOK, messageBody(m))
}

// decodePost reads a JSON body, or the payload_json part of a multipart one (discordgo sends
// those when a message has files).
func decodePost(r *http.Request, body []byte) (post, bool) {
	var p post
	mediaType, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType == "multipart/form-data" {
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		body = nil
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return p, false
			}
			if part.FormName() == "payload_json" {
				if body, err = io.ReadAll(part); err != nil {
					return p, false
				}
			}
		}
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return p, false
	}
	return p, true
}

// nonceText is a nonce as text: Discord takes a string of at most 25 characters or an integer.
func nonceText(v json.RawMessage) (string, bool) {
	if empty(v) {
		return "", true
	}
	var s string
	if err := json.Unmarshal(v, &s); err == nil {
		return s, len([]rune(s)) <= maxNonce
	}
	var n json.Number
	if err := json.Unmarshal(v, &n); err == nil {
		if _, err := n.Int64(); err == nil {
			return n.String(), true
		}
	}
	return "", false
}

func empty(v json.RawMessage) bool {
	t := strings.TrimSpace(string(v))
	return t == "" || t == "null" || t == "[]"
}

func raw(v json.RawMessage) json.RawMessage {
	if len(v) == 0 {
		return json.RawMessage("null")
	}
	return append(json.RawMessage(nil), v...)
}

// tooMany sets the headers of a 429 as Discord answers it for a route bucket, Retry-After among
// them, and returns its JSON body, with retry_after in seconds.
func (s *Server) tooMany(w http.ResponseWriter, b *bucket, now time.Time) map[string]any {
	s.rateLimited++
	s.rateHeaders(w, b, now)
	w.Header().Set("X-RateLimit-Remaining", "0")
	w.Header().Set("X-RateLimit-Scope", "user")
	after := seconds(b.reset.Sub(now))
	w.Header().Set("Retry-After", strconv.FormatFloat(math.Ceil(after), 'f', 0, 64))
	return map[string]any{"message": "You are being rate limited.", "retry_after": after, "global": false}
}

// rateHeaders are the X-RateLimit headers of every answer of the route.
func (s *Server) rateHeaders(w http.ResponseWriter, b *bucket, now time.Time) {
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(s.limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(s.limit-b.used, 0)))
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(math.Ceil(float64(b.reset.UnixNano())/1e6)/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(seconds(b.reset.Sub(now)), 'f', 3, 64))
	h.Set("X-RateLimit-Bucket", bucketHash)
}

// seconds is d in seconds, rounded up to the millisecond as Discord's headers are: a client
// that waits that long never comes back early.
func seconds(d time.Duration) float64 {
	return math.Ceil(float64(d)/float64(time.Millisecond)) / 1000
}

func errorMessage(e apiError) string {
	switch e.code {
	case 10003:
		return "Unknown Channel"
	case 10004:
		return "Unknown Guild"
	case 50001:
		return "Missing Access"
	case 50013:
		return "Missing Permissions"
	}
	return strconv.Itoa(e.status) + ": " + http.StatusText(e.status)
}

func errorBody(code int, message string) map[string]any {
	return map[string]any{"message": message, "code": code}
}

// messageBody is a message object as Discord returns it, with the fields discordgo's Message
// decodes.
func messageBody(m Message) map[string]any {
	return map[string]any{
		"id": m.ID, "channel_id": m.Channel, "type": 0, "content": m.Content,
		"embeds": orEmpty(m.Embeds), "components": orEmpty(m.Components), "nonce": m.Nonce,
		"timestamp": m.At.UTC().Format(time.RFC3339Nano), "tts": false, "mention_everyone": false,
		"mentions": []any{}, "mention_roles": []any{}, "attachments": []any{}, "pinned": false,
		"author": map[string]any{"id": "1", "username": "fake-bot", "bot": true},
	}
}

func orEmpty(v json.RawMessage) json.RawMessage {
	if empty(v) {
		return json.RawMessage("[]")
	}
	return v
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
