package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/deliver"
	"github.com/careerbot/careerbot/bot/discord/discordfake"
)

// The adapter is what delivery posts through. (Only this test imports bot/deliver: the
// adapter itself knows nothing of delivery.)
var _ deliver.Poster = (*Adapter)(nil)

const testToken = "bot-token-secret"

// newPoster is an adapter whose REST calls go to a fresh discordfake, configured the way
// production points it anywhere: DISCORD_API_URL's scheme and host replace discord.com's.
func newPoster(t *testing.T) (*Adapter, *discordfake.Server) {
	t.Helper()
	fake := discordfake.New(t)
	log := slog.New(slog.DiscardHandler)
	a, err := New(Config{BotToken: testToken, APIURL: fake.URL()}, bot.NewRouter(log, nil), log, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a, fake
}

func opening(channel, key string) bot.Post {
	return bot.Post{Workspace: "G1", Channel: channel, Key: key,
		Reply: bot.Reply{Title: "Backend engineer at Example", Text: "Go, Postgres; remote (EU).",
			Links: []bot.Link{{Text: "Apply", URL: "https://example.org/jobs/1"}}}}
}

// TestPostSendsNonceWithoutMentions: the body carries the key as nonce with enforce_nonce,
// allowed_mentions parse [] (an empty array: null would allow the default mentions) and the
// reply's embed; Post returns the id Discord gave the message.
func TestPostSendsNonceWithoutMentions(t *testing.T) {
	t.Parallel()
	a, fake := newPoster(t)
	id, err := a.Post(context.Background(), opening("C1", "o1-c1"))
	if err != nil {
		t.Fatal(err)
	}
	msgs := fake.Messages("C1")
	if len(msgs) != 1 {
		t.Fatalf("%d messages stored, want 1", len(msgs))
	}
	m := msgs[0]
	if id != m.ID {
		t.Errorf("Post = %q, the message is %q", id, m.ID)
	}
	if m.Nonce != "o1-c1" || !m.EnforceNonce {
		t.Errorf("nonce %q, enforce_nonce %v", m.Nonce, m.EnforceNonce)
	}
	var am map[string]json.RawMessage
	if err := json.Unmarshal(m.AllowedMentions, &am); err != nil || string(am["parse"]) != "[]" || am["users"] != nil || am["roles"] != nil {
		t.Errorf("allowed_mentions %s, want parse [] and nothing allowed", m.AllowedMentions)
	}
	var embeds []discordgo.MessageEmbed
	if err := json.Unmarshal(m.Embeds, &embeds); err != nil || len(embeds) != 1 {
		t.Fatalf("embeds %s: %v", m.Embeds, err)
	}
	if want := MessageSend(opening("C1", "o1-c1").Reply).Embeds[0]; embeds[0].Title != want.Title || embeds[0].Description != want.Description {
		t.Errorf("embed %+v, want MessageSend's %+v", embeds[0], want)
	}
}

// TestPostHostileText: text that would ping everyone or a user is escaped and sent with
// allowed_mentions parse [].
func TestPostHostileText(t *testing.T) {
	t.Parallel()
	a, fake := newPoster(t)
	p := bot.Post{Channel: "C1", Key: "hostile", Reply: bot.Reply{Title: "@everyone hiring",
		Text: "@here <@123> <@&456> apply now", Fields: []bot.Field{{Name: "Team", Value: "@everyone"}}}}
	if _, err := a.Post(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	m := fake.Messages("C1")[0]
	var am struct {
		Parse *[]string `json:"parse"`
	}
	if err := json.Unmarshal(m.AllowedMentions, &am); err != nil || am.Parse == nil || len(*am.Parse) != 0 {
		t.Errorf("allowed_mentions %s: parse must be []", m.AllowedMentions)
	}
	for _, raw := range []string{"@everyone", "@here", "<@123>", "<@&456>"} {
		if strings.Contains(string(m.Embeds), raw) || strings.Contains(m.Content, raw) {
			t.Errorf("%q reached Discord unescaped: %s", raw, m.Embeds)
		}
	}
}

// TestBadGatewayAfterCreateIsNotRetried: Discord created the message and the answer was lost
// (502). discordgo would send it again by itself; Post sends once and says the error is
// transient, and Find then returns the first message without posting a second.
func TestBadGatewayAfterCreateIsNotRetried(t *testing.T) {
	t.Parallel()
	a, fake := newPoster(t)
	fake.CreateThenFail(1, http.StatusBadGateway)
	p := opening("C1", "o7-c1")
	start := time.Now()
	_, err := a.Post(context.Background(), p)
	if err == nil {
		t.Fatal("Post succeeded; the fake answered 502")
	}
	if deliver.IsPermanent(err) || deliver.IsWorkspaceWide(err) || deliver.RetryAfterOf(err) != 0 {
		t.Errorf("a 502 must be transient: %v", err)
	}
	var pe *PostError
	if !errors.As(err, &pe) || pe.Status != http.StatusBadGateway {
		t.Errorf("error %#v, want a PostError with status 502", err)
	}
	if n := fake.Requests(); n != 1 {
		t.Errorf("%d requests, want 1: the 502 was retried", n)
	}
	if n := len(fake.Messages("C1")); n != 1 {
		t.Fatalf("%d messages after the 502, want 1", n)
	}

	id, err := a.Find(context.Background(), p, start)
	if err != nil {
		t.Fatal(err)
	}
	msgs := fake.Messages("C1")
	if len(msgs) != 1 || id != msgs[0].ID {
		t.Errorf("Find = %q; the channel has %d messages (%v)", id, len(msgs), msgs)
	}
}

// TestFind: a delivery that never reached Discord is posted by Find, once; beyond Discord's
// dedupe window Find cannot tell and posts again (why delivery settles in-doubt deliveries
// within a minute or two).
func TestFind(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("never posted", func(t *testing.T) {
		t.Parallel()
		a, fake := newPoster(t)
		id, err := a.Find(ctx, opening("C1", "k1"), time.Now())
		if err != nil || id == "" || fake.Count("C1", "k1") != 1 {
			t.Errorf("Find = %q, %v; %d messages", id, err, fake.Count("C1", "k1"))
		}
		again, err := a.Find(ctx, opening("C1", "k1"), time.Now())
		if err != nil || again != id || fake.Count("C1", "k1") != 1 {
			t.Errorf("second Find = %q, %v (first %q); %d messages", again, err, id, fake.Count("C1", "k1"))
		}
	})
	t.Run("beyond the window", func(t *testing.T) {
		t.Parallel()
		a, fake := newPoster(t)
		fake.SetWindow(0) // Discord has forgotten every nonce
		first, err := a.Post(ctx, opening("C1", "k1"))
		if err != nil {
			t.Fatal(err)
		}
		id, err := a.Find(ctx, opening("C1", "k1"), time.Now().Add(-time.Hour))
		if err != nil || id == first || fake.Count("C1", "k1") != 2 {
			t.Errorf("Find = %q (first %q), %v; %d messages", id, first, err, fake.Count("C1", "k1"))
		}
	})
}

// TestPostErrors: how each answer of Discord's is classified, as delivery reads it.
func TestPostErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name          string
		setup         func(*discordfake.Server)
		status, code  int
		permanent, ws bool
	}{
		{"unknown channel", func(f *discordfake.Server) { f.ChannelError("C1", 404, 10003) }, 404, 10003, true, false},
		{"missing access", func(f *discordfake.Server) { f.ChannelError("C1", 403, 50001) }, 403, 50001, true, false},
		{"missing permissions", func(f *discordfake.Server) { f.ChannelError("C1", 403, 50013) }, 403, 50013, true, false},
		{"unknown guild", func(f *discordfake.Server) { f.ChannelError("C1", 404, 10004) }, 404, 10004, true, true},
		{"token refused", func(f *discordfake.Server) { f.ChannelError("C1", 401, 0) }, 401, 0, true, true},
		{"server error", func(f *discordfake.Server) { f.FailNext(1, 500) }, 500, 0, false, false},
		{"bad gateway", func(f *discordfake.Server) { f.FailNext(1, 502) }, 502, 0, false, false},
		{"unavailable", func(f *discordfake.Server) { f.FailNext(1, 503) }, 503, 0, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			a, fake := newPoster(t)
			c.setup(fake)
			id, err := a.Post(context.Background(), opening("C1", "k1"))
			if err == nil {
				t.Fatalf("Post = %q, want an error", id)
			}
			var pe *PostError
			if !errors.As(err, &pe) || pe.Status != c.status || pe.Code != c.code {
				t.Errorf("error %v (%+v), want status %d code %d", err, pe, c.status, c.code)
			}
			if got := deliver.IsPermanent(err); got != c.permanent {
				t.Errorf("permanent = %v, want %v", got, c.permanent)
			}
			if got := deliver.IsWorkspaceWide(err); got != c.ws {
				t.Errorf("workspace-wide = %v, want %v", got, c.ws)
			}
			if deliver.RetryAfterOf(err) != 0 {
				t.Errorf("retry after %v", deliver.RetryAfterOf(err))
			}
			if s := fmt.Sprintf("%v %+v", err, err); strings.Contains(s, testToken) {
				t.Errorf("the error shows the token: %s", s)
			}
			if n := fake.Requests(); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
			if n := len(fake.All()); n != 0 {
				t.Errorf("%d messages stored", n)
			}
		})
	}
}

