// Package discord is careerbot's Discord adapter, built on github.com/bwmarrin/discordgo. It
// turns application commands, autocomplete requests and button clicks into bot commands, and bot
// replies into embeds and components, over two transports that share every handler: the
// gateway (DISCORD_BOT_TOKEN) and HTTP interactions at POST /discord/interactions
// (DISCORD_PUBLIC_KEY), where every request is verified with Ed25519 before anything reads it.
//
// Discord gives an interaction 3 seconds for its first response. A reply that is ready within the
// ack budget (2 s) is that response; a slower one is deferred (type 5) and completed by editing
// the original response through the interaction's webhook.
//
// Posts careerbot makes on its own (Post, Find: delivery's Poster) go through Create Message with
// the delivery's key as nonce and enforce_nonce, so that sending again within Discord's dedupe
// window returns the first message. discordgo's own retry of a 502 is switched off for them,
// since it could post twice; its rate limiter still paces them and waits out 429s.
// discordfake is a fake of that API for tests of any package.
package discord

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/webhook"
	"github.com/careerbot/careerbot/internal/linkstate"
)

// DefaultAPIURL is Discord's REST base.
const DefaultAPIURL = "https://discord.com/api/v10/"

const (
	defaultAckBudget = 2 * time.Second
)

// Config is the adapter's configuration, from the environment.
type Config struct {
	BotToken      string            // gateway and REST (registration, posting)
	ApplicationID string            // command registration
	PublicKey     ed25519.PublicKey // HTTP interactions
	APIURL        string            // REST base; its scheme and host replace discord.com's
	AckBudget     time.Duration
	// DownGrace is how long the gateway may be disconnected before GatewayReady fails;
	// linkstate.DefaultGrace when zero.
	DownGrace time.Duration
}

// Metrics counts what the adapter refuses. It is optional.
type Metrics = webhook.Metrics

// Adapter serves Discord.
type Adapter struct {
	cfg    Config
	router *bot.Router
	render *Renderer      // with the router's stock replies prepared
	in     webhook.Reader // verified request bodies
	log    *slog.Logger
	rest   *discordgo.Session // REST only: interaction callbacks, edits, posting, registration
	now    func() time.Time

	// later runs work that outlives its interaction (deferred replies), so Close can wait.
	later bot.Later

	gateway linkstate.Lazy // the gateway connection's state, for readiness
}

// New returns an adapter; metrics may be nil.
func New(cfg Config, router *bot.Router, log *slog.Logger, metrics Metrics) (*Adapter, error) {
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if cfg.AckBudget == 0 {
		cfg.AckBudget = defaultAckBudget
	}
	rest, err := newSession(cfg.BotToken, cfg.APIURL)
	if err != nil {
		return nil, err
	}
	a := &Adapter{cfg: cfg, router: router, render: NewRenderer(router.Stock()), log: log.With("platform", "discord"),
		rest: rest, now: time.Now}
	a.in = webhook.Reader{Platform: "discord", Metrics: metrics, Log: a.log,
		Verify: func(h http.Header, body []byte) error { return verify(h, body, cfg.PublicKey) }}
	return a, nil
}

// newSession returns a discordgo session whose REST calls go to apiURL's scheme and host.
// discordgo's endpoints are package variables; rewriting requests in the transport keeps them
// untouched, so tests and several adapters can point at different servers.
func newSession(token, apiURL string) (*discordgo.Session, error) {
	base, err := url.Parse(apiURL)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("DISCORD_API_URL=%q is not an http(s) URL", apiURL)
	}
	auth := ""
	if token != "" {
		auth = "Bot " + token
	}
	s, err := discordgo.New(auth)
	if err != nil {
		return nil, err
	}
	s.Client = &http.Client{Timeout: 15 * time.Second, Transport: rewriteHost{scheme: base.Scheme, host: base.Host, next: http.DefaultTransport}}
	s.ShouldRetryOnRateLimit = true
	s.MaxRestRetries = 3
	return s, nil
}

// rewriteHost sends requests for discord.com to another scheme and host.
type rewriteHost struct {
	scheme, host string
	next         http.RoundTripper
}

func (t rewriteHost) RoundTrip(r *http.Request) (*http.Response, error) {
	if h := r.URL.Hostname(); h == "discord.com" || h == "discordapp.com" || strings.HasSuffix(h, ".discord.com") {
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host, r.Host = t.scheme, t.host, t.host
	}
	return t.next.RoundTrip(r)
}

// Close waits for deferred work still in flight, until ctx ends.
func (a *Adapter) Close(ctx context.Context) error {
	if err := a.later.Wait(ctx); err != nil {
		return fmt.Errorf("discord: %w", err)
	}
	return nil
}
