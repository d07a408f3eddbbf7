package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/slack/slackfake"
	"github.com/careerbot/careerbot/internal/kv"
	goslack "github.com/slack-go/slack"
	bolt "go.etcd.io/bbolt"
)

// newPoster is an adapter for one workspace against fake, with change applied to its config.
func newPoster(t *testing.T, fake *slackfake.Server, change func(*Config)) *Adapter {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "t.db"), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	cfg := Config{SigningSecret: testSecret, BotToken: "xoxb-test", APIURL: fake.URL()}
	if change != nil {
		change(&cfg)
	}
	log := slog.New(slog.DiscardHandler)
	a, err := New(cfg, bot.NewRouter(log, nil), kv.NewBolt(db), log, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// testClock is a settable clock shared by the fake and the adapter.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *testClock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

func opening(channel, key string) bot.Post {
	return bot.Post{Workspace: "T1", Channel: channel, Key: key,
		Reply: bot.Reply{Title: "Backend engineer at Example", Text: "Go, Postgres, remote in Europe.",
			Links: []bot.Link{{Text: "Apply", URL: "https://example.com/jobs/" + key}}}}
}

func TestPostSendsMetadataAndReturnsTS(t *testing.T) {
	fake := slackfake.New(t)
	a := newPoster(t, fake, nil)
	ts, err := a.Post(context.Background(), opening("C1", "job-42"))
	if err != nil {
		t.Fatal(err)
	}
	got := fake.Messages("C1")
	if len(got) != 1 {
		t.Fatalf("%d messages posted, want 1", len(got))
	}
	m := got[0]
	if ts == "" || ts != m.TS {
		t.Errorf("Post returned %q, the message's ts is %q", ts, m.TS)
	}
	if m.MetadataType != "careerbot_delivery" || m.MetadataKey != "job-42" {
		t.Errorf("metadata %s", m.Metadata)
	}
	if !strings.Contains(m.Text, "Backend engineer") || !strings.Contains(string(m.Blocks), "Postgres") {
		t.Errorf("posted %q %s", m.Text, m.Blocks)
	}
}

func TestPostOptions(t *testing.T) {
	h := newHarness(t) // the recording fake: it keeps every form field
	if _, err := h.adapter.Post(context.Background(), opening("C1", "job-1")); err != nil {
		t.Fatal(err)
	}
	calls := h.fake.Calls("chat.postMessage")
	if len(calls) != 1 {
		t.Fatalf("%d calls", len(calls))
	}
	f := calls[0].Form
	if f.Get("unfurl_links") != "false" || f.Get("unfurl_media") != "false" {
		t.Errorf("unfurl_links=%q unfurl_media=%q, want both false", f.Get("unfurl_links"), f.Get("unfurl_media"))
	}
	if f.Has("link_names") || f.Has("parse") || f.Has("thread_ts") {
		t.Errorf("chat.postMessage sets link_names, parse or a thread: %v", f)
	}
	var md map[string]any
	if err := json.Unmarshal([]byte(f.Get("metadata")), &md); err != nil || md["event_type"] != "careerbot_delivery" {
		t.Errorf("metadata %q", f.Get("metadata"))
	}
}

// behaviours reads an error the way delivery does: by its methods alone.
func behaviours(err error) (permanent, workspaceWide bool, retryAfter time.Duration) {
	var p interface{ Permanent() bool }
	var w interface{ WorkspaceWide() bool }
	var r interface{ RetryAfter() time.Duration }
	if errors.As(err, &p) {
		permanent = p.Permanent()
	}
	if errors.As(err, &w) {
		workspaceWide = w.WorkspaceWide()
	}
	if errors.As(err, &r) {
		retryAfter = r.RetryAfter()
	}
	return
}

func TestPostErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		setup         func(*slackfake.Server)
		config        func(*Config)
		before        int // posts that succeed before the one tested
		permanent     bool
		workspaceWide bool
		retryAfter    time.Duration
	}{
		{name: "channel not found", setup: func(f *slackfake.Server) { f.ChannelError("C1", "channel_not_found") }, permanent: true},
		{name: "not in channel", setup: func(f *slackfake.Server) { f.SetChannel("C1", slackfake.Channel{}) }, permanent: true},
		{name: "archived", setup: func(f *slackfake.Server) { f.SetChannel("C1", slackfake.Channel{Member: true, Archived: true}) }, permanent: true},
		{name: "invalid auth", setup: func(f *slackfake.Server) { f.ChannelError("C1", "invalid_auth") }, permanent: true, workspaceWide: true},
		{name: "token revoked", setup: func(f *slackfake.Server) { f.Revoke("xoxb-test") }, permanent: true, workspaceWide: true},
		{name: "not installed", config: func(c *Config) {
			c.BotToken, c.ClientID, c.ClientSecret, c.SecretKey = "", "client", "client-secret", "secret-key"
		}, permanent: true, workspaceWide: true},
		{name: "429 with Retry-After", setup: func(f *slackfake.Server) { f.RateLimit(3*time.Second, 1) },
			before: 1, retryAfter: 3 * time.Second},
		{name: "429 without Retry-After", setup: func(f *slackfake.Server) { f.FailNext("chat.postMessage", 1, 429) }, retryAfter: 30 * time.Second},
		{name: "500", setup: func(f *slackfake.Server) { f.FailNext("chat.postMessage", 1, 500) }},
		{name: "503", setup: func(f *slackfake.Server) { f.FailNext("chat.postMessage", 1, 503) }},
		{name: "answer lost", setup: func(f *slackfake.Server) { f.PostThenFail(1) }},
		{name: "network", config: func(c *Config) {
			dead := httptest.NewServer(nil)
			dead.Close()
			c.APIURL = dead.URL + "/api/"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := slackfake.New(t)
			a := newPoster(t, fake, tt.config)
			if tt.setup != nil {
				tt.setup(fake)
			}
			for range tt.before {
				if _, err := a.Post(context.Background(), opening("C1", "before")); err != nil {
					t.Fatal(err)
				}
			}
			ts, err := a.Post(context.Background(), opening("C1", "job-7"))
			if err == nil {
				t.Fatalf("posted %s, want an error", ts)
			}
			perm, ws, retry := behaviours(err)
			if perm != tt.permanent || ws != tt.workspaceWide || retry != tt.retryAfter {
				t.Errorf("%v: permanent %v, workspace-wide %v, retry after %v; want %v, %v, %v",
					err, perm, ws, retry, tt.permanent, tt.workspaceWide, tt.retryAfter)
			}
			if strings.Contains(err.Error(), "xoxb-") {
				t.Errorf("the error shows the token: %v", err)
			}
		})
	}
}

