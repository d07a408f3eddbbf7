package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"time"

	"github.com/careerbot/careerbot/bot"
	goslack "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// eventMemory is how long a processed event id is remembered; Slack retries within minutes.
const eventMemory = time.Hour

// Events returns the handler of POST /slack/events: the url_verification handshake, then
// event callbacks, acknowledged at once and handled after.
func (a *Adapter) Events() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := a.in.Read(w, r)
		if !ok {
			return
		}
		ev, err := slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
		if err != nil {
			http.Error(w, "malformed event", http.StatusBadRequest)
			return
		}
		if ev.Type == slackevents.URLVerification {
			var ch slackevents.ChallengeResponse
			if err := json.Unmarshal(body, &ch); err != nil {
				http.Error(w, "malformed challenge", http.StatusBadRequest)
				return
			}
			w.Header().Set("Content-Type", "text/plain")
			_, _ = w.Write([]byte(ch.Challenge))
			return
		}
		w.WriteHeader(http.StatusOK)
		a.later.Go(r.Context(), func(ctx context.Context) { a.handleEvent(ctx, ev) })
	})
}

var eventIDPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// firstDelivery records an event id in the shared store and reports whether this is its first
// delivery: Slack retries an event it thinks was not acknowledged, and another replica may have
// handled it. When the store cannot say, the event is handled (a rare duplicate beats a loss).
func (a *Adapter) firstDelivery(ctx context.Context, team, eventID string) bool {
	ws, err := bot.WorkspaceKey(bot.PlatformSlack, team)
	if err != nil || !eventIDPattern.MatchString(eventID) {
		return false
	}
	first, err := a.kv.SetNX(ctx, "careerbot:{"+ws+"}:slack:event:"+eventID, nil, eventMemory)
	if err != nil {
		a.log.WarnContext(ctx, "event de-duplication unavailable", "workspace", team, "err", err)
		return true
	}
	return first
}

// handleEvent handles one Events API callback, over HTTP or Socket Mode.
func (a *Adapter) handleEvent(ctx context.Context, ev slackevents.EventsAPIEvent) {
	if ev.Type != slackevents.CallbackEvent {
		return
	}
	cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if !ok || !a.firstDelivery(ctx, ev.TeamID, cb.EventID) {
		return
	}
	switch e := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		a.handleMention(ctx, ev.TeamID, e)
	case *slackevents.AppHomeOpenedEvent:
		if e.Tab == "home" {
			a.publishHome(ctx, ev.TeamID, e.User)
		}
	}
}

// mention matches the bot's own mention at the start of a message: "<@U123ABC> explain raft".
var mention = regexp.MustCompile(`^\s*<@[A-Z0-9]+(\|[^>]*)?>[\s,:]*`)

// handleMention answers "@careerbot explain raft" like the slash command, in a thread under the
// mention, for everyone in the channel (a mention is public by nature).
func (a *Adapter) handleMention(ctx context.Context, team string, e *slackevents.AppMentionEvent) {
	if e.BotID != "" {
		return // bots, this one included, do not command each other
	}
	cmd := a.router.Said(a.command(team, e.Channel, e.User, ""), mention.ReplaceAllString(e.Text, ""))
	cmd.Public = true
	m := a.render.Render(a.router.Dispatch(ctx, cmd), RenderOptions{})
	thread := e.ThreadTimeStamp
	if thread == "" {
		thread = e.TimeStamp
	}
	if _, err := a.post(ctx, team, e.Channel, m, goslack.MsgOptionTS(thread)); err != nil {
		a.log.WarnContext(ctx, "answer a mention", "workspace", team, "channel", e.Channel, "err", err)
	}
}

// publishHome shows a user the Home tab: what careerbot does and the workspace's newest shared
// material.
func (a *Adapter) publishHome(ctx context.Context, team, user string) {
	// The replies share the Home tab's 100 blocks: half for the first (what careerbot does),
	// the rest for the others, with a divider before each.
	replies := a.router.Home(ctx, a.command(team, "", user, ""))
	blocks := a.render.Render(replies[0], RenderOptions{MaxBlocks: MaxHomeBlocks / 2}).Blocks
	for i, r := range replies[1:] {
		room := (MaxHomeBlocks/2)/(len(replies)-1) - 1
		if i == len(replies)-2 {
			room = MaxHomeBlocks - len(blocks) - 1
		}
		blocks = append(blocks, goslack.NewDividerBlock())
		blocks = append(blocks, a.render.Render(r, RenderOptions{MaxBlocks: room}).Blocks...)
	}
	api, err := a.api(ctx, team)
	if err != nil {
		a.log.WarnContext(ctx, "no token to publish the Home tab", "workspace", team, "err", err)
		return
	}
	view := goslack.HomeTabViewRequest{Type: goslack.VTHomeTab, Blocks: goslack.Blocks{BlockSet: blocks}}
	if _, err := api.PublishViewContext(ctx, goslack.PublishViewContextRequest{UserID: user, View: view}); err != nil {
		a.log.WarnContext(ctx, "views.publish failed", "workspace", team, "err", err)
	}
}
