// Package slack is careerbot's Slack adapter, built on github.com/slack-go/slack. It turns slash
// commands, app mentions, Home tab visits and button clicks into bot commands, and bot replies
// into Block Kit, over two transports that share every handler: HTTP (Events API, slash
// commands and interactivity, each request verified with the signing secret before anything
// reads it) and Socket Mode (no public URL).
//
// Slack gives an app 3 seconds to acknowledge a request. A reply that is ready within the ack
// budget (2 s) goes back in the acknowledgement; a slower one (store or network I/O) is
// acknowledged empty and completed through the request's response_url.
//
// One deployment serves many workspaces: OAuth v2 installs store each team's bot token,
// encrypted with AES-256-GCM under a key derived from CAREERBOT_SECRET_KEY; SLACK_BOT_TOKEN
// alone serves a single workspace.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/webhook"
	"github.com/careerbot/careerbot/internal/kv"
	"github.com/careerbot/careerbot/internal/linkstate"
	goslack "github.com/slack-go/slack"
)

// DefaultAPIURL is Slack's Web API base.
const DefaultAPIURL = "https://slack.com/api/"

// Defaults for Config's durations.
const (
	defaultAckBudget = 2 * time.Second
	adminCacheTTL    = 10 * time.Minute
	maxAdminCache    = 10000 // cached admin answers before expired ones are swept
)

// Config is the adapter's configuration, from the environment.
type Config struct {
	SigningSecret string // HTTP mode: verifies every request
	BotToken      string // single workspace; empty to use installed tokens
	AppToken      string // Socket Mode (xapp-...)
	ClientID      string // OAuth install
	ClientSecret  string
	SecretKey     string   // encrypts stored tokens, signs OAuth state
	APIURL        string   // Web API base; DefaultAPIURL when empty
	Admins        []string // user ids allowed admin commands besides workspace admins
	AckBudget     time.Duration
	// DownGrace is how long Socket Mode may be disconnected before SocketModeReady fails;
	// linkstate.DefaultGrace when zero.
	DownGrace time.Duration
}

// Metrics counts what the adapter refuses. It is optional.
type Metrics = webhook.Metrics

// Adapter serves Slack.
type Adapter struct {
	cfg    Config
	router *bot.Router
	kv     kv.Store
	render *Renderer      // with the router's stock replies prepared
	in     webhook.Reader // verified request bodies
	log    *slog.Logger
	http   *http.Client
	now    func() time.Time
	keys   keys

	// later runs work that outlives its request (follow-ups, events), so Close can wait.
	later bot.Later

	adminMu    sync.Mutex
	adminCache map[string]adminEntry

	scopeMu    sync.Mutex
	scopeCache map[string]scopeEntry // by team: may the token post in public channels

	findMu sync.Mutex
	finds  map[string]findEntry // where interrupted Finds stopped

	socket linkstate.Lazy // the Socket Mode connection's state, for readiness
}

type adminEntry struct {
	admin   bool
	expires time.Time
}

// New returns an adapter. kv keeps installations, processed event ids and used OAuth states;
// metrics may be nil.
func New(cfg Config, router *bot.Router, store kv.Store, log *slog.Logger, metrics Metrics) (*Adapter, error) {
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	if !strings.HasSuffix(cfg.APIURL, "/") {
		cfg.APIURL += "/"
	}
	if cfg.AckBudget == 0 {
		cfg.AckBudget = defaultAckBudget
	}
	if cfg.BotToken == "" && cfg.ClientID == "" {
		return nil, errors.New("slack: set SLACK_BOT_TOKEN for one workspace, or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET to install into many")
	}
	if cfg.ClientID != "" && (cfg.ClientSecret == "" || cfg.SecretKey == "") {
		return nil, errors.New("slack: installing into many workspaces needs SLACK_CLIENT_SECRET and CAREERBOT_SECRET_KEY too")
	}
	a := &Adapter{
		cfg:    cfg,
		router: router,
		render: NewRenderer(router.Stock()),
		kv:     store,
		log:    log.With("platform", "slack"),

		http:       &http.Client{Timeout: 10 * time.Second},
		now:        time.Now,
		keys:       deriveKeys(cfg.SecretKey),
		adminCache: make(map[string]adminEntry),
		scopeCache: make(map[string]scopeEntry),
		finds:      make(map[string]findEntry),
	}
	a.in = webhook.Reader{Platform: "slack", Metrics: metrics, Log: a.log,
		Verify: func(h http.Header, body []byte) error { return verify(h, body, cfg.SigningSecret, a.now()) }}
	return a, nil
}

// Close waits for follow-ups still in flight, until ctx ends.
func (a *Adapter) Close(ctx context.Context) error {
	if err := a.later.Wait(ctx); err != nil {
		return fmt.Errorf("slack: %w", err)
	}
	return nil
}

// api returns a Web API client acting as the bot of team.
func (a *Adapter) api(ctx context.Context, team string) (*goslack.Client, error) {
	token, err := a.token(ctx, team)
	if err != nil {
		return nil, err
	}
	return goslack.New(token, goslack.OptionAPIURL(a.cfg.APIURL), goslack.OptionHTTPClient(a.http)), nil
}

// command is the skeleton of a command from a Slack user: who, where, and how to ask Slack
// whether they are an admin and whether careerbot may post in the channel, which the router
// and handlers do only when they need the answer.
func (a *Adapter) command(team, channel, user, userName string) bot.Command {
	cmd := bot.Command{Platform: bot.PlatformSlack, Workspace: team, Channel: channel, User: user, UserName: userName,
		AdminCheck: func(ctx context.Context) bool { return a.isAdmin(ctx, team, user) }}
	if channel != "" {
		cmd.PostCheck = func(ctx context.Context) string { return a.canPost(ctx, team, channel) }
	}
	return cmd
}

// isAdmin reports whether user may run admin commands in team: listed in
// CAREERBOT_SLACK_ADMINS, or a workspace admin or owner per users.info (cached for 10 minutes).
// When Slack cannot say, the answer is no.
func (a *Adapter) isAdmin(ctx context.Context, team, user string) bool {
	if slices.Contains(a.cfg.Admins, user) {
		return true
	}
	key := team + "/" + user
	a.adminMu.Lock()
	e, ok := a.adminCache[key]
	a.adminMu.Unlock()
	if ok && a.now().Before(e.expires) {
		return e.admin
	}
	api, err := a.api(ctx, team)
	if err != nil {
		a.log.WarnContext(ctx, "admin check without a token", "workspace", team, "err", err)
		return false
	}
	u, err := api.GetUserInfoContext(ctx, user)
	if err != nil {
		a.log.WarnContext(ctx, "users.info failed; treating the user as a member", "workspace", team, "err", err)
		return false
	}
	admin := u.IsAdmin || u.IsOwner || u.IsPrimaryOwner
	a.adminMu.Lock()
	if len(a.adminCache) >= maxAdminCache {
		// Drop what has expired, so the cache stays the size of the recently active users.
		now := a.now()
		for k, e := range a.adminCache {
			if !now.Before(e.expires) {
				delete(a.adminCache, k)
			}
		}
	}
	a.adminCache[key] = adminEntry{admin: admin, expires: a.now().Add(adminCacheTTL)}
	a.adminMu.Unlock()
	return admin
}

func (a *Adapter) reject(reason string) { a.in.Reject(reason) }