func TestFind(t *testing.T) {
	fake := slackfake.New(t)
	clock := &testClock{now: time.Unix(1750000000, 0)}
	fake.SetClock(clock.Now)
	a := newPoster(t, fake, nil)
	a.now = clock.Now
	ctx := context.Background()

	if _, err := a.Post(ctx, opening("C2", "job-0")); err != nil { // the same key elsewhere
		t.Fatal(err)
	}
	since := clock.Now()
	var want string
	// 40 messages after the attempt: the attempt's is the oldest, on the third page of 15.
	for i := range 40 {
		ts, err := a.Post(ctx, opening("C1", fmt.Sprintf("job-%d", i)))
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			want = ts
		}
		clock.Add(10 * time.Millisecond)
	}

	got, err := a.Find(ctx, opening("C1", "job-0"), since)
	if err != nil || got != want {
		t.Errorf("Find = %q, %v; want %q", got, err, want)
	}
	if n := fake.Calls("conversations.history"); n != 3 {
		t.Errorf("%d conversations.history calls, want 3 pages", n)
	}
	if got, err := a.Find(ctx, opening("C1", "job-99"), since); err != nil || got != "" {
		t.Errorf("Find of a post never made = %q, %v", got, err)
	}
	if got, err := a.Find(ctx, opening("C2", "job-1"), since); err != nil || got != "" {
		t.Errorf("Find in a channel without it = %q, %v", got, err)
	}

	// One call a minute: each Find reads one page more, and the third finds it.
	fake.HistoryLimit(time.Minute)
	clock.Add(time.Minute)
	for try := 1; try <= 3; try++ {
		got, err := a.Find(ctx, opening("C1", "job-0"), since)
		if try < 3 {
			if _, _, retry := behaviours(err); retry != time.Minute || got != "" {
				t.Errorf("try %d: %q, %v; want a 1m RetryAfter", try, got, err)
			}
		} else if err != nil || got != want {
			t.Errorf("try %d: Find = %q, %v; want %q", try, got, err, want)
		}
		clock.Add(time.Minute)
	}
	if n := fake.RateLimited("conversations.history"); n != 2 {
		t.Errorf("%d calls refused, want 2: each Find goes on from the page it was refused", n)
	}
	// Found, the cursor is forgotten: a new Find starts from the newest page again.
	if _, err := a.Find(ctx, opening("C1", "job-0"), since); err == nil {
		t.Error("a Find afresh read three pages within a minute")
	}
}

