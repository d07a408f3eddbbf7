package slack

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"time"

	"github.com/careerbot/careerbot/internal/linkstate"
	goslack "github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
)

// Reconnect backoff of Socket Mode after the client gives up on a connection.
const (
	minReconnect = 500 * time.Millisecond
	maxReconnect = time.Minute
)

// refusals are Slack's answers to a token that no retry will change: it is wrong, revoked, of
// the wrong kind or lacks the scope. slack-go gives up on some of them by itself and retries
// the others forever; careerbot stops on all of them, naming the variable to fix.
var refusals = []string{"invalid_auth", "not_authed", "account_inactive", "token_revoked", "invalid_token",
	"not_allowed_token_type", "missing_scope"}

// RunSocketMode serves Slack over Socket Mode until ctx ends: the same handlers as HTTP, over a
// WebSocket that Slack opens from apps.connections.open. Slack refreshes these connections and
// drops them; the client reconnects, and when it gives up this loop starts it again with
// backoff, so the bot never stops answering while the process runs. It returns an error only
// when no retry can help: Slack refused SLACK_APP_TOKEN or SLACK_BOT_TOKEN. SocketModeReady
// reports the connection's state meanwhile.
func (a *Adapter) RunSocketMode(ctx context.Context) error {
	if a.cfg.AppToken == "" || a.cfg.BotToken == "" {
		return errors.New("slack: Socket Mode needs SLACK_APP_TOKEN and SLACK_BOT_TOKEN")
	}
	defer a.link().Down()
	api := goslack.New(a.cfg.BotToken, goslack.OptionAppLevelToken(a.cfg.AppToken),
		goslack.OptionAPIURL(a.cfg.APIURL), goslack.OptionHTTPClient(a.http))
	if err := a.checkBotToken(ctx, api); err != nil {
		return err
	}
	delay := minReconnect
	for ctx.Err() == nil {
		client := socketmode.New(api)
		runCtx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		var refused error // set by serveEvents before done closes
		go func() { defer close(done); refused = a.serveEvents(runCtx, cancel, client) }()
		started := time.Now()
		err := client.RunContext(runCtx)
		cancel()
		<-done
		a.link().Down()
		if refused == nil {
			refused = appTokenRefused(err)
		}
		if refused != nil {
			return refused
		}
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

// SocketModeReady is a readiness probe (web.Check): it fails once the Socket Mode connection has
// been down for longer than Config.DownGrace, the time from start-up to the first connect
// included.
func (a *Adapter) SocketModeReady(ctx context.Context) error { return a.link().Ready(ctx) }

func (a *Adapter) link() *linkstate.Tracker {
	return a.socket.Get("slack socket mode", a.cfg.DownGrace)
}

// checkBotToken asks auth.test whether Slack accepts SLACK_BOT_TOKEN. Socket Mode connects with
// the app token alone, so a wrong bot token would otherwise show only as replies that fail.
// Only a refusal is fatal; any other failure is left for the replies to meet.
func (a *Adapter) checkBotToken(ctx context.Context, api *goslack.Client) error {
	_, err := api.AuthTestContext(ctx)
	if code, ok := refusal(err); ok {
		return fmt.Errorf("slack: Slack refused SLACK_BOT_TOKEN (%s): check it is the bot token (xoxb-...) of this app's installation", code)
	}
	if err != nil && ctx.Err() == nil {
		a.log.WarnContext(ctx, "could not check SLACK_BOT_TOKEN with auth.test", "err", err)
	}
	return nil
}

// appTokenRefused turns an error of apps.connections.open that no retry can change into the
// sentence that stops serve, and returns nil for any other.
func appTokenRefused(err error) error {
	if code, ok := refusal(err); ok {
		return fmt.Errorf("slack: Slack refused SLACK_APP_TOKEN (%s): check it is an app-level token with connections:write", code)
	}
	// slack-go reads a 404 from apps.connections.open as a refused token, and stops.
	if sc, ok := errors.AsType[goslack.StatusCodeError](err); ok && sc.Code == http.StatusNotFound {
		return errors.New("slack: apps.connections.open answered 404: check SLACK_API_URL and that SLACK_APP_TOKEN is an app-level token")
	}
	return nil
}

// refusal returns Slack's error code when err is a refused token.
func refusal(err error) (string, bool) {
	if resp, ok := errors.AsType[goslack.SlackErrorResponse](err); ok && slices.Contains(refusals, resp.Err) {
		return resp.Err, true
	}
	return "", false
}

// serveEvents handles the requests a Socket Mode client receives until ctx ends, and follows the
// connection's state in the client's own events. A connection error that is a refused token
// stops the client (cancel) and is returned: slack-go would retry some of those forever.
func (a *Adapter) serveEvents(ctx context.Context, cancel context.CancelFunc, client *socketmode.Client) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case evt, ok := <-client.Events:
			if !ok {
				return nil
			}
			a.trackSocket(evt)
			a.handleSocketEvent(ctx, client, evt)
			if ce, ok := evt.Data.(*goslack.ConnectionErrorEvent); ok && evt.Type == socketmode.EventTypeConnectionError {
				if err := appTokenRefused(ce.ErrorObj); err != nil {
					cancel()
					return err
				}
			}
		}
	}
}

// trackSocket records whether the client is connected. slack-go reports a dropped
// connection only by starting the next one, so connecting means down.
func (a *Adapter) trackSocket(evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnected, socketmode.EventTypeHello:
		a.link().Up()
	case socketmode.EventTypeConnecting, socketmode.EventTypeConnectionError, socketmode.EventTypeDisconnect,
		socketmode.EventTypeInvalidAuth:
		a.link().Down()
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
