package slackfake_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/careerbot/careerbot/bot/slack/slackfake"
	goslack "github.com/slack-go/slack"
)

// clock is a settable time for the fake.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func client(f *slackfake.Server) *goslack.Client {
	return goslack.New("xoxb-test", goslack.OptionAPIURL(f.URL()))
}

func post(t *testing.T, api *goslack.Client, channel, key string) (string, error) {
	t.Helper()
	_, ts, err := api.PostMessageContext(context.Background(), channel, goslack.MsgOptionText("hello "+key, false),
		goslack.MsgOptionMetadata(goslack.SlackMetadata{EventType: "careerbot_delivery", EventPayload: map[string]any{"key": key}}))
	return ts, err
}

func TestPostAndHistory(t *testing.T) {
	f := slackfake.New(t)
	api := client(f)
	var tss []string
	for _, key := range []string{"a", "b", "c", "b"} {
		ts, err := post(t, api, "C1", key)
		if err != nil {
			t.Fatal(err)
		}
		tss = append(tss, ts)
	}
	for i := 1; i < len(tss); i++ {
		if tss[i] <= tss[i-1] {
			t.Errorf("timestamps not increasing: %v", tss)
		}
	}
	if n := f.Count("C1", "b"); n != 2 {
		t.Errorf("Count(b) = %d, want 2", n)
	}
	if ms := f.Messages("C1"); len(ms) != 4 || ms[0].Text != "hello a" || ms[0].MetadataKey != "a" || ms[0].TS != tss[0] {
		t.Errorf("Messages = %+v", ms)
	}

	// Two to a page, newest first; metadata only when asked for.
	params := &goslack.GetConversationHistoryParameters{ChannelID: "C1", Limit: 2, IncludeAllMetadata: true}
	var keys []string
	for page := 0; ; page++ {
		h, err := api.GetConversationHistoryContext(context.Background(), params)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range h.Messages {
			keys = append(keys, m.Metadata.EventPayload["key"].(string))
		}
		if !h.HasMore {
			break
		}
		params.Cursor = h.ResponseMetaData.NextCursor
	}
	if want := []string{"b", "c", "b", "a"}; !slices.Equal(keys, want) {
		t.Errorf("history keys %v, want %v", keys, want)
	}
	h, err := api.GetConversationHistoryContext(context.Background(), &goslack.GetConversationHistoryParameters{ChannelID: "C1", Oldest: tss[1]})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Messages) != 2 || h.Messages[0].Metadata.EventType != "" {
		t.Errorf("after the second message, without metadata: %+v", h.Messages)
	}
}

func TestMisbehaviour(t *testing.T) {
	f := slackfake.New(t)
	c := &clock{now: time.Unix(1700000000, 0)}
	f.SetClock(c.Now)
	api := client(f)

	f.RateLimit(time.Second, 1)
	if _, err := post(t, api, "C1", "a"); err != nil {
		t.Fatal(err)
	}
	_, err := post(t, api, "C1", "b")
	var rl *goslack.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter != time.Second {
		t.Errorf("a second post at once: %v, want a 1s rate limit", err)
	}
	if _, err := post(t, api, "C2", "c"); err != nil {
		t.Errorf("another channel has its own limit: %v", err)
	}
	c.Add(time.Second)
	if _, err := post(t, api, "C1", "b"); err != nil {
		t.Errorf("a second later: %v", err)
	}
	if n := f.RateLimited("chat.postMessage"); n != 1 {
		t.Errorf("RateLimited = %d", n)
	}
	f.RateLimit(0, 0)

	f.ChannelError("C3", "channel_not_found")
	var se goslack.SlackErrorResponse
	if _, err := post(t, api, "C3", "d"); !errors.As(err, &se) || se.Err != "channel_not_found" {
		t.Errorf("ChannelError: %v", err)
	}

	f.FailNext("chat.postMessage", 2, 503)
	for range 2 {
		var sc goslack.StatusCodeError
		if _, err := post(t, api, "C1", "e"); !errors.As(err, &sc) || sc.Code != 503 {
			t.Errorf("FailNext: %v", err)
		}
	}
	if f.Count("C1", "e") != 0 {
		t.Error("a failed call posted")
	}

	f.PostThenFail(1)
	if _, err := post(t, api, "C1", "f"); err == nil || f.Count("C1", "f") != 1 {
		t.Errorf("PostThenFail: err %v, %d posted", err, f.Count("C1", "f"))
	}

	f.HistoryLimit(time.Minute)
	params := &goslack.GetConversationHistoryParameters{ChannelID: "C1"}
	if _, err := api.GetConversationHistoryContext(context.Background(), params); err != nil {
		t.Fatal(err)
	}
	c.Add(20 * time.Second)
	if _, err := api.GetConversationHistoryContext(context.Background(), params); !errors.As(err, &rl) || rl.RetryAfter != 40*time.Second {
		t.Errorf("history 20s later: %v, want retry after 40s", err)
	}
	if f.Calls("conversations.history") != 2 || f.RateLimited("") != 2 {
		t.Errorf("calls %d, rate limited %d", f.Calls("conversations.history"), f.RateLimited(""))
	}
}

func TestChannelsAndScopes(t *testing.T) {
	f := slackfake.New(t)
	api := client(f)
	f.SetChannel("C1", slackfake.Channel{Name: "jobs", Member: false})
	f.SetChannel("C2", slackfake.Channel{Name: "old", Member: true, Archived: true})

	resp, err := api.AuthTestContext(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if resp.TeamID != slackfake.DefaultTeam || resp.Header.Get("X-OAuth-Scopes") == "" {
		t.Errorf("auth.test: %+v", resp)
	}
	var se goslack.SlackErrorResponse
	if _, err := post(t, api, "C1", "a"); !errors.As(err, &se) || se.Err != "not_in_channel" {
		t.Errorf("not a member: %v", err)
	}
	f.SetScopes("chat:write", "chat:write.public")
	if _, err := post(t, api, "C1", "a"); err != nil {
		t.Errorf("with chat:write.public: %v", err)
	}
	if _, err := post(t, api, "C2", "a"); !errors.As(err, &se) || se.Err != "is_archived" {
		t.Errorf("archived: %v", err)
	}
	ch, err := api.GetConversationInfoContext(context.Background(), &goslack.GetConversationInfoInput{ChannelID: "C2"})
	if err != nil || !ch.IsArchived || !ch.IsMember {
		t.Errorf("conversations.info: %+v %v", ch, err)
	}
	f.Revoke("xoxb-test")
	if _, err := api.AuthTestContext(context.Background()); !errors.As(err, &se) || se.Err != "token_revoked" {
		t.Errorf("revoked: %v", err)
	}
}