func TestFindRateLimitedFirstPage(t *testing.T) {
	fake := slackfake.New(t)
	a := newPoster(t, fake, nil)
	fake.FailNext("conversations.history", 1, 429)
	_, err := a.Find(context.Background(), opening("C1", "job-1"), time.Now())
	if perm, _, retry := behaviours(err); perm || retry != 30*time.Second {
		t.Errorf("%v: permanent %v, retry after %v; want a 30s wait", err, perm, retry)
	}
}

func TestPostCheck(t *testing.T) {
	t.Parallel()
	const invite = "Invite @careerbot to this channel first: type /invite @careerbot here."
	tests := []struct {
		name    string
		channel slackfake.Channel
		scopes  []string
		setup   func(*slackfake.Server)
		want    string // "" or the start of the answer
	}{
		{name: "member", channel: slackfake.Channel{Member: true}},
		{name: "public, not a member", channel: slackfake.Channel{}, want: invite},
		{name: "public, not a member, chat:write.public", channel: slackfake.Channel{},
			scopes: []string{"chat:write", "chat:write.public"}},
		{name: "private, not a member", channel: slackfake.Channel{Private: true},
			scopes: []string{"chat:write", "chat:write.public"}, want: invite},
		{name: "archived", channel: slackfake.Channel{Member: true, Archived: true},
			want: "This channel is archived: careerbot cannot post in it."},
		{name: "Slack fails", channel: slackfake.Channel{Member: true},
			setup: func(f *slackfake.Server) { f.FailNext("conversations.info", 1, 500) },
			want:  "careerbot could not check this channel with Slack (http_500): try again in a minute."},
		{name: "auth.test fails", channel: slackfake.Channel{},
			setup: func(f *slackfake.Server) { f.FailNext("auth.test", 1, 503) },
			want:  "careerbot could not check this channel with Slack (http_503)"},
		{name: "token revoked", channel: slackfake.Channel{Member: true},
			setup: func(f *slackfake.Server) { f.Revoke("xoxb-test") },
			want:  "careerbot cannot act in this workspace any more (token_revoked)"},
		{name: "rate limited", channel: slackfake.Channel{Member: true},
			setup: func(f *slackfake.Server) { f.FailNext("conversations.info", 1, 429) },
			want:  "Slack asked careerbot to slow down"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := slackfake.New(t)
			fake.SetChannel("C1", tt.channel)
			if tt.scopes != nil {
				fake.SetScopes(tt.scopes...)
			}
			if tt.setup != nil {
				tt.setup(fake)
			}
			a := newPoster(t, fake, nil)
			check := a.command("T1", "C1", "U1", "").PostCheck
			if check == nil {
				t.Fatal("no PostCheck")
			}
			for range 2 { // the second answer comes from the scope cache
				got := check(context.Background())
				if (tt.want == "") != (got == "") || !strings.HasPrefix(got, tt.want) {
					t.Errorf("PostCheck = %q, want %q", got, tt.want)
				}
				if tt.setup != nil {
					break // a failure answers once
				}
			}
			if n := fake.Calls("auth.test"); n > 1 {
				t.Errorf("auth.test called %d times, want the cached scopes", n)
			}
		})
	}
}

