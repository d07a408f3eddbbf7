package slack

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	goslack "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// Reconnect backoff of Socket Mode after the client gives up on a connection.
const (
	minReconnect = 500 * time.Millisecond
	maxReconnect = time.Minute
)

// RunSocketMode serves Slack over Socket Mode until ctx ends: the same handlers as HTTP, over a
// WebSocket that Slack opens from apps.connections.open. Slack refreshes these connections and
// drops them; the client reconnects, and when it gives up this loop starts it again with
// backoff, so the bot never stops answering while the process runs.
func (a *Adapter) RunSocketMode(ctx context.Context) error {
	if a.cfg.AppToken == "" || a.cfg.BotToken == "" {
		return errors.New("slack: Socket Mode needs SLACK_APP_TOKEN and SLACK_BOT_TOKEN")
	}
	api := goslack.New(a.cfg.BotToken, goslack.OptionAppLevelToken(a.cfg.AppToken),
		goslack.OptionAPIURL(a.cfg.APIURL), goslack.OptionHTTPClient(a.http))
	delay := minReconnect
	for ctx.Err() == nil {
		client := socketmode.New(api)
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); a.serveEvents(runCtx, client) }()
		started := time.Now()
		err := client.RunContext(runCtx)
		cancel()
		<-done
		if ctx.Err() != nil {
			return nil
		}
		if time.Since(started) > maxReconnect {
			delay = minReconnect // it ran well for a while: start the backoff over
		}
		a.log.WarnContext(ctx, "socket mode connection ended; reconnecting", "err", err, "in", delay.String())
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(delay + rand.N(delay/2)):
		}
		delay = min(2*delay, maxReconnect)
	}
	return nil
}

// serveEvents handles the requests a Socket Mode client receives until ctx ends.
func (a *Adapter) serveEvents(ctx context.Context, client *socketmode.Client) {
	for {
		select {
		case <-ctx.Done():
			return
		case evt, ok := <-client.Events:
			if !ok {
				return
			}
			a.handleSocketEvent(ctx, client, evt)
		}
	}
}

func (a *Adapter) handleSocketEvent(ctx context.Context, client *socketmode.Client, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeSlashCommand:
		sc, ok := evt.Data.(goslack.SlashCommand)
		if !ok || evt.Request == nil {
			return
		}
		req := *evt.Request
		s := slash{Team: sc.TeamID, Channel: sc.ChannelID, User: sc.UserID, UserName: sc.UserName,
			Command: sc.Command, Text: sc.Text, ResponseURL: sc.ResponseURL}
		// handleSlash waits up to the ack budget, so each command runs on its own goroutine and
		// a slow one never holds up the next.
		a.later.Go(ctx, func(ctx context.Context) {
			a.handleSlash(ctx, s, func(m *Message) {
				if m == nil {
					a.ack(ctx, client, req, nil)
					return
				}
				if err := client.AckCtx(ctx, req.EnvelopeID, m); err != nil {
					// Slack drops acknowledgements of 20 KB or more: acknowledge empty and
					// send the reply through response_url instead.
					a.ack(ctx, client, req, nil)
					a.followUp(ctx, s.ResponseURL, *m)
				}
			})
		})
	case socketmode.EventTypeEventsAPI:
		ev, ok := evt.Data.(slackevents.EventsAPIEvent)
		if !ok || evt.Request == nil {
			return
		}
		a.ack(ctx, client, *evt.Request, nil)
		a.later.Go(ctx, func(ctx context.Context) { a.handleEvent(ctx, ev) })
	case socketmode.EventTypeInteractive:
		cb, ok := evt.Data.(goslack.InteractionCallback)
		if !ok || evt.Request == nil {
			return
		}
		a.ack(ctx, client, *evt.Request, nil)
		a.later.Go(ctx, func(ctx context.Context) { a.handleInteraction(ctx, cb) })
	case socketmode.EventTypeConnected:
		a.log.InfoContext(ctx, "socket mode connected")
	case socketmode.EventTypeConnectionError:
		var err error
		if ce, ok := evt.Data.(*goslack.ConnectionErrorEvent); ok {
			err = ce.ErrorObj
		}
		a.log.WarnContext(ctx, "socket mode connection failed", "err", err)
	case socketmode.EventTypeInvalidAuth:
		a.log.ErrorContext(ctx, "socket mode refused SLACK_APP_TOKEN: check it has connections:write")
	}
}

func (a *Adapter) ack(ctx context.Context, client *socketmode.Client, req socketmode.Request, payload any) {
	if err := client.AckCtx(ctx, req.EnvelopeID, payload); err != nil {
		a.log.WarnContext(ctx, "socket mode ack failed", "err", err)
	}
}
