package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/webhook"
)

// slash is a slash command as Slack sends it, over HTTP or Socket Mode.
type slash struct {
	Team, Channel, User, UserName string
	Command, Text, ResponseURL    string
}

// Commands returns the handler of POST /slack/commands.
func (a *Adapter) Commands() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := a.in.Read(w, r)
		if !ok {
			return
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			http.Error(w, "malformed form body", http.StatusBadRequest)
			return
		}
		s := slash{
			Team: form.Get("team_id"), Channel: form.Get("channel_id"), User: form.Get("user_id"),
			UserName: form.Get("user_name"), Command: form.Get("command"), Text: form.Get("text"),
			ResponseURL: form.Get("response_url"),
		}
		a.handleSlash(r.Context(), s, func(m *Message) {
			if m == nil {
				webhook.Acknowledge(w) // an empty 200 acknowledges without a visible reply
				return
			}
			data, err := a.render.Encode(*m)
			webhook.WriteEncoded(w, data, err)
		})
	})
}

// handleSlash answers a slash command. ack is called exactly once, within the ack budget: with
// the reply when it is ready in time, or with nil, in which case the reply follows through
// response_url.
func (a *Adapter) handleSlash(ctx context.Context, s slash, ack func(*Message)) {
	name, text, err := bot.Parse(s.Command + " " + s.Text)
	if err != nil {
		ack(ptr(a.render.Render(bot.Reply{Title: bot.Name, Text: err.Error(), NotFound: true}, RenderOptions{})))
		return
	}
	cmd := a.command(s.Team, s.Channel, s.User, s.UserName)
	cmd.Name, cmd.Text = name, text
	bot.Within(ctx, &a.later, a.cfg.AckBudget,
		func(ctx context.Context) Message {
			return a.render.Render(a.router.Dispatch(ctx, cmd), RenderOptions{})
		},
		func(m Message) { ack(&m) },
		func() { ack(nil) },
		func(ctx context.Context, m Message) { a.followUp(ctx, s.ResponseURL, m) })
}

// followUp posts a message to a response_url (valid for 30 minutes, 5 posts).
func (a *Adapter) followUp(ctx context.Context, responseURL string, m Message) {
	if responseURL == "" {
		a.log.WarnContext(ctx, "a reply was late and the request had no response_url")
		return
	}
	body, err := json.Marshal(m)
	if err != nil {
		a.log.ErrorContext(ctx, "encode a follow-up", "err", err)
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, responseURL, bytes.NewReader(body))
	if err != nil {
		a.log.WarnContext(ctx, "bad response_url", "err", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.http.Do(req)
	if err != nil {
		a.log.WarnContext(ctx, "post to response_url failed", "err", err)
		return
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		a.log.WarnContext(ctx, "response_url refused the follow-up", "status", resp.StatusCode)
	}
}

func ptr[T any](v T) *T { return &v }
