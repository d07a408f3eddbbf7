package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/careerbot/careerbot/bot"
	goslack "github.com/slack-go/slack"
)

// Interactions returns the handler of POST /slack/interactions: button clicks. It acknowledges
// at once and answers through the payload's response_url.
func (a *Adapter) Interactions() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := a.in.Read(w, r)
		if !ok {
			return
		}
		form, err := url.ParseQuery(string(body))
		if err != nil || form.Get("payload") == "" {
			http.Error(w, "missing payload", http.StatusBadRequest)
			return
		}
		var cb goslack.InteractionCallback
		if err := json.Unmarshal([]byte(form.Get("payload")), &cb); err != nil {
			http.Error(w, "malformed payload", http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusOK)
		a.later.Go(r.Context(), func(ctx context.Context) { a.handleInteraction(ctx, cb) })
	})
}

// handleInteraction routes a button click back into the core as the command the button names.
// "Share in channel" re-runs the command publicly and removes the ephemeral original; any
// other button answers the clicking user with a new ephemeral message. A button careerbot
// cannot read (an old message, a removed feature) gets an answer saying so.
func (a *Adapter) handleInteraction(ctx context.Context, cb goslack.InteractionCallback) {
	if cb.Type != goslack.InteractionTypeBlockActions || len(cb.ActionCallback.BlockActions) == 0 {
		return
	}
	action := cb.ActionCallback.BlockActions[0]
	value := action.Value
	if !strings.HasPrefix(action.ActionID, ActionIDPrefix) {
		value = "" // not a button careerbot made
	}
	cmd := a.command(cb.Team.ID, cb.Channel.ID, cb.User.ID, cb.User.Name)
	reply := a.router.Press(ctx, cmd, value)
	a.followUp(ctx, cb.ResponseURL, a.render.Render(reply, RenderOptions{}))
	if act, ok := bot.DecodeAction(value); ok && act.Public && reply.Visibility == bot.Public {
		// A separate post: Slack applies delete_original to the message the button was on.
		a.followUp(ctx, cb.ResponseURL, Message{DeleteOriginal: true})
	}
}
