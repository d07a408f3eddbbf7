package discord

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/careerbot/careerbot/internal/linkstate"
	"github.com/gorilla/websocket"
)

// Reconnect backoff of the gateway after an attempt to connect fails.
const (
	minReconnect = 500 * time.Millisecond
	maxReconnect = 2 * time.Minute
)

// fatalCloses are the gateway close codes after which Discord refuses the same connection
// however often it is retried, each with what to fix.
var fatalCloses = map[int]string{
	4004: "Discord refused DISCORD_BOT_TOKEN (close code 4004, authentication failed): check it is the token on the Bot page of the application",
	4010: "Discord refused the shard (close code 4010, invalid shard): careerbot connects as a single shard",
	4011: "Discord requires this bot to shard (close code 4011): it is in too many guilds for one gateway connection",
	4012: "Discord refused the gateway API version (close code 4012): check DISCORD_API_URL points at Discord's API",
	4013: "Discord refused the gateway intents (close code 4013, invalid intents)",
	4014: "Discord refused the gateway intents (close code 4014, disallowed intents): enable them for the bot on the Bot page of the application",
}

// RunGateway serves interactions over the gateway until ctx ends. Interactions arriving on it
// are answered through the REST callback endpoint, with the same handlers as HTTP interactions.
//
// discordgo resumes a dropped connection by itself, but retries a refused one forever and keeps
// the reason to its own log; RunGateway reconnects instead, with the same resume, so that a
// close code no retry can change (a wrong DISCORD_BOT_TOKEN, disallowed intents) stops it with
// an error saying what to fix. GatewayReady reports the connection's state meanwhile.
func (a *Adapter) RunGateway(ctx context.Context) error {
	if a.cfg.BotToken == "" {
		return errors.New("discord: the gateway needs DISCORD_BOT_TOKEN")
	}
	defer a.link().Down()
	s, err := newSession(a.cfg.BotToken, a.cfg.APIURL)
	if err != nil {
		return err
	}
	s.Identify.Intents = discordgo.IntentsGuilds // interactions need no privileged intent
	s.ShouldReconnectOnError = false             // this loop reconnects
	removeInteraction := s.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
		a.OnInteractionCreate(ctx, ic)
	})
	defer removeInteraction()
	// discordgo closes the connection, and emits Disconnect, whenever it is lost.
	disconnected := make(chan struct{}, 1)
	removeDisconnect := s.AddHandler(func(_ *discordgo.Session, _ *discordgo.Disconnect) {
		a.link().Down()
		select {
		case disconnected <- struct{}{}:
		default:
		}
	})
	defer removeDisconnect()

	delay := minReconnect
	for {
		select { // a signal left from an earlier connection closing twice
		case <-disconnected:
		default:
		}
		err := open(ctx, s)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil && !errors.Is(err, discordgo.ErrWSAlreadyOpen) {
			a.link().Down()
			if fatal := gatewayRefused(err); fatal != nil {
				return fatal
			}
			a.log.WarnContext(ctx, "discord gateway connection failed; retrying", "err", err, "in", delay.String())
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(delay + rand.N(delay/2)):
			}
			delay = min(2*delay, maxReconnect)
			continue
		}
		a.link().Up()
		delay = minReconnect
		a.log.InfoContext(ctx, "discord gateway connected")
		select {
		case <-ctx.Done():
			if err := s.Close(); err != nil {
				a.log.WarnContext(ctx, "closing the discord gateway", "err", err)
			}
			return nil
		case <-disconnected:
			a.log.WarnContext(ctx, "discord gateway connection lost; reconnecting")
		}
	}
}

// GatewayReady is a readiness probe (web.Check): it fails once the gateway connection has been
// down for longer than Config.DownGrace, the time from start-up to the first connect included.
func (a *Adapter) GatewayReady(ctx context.Context) error { return a.link().Ready(ctx) }

func (a *Adapter) link() *linkstate.Tracker { return a.gateway.Get("discord gateway", a.cfg.DownGrace) }

// open runs s.Open, which takes no context, and stops waiting for it when ctx ends; a
// connection that opens after all is closed.
func open(ctx context.Context, s *discordgo.Session) error {
	errc := make(chan error, 1)
	go func() { errc <- s.Open() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		go func() {
			if <-errc == nil {
				_ = s.Close()
			}
		}()
		return ctx.Err()
	}
}

// gatewayRefused turns an error of connecting that no retry can change into the sentence that
// stops serve, and returns nil for any other.
func gatewayRefused(err error) error {
	if ce, ok := errors.AsType[*websocket.CloseError](err); ok {
		if why, ok := fatalCloses[ce.Code]; ok {
			return errors.New("discord: " + why)
		}
	}
	if re, ok := errors.AsType[*discordgo.RESTError](err); ok && re.Response != nil && re.Response.StatusCode == http.StatusUnauthorized {
		return errors.New("discord: Discord refused DISCORD_BOT_TOKEN (401 Unauthorized): check it is the token on the Bot page of the application")
	}
	return nil
}

// OnInteractionCreate handles an interaction the gateway delivered.
func (a *Adapter) OnInteractionCreate(ctx context.Context, ic *discordgo.InteractionCreate) {
	if ic == nil || ic.Interaction == nil {
		return
	}
	in := ic.Interaction
	a.handle(ctx, in, func(resp *discordgo.InteractionResponse) error {
		return a.rest.InteractionRespond(in, resp, discordgo.WithContext(ctx))
	})
}