// TestPostNoAnswer: a request that gets no answer (the context is done) is transient and keeps
// its cause.
func TestPostNoAnswer(t *testing.T) {
	t.Parallel()
	a, _ := newPoster(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := a.Post(ctx, opening("C1", "k1"))
	if !errors.Is(err, context.Canceled) || deliver.IsPermanent(err) || deliver.IsWorkspaceWide(err) {
		t.Errorf("error %v: want a transient error wrapping context.Canceled", err)
	}
}

// TestPostBadKey: a key Discord would refuse as a nonce is never sent.
func TestPostBadKey(t *testing.T) {
	t.Parallel()
	a, fake := newPoster(t)
	for _, key := range []string{"", strings.Repeat("k", 26)} {
		if _, err := a.Post(context.Background(), opening("C1", key)); err == nil {
			t.Errorf("key %q: posted", key)
		}
	}
	if n := fake.Requests(); n != 0 {
		t.Errorf("%d requests", n)
	}
}

// TestPostRateLimited: discordgo waits out a 429 and sends again (a 429 creates nothing); when
// a 429 does reach Post (discordgo told not to retry), the error carries Discord's wait.
func TestPostRateLimited(t *testing.T) {
	t.Parallel()
	t.Run("retried by discordgo", func(t *testing.T) {
		t.Parallel()
		a, fake := newPoster(t)
		fake.Bucket(5, 200*time.Millisecond)
		fake.FailNext(2, http.StatusTooManyRequests)
		id, err := a.Post(context.Background(), opening("C1", "k1"))
		if err != nil || id == "" {
			t.Fatalf("Post = %q, %v", id, err)
		}
		if got := fake.Answers("C1"); fmt.Sprint(got) != "[429 429 200]" {
			t.Errorf("answers %v, want two 429s then the message", got)
		}
		if fake.Count("C1", "k1") != 1 {
			t.Errorf("%d messages", fake.Count("C1", "k1"))
		}
	})
	t.Run("reaching Post", func(t *testing.T) {
		t.Parallel()
		a, fake := newPoster(t)
		a.rest.ShouldRetryOnRateLimit = false
		fake.Bucket(5, 3*time.Second)
		fake.FailNext(1, http.StatusTooManyRequests)
		_, err := a.Post(context.Background(), opening("C1", "k1"))
		if wait := deliver.RetryAfterOf(err); wait <= 0 || wait > 3*time.Second {
			t.Errorf("error %v: retry after %v, want Discord's retry_after (0 to 3s)", err, wait)
		}
		if deliver.IsPermanent(err) || deliver.IsWorkspaceWide(err) {
			t.Errorf("a 429 is neither permanent nor workspace-wide: %v", err)
		}
	})
}

// TestRetryAfterOfDiscordgoErrors: the wait is read from discordgo's rate-limit error, from a
// 429's body, and from Retry-After.
func TestRetryAfterOfDiscordgoErrors(t *testing.T) {
	t.Parallel()
	limited := &discordgo.RateLimitError{RateLimit: &discordgo.RateLimit{
		TooManyRequests: &discordgo.TooManyRequests{RetryAfter: 1500 * time.Millisecond}}}
	resp := &http.Response{StatusCode: 429, Status: "429 Too Many Requests"}
	rest := &discordgo.RESTError{Response: resp, ResponseBody: []byte(`{"message":"You are being rate limited.","retry_after":0.25,"global":false}`)}
	cases := []struct {
		name string
		err  error
		seen answer
		want time.Duration
	}{
		{"RateLimitError", limited, answer{status: 429}, 1500 * time.Millisecond},
		{"429 body", rest, answer{status: 429}, 250 * time.Millisecond},
		{"Retry-After", &discordgo.RateLimitError{RateLimit: &discordgo.RateLimit{TooManyRequests: &discordgo.TooManyRequests{}}},
			answer{status: 429, header: http.Header{"Retry-After": {"2"}}}, 2 * time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			err := postError("C1", c.err, &c.seen)
			if got := deliver.RetryAfterOf(err); got != c.want {
				t.Errorf("retry after %v, want %v", got, c.want)
			}
		})
	}
}

