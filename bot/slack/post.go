package slack

import (
	"context"
	"fmt"
	"time"

	"github.com/careerbot/careerbot/bot"
	goslack "github.com/slack-go/slack"
)

// deliveryEventType is the event_type of the metadata careerbot attaches to what it posts on its
// own; the payload's deliveryKey is the Post's Key. Find reads them back.
const (
	deliveryEventType = "careerbot_delivery"
	deliveryKey       = "key"
)

// Find's reading of conversations.history (PLATFORMS.md, "Web API and rate limits": 15
// messages a call for apps outside the Marketplace).
const (
	findPageSize = 15
	// findSlack reads a little before the attempt began: Slack's clock and ours differ.
	findSlack = 2 * time.Second
	// findMemory is how long a page cursor of an interrupted Find is kept for the next try.
	findMemory = 30 * time.Minute
	maxFinds   = 1000 // interrupted Finds remembered before expired ones are swept
)

// Post sends p to its channel as careerbot and returns the message's ts. The reply is rendered
// like every other (all text escaped, so nothing in it can mention anyone), links are not
// unfurled, and the message carries p.Key in its metadata for Find. Errors are *APIError.
func (a *Adapter) Post(ctx context.Context, p bot.Post) (string, error) {
	m := a.render.Render(p.Reply, RenderOptions{})
	ts, err := a.post(ctx, p.Workspace, p.Channel, m, goslack.MsgOptionMetadata(goslack.SlackMetadata{
		EventType:    deliveryEventType,
		EventPayload: map[string]any{deliveryKey: p.Key},
	}))
	if err != nil {
		return "", fmt.Errorf("post %s to channel %s: %w", p.Key, p.Channel, err)
	}
	return ts, nil
}

// post sends a rendered message to channel with chat.postMessage as the bot of team, with
// more options (a thread, metadata), and returns its ts. It never sets link_names or parse:
// the text is escaped already and must stay inert.
func (a *Adapter) post(ctx context.Context, team, channel string, m Message, more ...goslack.MsgOption) (string, error) {
	const method = "chat.postMessage"
	api, err := a.api(ctx, team)
	if err != nil {
		e := apiError(method, err)
		e.Unsent = true // no request was made
		return "", e
	}
	opts := append([]goslack.MsgOption{
		goslack.MsgOptionText(m.Text, false),
		goslack.MsgOptionBlocks(m.Blocks...),
		goslack.MsgOptionDisableLinkUnfurl(),
		goslack.MsgOptionDisableMediaUnfurl(),
	}, more...)
	_, ts, err := api.PostMessageContext(ctx, channel, opts...)
	if err != nil {
		return "", apiError(method, err)
	}
	return ts, nil
}

// Find looks for the message an earlier attempt of p, begun at since, may have posted: the
// channel's history from since (less a little) is read for a message whose metadata carries
// p.Key. It returns the message's ts, or "" when there is none. Errors are *APIError; a 429 has
// RetryAfter and the caller waits and calls again.
//
// Slack may allow one conversations.history call a minute, so a channel busy since the attempt
// can take several calls of Find: when Slack refuses a later page, the page's cursor is kept
// and the next call for the same p and since goes on from it.
func (a *Adapter) Find(ctx context.Context, p bot.Post, since time.Time) (string, error) {
	const method = "conversations.history"
	api, err := a.api(ctx, p.Workspace)
	if err != nil {
		return "", fmt.Errorf("find %s in channel %s: %w", p.Key, p.Channel, apiError(method, err))
	}
	oldest := slackTS(since.Add(-findSlack))
	resume := p.Workspace + "/" + p.Channel + "/" + p.Key + "/" + oldest
	params := goslack.GetConversationHistoryParameters{ChannelID: p.Channel, Oldest: oldest, Limit: findPageSize,
		IncludeAllMetadata: true, Cursor: a.findCursor(resume)}
	for {
		h, err := api.GetConversationHistoryContext(ctx, &params)
		if err != nil {
			a.keepFindCursor(resume, params.Cursor)
			return "", fmt.Errorf("find %s in channel %s: %w", p.Key, p.Channel, apiError(method, err))
		}
		for _, m := range h.Messages {
			if m.Metadata.EventType == deliveryEventType && m.Metadata.EventPayload[deliveryKey] == p.Key {
				a.keepFindCursor(resume, "")
				return m.Timestamp, nil
			}
		}
		if !h.HasMore || h.ResponseMetaData.NextCursor == "" {
			a.keepFindCursor(resume, "")
			return "", nil
		}
		params.Cursor = h.ResponseMetaData.NextCursor
	}
}

// slackTS writes t as Slack writes message timestamps: seconds and microseconds.
func slackTS(t time.Time) string {
	us := t.UnixMicro()
	return fmt.Sprintf("%d.%06d", us/1e6, us%1e6)
}

type findEntry struct {
	cursor  string
	expires time.Time
}

// findCursor returns the cursor an interrupted Find stopped at, or "" to start afresh.
func (a *Adapter) findCursor(key string) string {
	a.findMu.Lock()
	defer a.findMu.Unlock()
	e, ok := a.finds[key]
	if !ok || !a.now().Before(e.expires) {
		return ""
	}
	return e.cursor
}

// keepFindCursor remembers where a Find stopped; "" forgets it.
func (a *Adapter) keepFindCursor(key, cursor string) {
	a.findMu.Lock()
	defer a.findMu.Unlock()
	if cursor == "" {
		delete(a.finds, key)
		return
	}
	now := a.now()
	if len(a.finds) >= maxFinds {
		for k, e := range a.finds {
			if !now.Before(e.expires) {
				delete(a.finds, k)
			}
		}
	}
	if len(a.finds) < maxFinds {
		a.finds[key] = findEntry{cursor: cursor, expires: now.Add(findMemory)}
	}
}
