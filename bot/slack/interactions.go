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
		body, ok := a.readVerified(w, r)
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
// other button answers the clicking user with a new ephemeral message.
func (a *Adapter) handleInteraction(ctx context.Context, cb goslack.InteractionCallback) {
	if cb.Type != goslack.InteractionTypeBlockActions || len(cb.ActionCallback.BlockActions) == 0 {
		return
	}
	value := cb.ActionCallback.BlockActions[0].Value
	line, public := strings.CutPrefix(value, SharePrefix)
	name, text, err := bot.Parse(line)
	if err != nil {
		return
	}
	cmd := bot.Command{Platform: bot.PlatformSlack, Workspace: cb.Team.ID, Channel: cb.Channel.ID,
		User: cb.User.ID, UserName: cb.User.Name, Name: name, Text: text}
	reply := a.dispatch(ctx, cmd)
	if public {
		reply.Visibility = bot.Public
	}
	a.followUp(ctx, cb.ResponseURL, Render(reply, RenderOptions{ShareLine: line}))
	if public {
		// A separate post: Slack applies delete_original to the message the button was on.
		a.followUp(ctx, cb.ResponseURL, Message{DeleteOriginal: true})
	}
}