// TestPostBurstIsPaced: twenty posts at once to one channel whose bucket allows 5 a second all
// arrive, each once. discordgo paces them from the X-RateLimit headers, so a 429 (at most one
// when a clock rounds the wrong way) is never followed by another.
func TestPostBurstIsPaced(t *testing.T) {
	t.Parallel()
	a, fake := newPoster(t)
	fake.Bucket(5, time.Second)
	const n = 20
	ids := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i], errs[i] = a.Post(context.Background(), opening("C1", fmt.Sprintf("o%d-c1", i)))
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i := range n {
		if errs[i] != nil {
			t.Errorf("post %d: %v", i, errs[i])
		}
		if c := fake.Count("C1", fmt.Sprintf("o%d-c1", i)); c != 1 {
			t.Errorf("post %d stored %d times", i, c)
		}
		if seen[ids[i]] {
			t.Errorf("id %q returned twice", ids[i])
		}
		seen[ids[i]] = true
	}
	if got := len(fake.Messages("C1")); got != n {
		t.Errorf("%d messages, want %d", got, n)
	}
	answers := fake.Answers("C1")
	t.Logf("answers: %v", answers)
	for i := 1; i < len(answers); i++ {
		if answers[i] == http.StatusTooManyRequests && answers[i-1] == http.StatusTooManyRequests {
			t.Errorf("two 429s in a row: %v", answers)
			break
		}
	}
}