// TestPostedReplyMentionsNoOne: text from an opening that tries to notify everyone, mention a
// user or disguise a link reaches Slack inert (PLATFORMS.md, "mrkdwn and mentions").
func TestPostedReplyMentionsNoOne(t *testing.T) {
	fake := slackfake.New(t)
	a := newPoster(t, fake, nil)
	hostile := "<!channel> <!here> <!everyone> @everyone @here <@U1> <!subteam^S1> <http://evil.example|Apply here>"
	p := opening("C1", "job-666")
	p.Reply = bot.Reply{Title: hostile, Text: hostile + "\n\n- " + hostile,
		Fields:   []bot.Field{{Name: hostile, Value: hostile}},
		Sections: []bot.Section{{Heading: hostile, URL: "https://example.com/jobs/666", Body: "**" + hostile + "**"}},
		Links:    []bot.Link{{Text: hostile, URL: "https://example.com/apply"}},
		Footer:   hostile}
	if _, err := a.Post(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	m := fake.Messages("C1")[0]
	texts := []string{m.Text}
	var blocks []any
	if err := json.Unmarshal(m.Blocks, &blocks); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if v["type"] == "mrkdwn" && v["verbatim"] != true {
				t.Errorf("a mrkdwn text without verbatim: %v", v)
			}
			if s, ok := v["text"].(string); ok {
				texts = append(texts, s)
			}
			for _, e := range v {
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(blocks)
	if len(texts) < 6 {
		t.Fatalf("only %d texts in the message", len(texts))
	}
	for _, s := range texts {
		for _, live := range []string{"<!", "<@", "<http://evil"} {
			if strings.Contains(s, live) {
				t.Errorf("%q is live in %q", live, s)
			}
		}
	}
}

// TestPostAfterKeyChange: an installation saved under another CAREERBOT_SECRET_KEY cannot be
// decrypted; a post to its workspace fails for good, for the whole workspace, and is known not
// to have been made (no request left), so delivery disables rather than retries in doubt.
func TestPostAfterKeyChange(t *testing.T) {
	fake := slackfake.New(t)
	oauth := func(key string) func(*Config) {
		return func(c *Config) {
			c.BotToken, c.ClientID, c.ClientSecret, c.SecretKey = "", "client-id", "client-secret", key
		}
	}
	old := newPoster(t, fake, oauth("the first secret key, long enough"))
	if err := old.saveInstallation(t.Context(), &goslack.OAuthV2Response{AccessToken: "xoxb-team", BotUserID: "B1",
		Team: goslack.OAuthV2ResponseTeam{ID: "T9", Name: "Nine"}}); err != nil {
		t.Fatal(err)
	}
	rotated := newPoster(t, fake, oauth("the second secret key, long enough"))
	rotated.kv = old.kv
	_, err := rotated.Post(t.Context(), bot.Post{Workspace: "T9", Channel: "C1", Key: "k1", Reply: bot.Reply{Text: "hello"}})
	var e *APIError
	if !errors.As(err, &e) || !e.Permanent() || !e.WorkspaceWide() || !e.NotPosted() {
		t.Fatalf("a post with an undecryptable token: %#v", err)
	}
	if fake.Calls("chat.postMessage") != 0 {
		t.Error("a request was made")
	}
}
