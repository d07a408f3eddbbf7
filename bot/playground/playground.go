// Package playground is careerbot's local adapter: a page that works like a chat workspace of
// one channel, #playground, so that `careerbot serve` without Slack or Discord credentials is
// worth opening. What the visitor types runs through the same Router as a Slack or Discord
// command (platform "playground", workspace "local", the visitor an admin) and the Reply comes
// back rendered as HTML by this package's Renderer; buttons carry the same encoded actions as
// on the other platforms. The adapter is also a Poster (the one bot/deliver declares): openings
// delivered to the channel's subscriptions are kept in an in-memory feed and pushed to the page
// with server-sent events, with polling as the fallback.
//
// The page is html/template, one JavaScript file and one CSS file, all embedded: no CDN, no
// inline script or style, so the Content-Security-Policy can forbid both. State-changing
// requests are POSTs with a JSON body behind http.CrossOriginProtection.
//
// Like the other adapters it knows no command by name: the examples on the page, the
// autocomplete and the hints come from the commands' Specs through the Router.
package playground

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"sync"
	"time"

	"github.com/careerbot/careerbot/bot"
)

//go:embed templates/*.html static/*
var files embed.FS

// The visitor's place: one workspace, one channel.
const (
	Workspace = "local"
	Channel   = "playground"
)

// Options configure the adapter.
type Options struct {
	// LoadSample loads the sample openings and says how many; nil shows no sample button.
	LoadSample func(ctx context.Context) (int, error)
	// Log receives the operator's lines; nil discards them.
	Log *slog.Logger
}

// Adapter serves the playground page and its API, and posts to its channel feed.
type Adapter struct {
	router   *bot.Router
	opts     Options
	log      *slog.Logger
	render   *Renderer
	page     *pageAssets
	feed     *feed
	now      func() time.Time
	beat     time.Duration // between SSE heartbeats
	closed   chan struct{}
	closeOne sync.Once
}

// heartbeat is how often an idle event stream gets a comment, so proxies keep it open.
const heartbeat = 15 * time.Second

// New returns the adapter for router. It panics when the embedded templates do not parse,
// which a test of this package would have caught.
func New(router *bot.Router, opts Options) *Adapter {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	rd, err := NewRenderer()
	if err != nil {
		panic("playground: " + err.Error())
	}
	page, err := loadPage()
	if err != nil {
		panic("playground: " + err.Error())
	}
	return &Adapter{
		router: router, opts: opts, log: log, render: rd, page: page,
		feed: newFeed(maxPosts), now: time.Now, beat: heartbeat, closed: make(chan struct{}),
	}
}

// Close ends every open event stream; the adapter still answers requests afterwards, but new
// streams end at once.
func (a *Adapter) Close() error {
	a.closeOne.Do(func() { close(a.closed) })
	return nil
}

// visitor is the command of the one person using the playground.
func visitor() bot.Command {
	return bot.Command{Platform: bot.PlatformPlayground, Workspace: Workspace, Channel: Channel,
		User: "visitor", UserName: "you", IsAdmin: true}
}

// channelError refuses a post for a channel the playground does not have; delivery reads
// Permanent and stops retrying it.
type channelError struct{ channel string }

func (e *channelError) Error() string {
	return fmt.Sprintf("playground: no channel %q (only %q)", e.channel, Channel)
}

// Permanent says the post will never succeed.
func (e *channelError) Permanent() bool { return true }

// NotPosted says nothing was posted.
func (e *channelError) NotPosted() bool { return true }

// Post renders p's reply into the channel feed and wakes the pages that follow it. It returns
// the post's id in the feed.
func (a *Adapter) Post(ctx context.Context, p bot.Post) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("playground post: %w", err)
	}
	if p.Channel != Channel {
		return "", &channelError{channel: p.Channel}
	}
	body, err := a.render.Render(p.Reply)
	if err != nil {
		return "", fmt.Errorf("playground post %s: %w", p.Key, err)
	}
	id, err := a.feed.add(p.Key, a.now(), func(id int64, at time.Time) (template.HTML, error) {
		return a.render.execute("post", postView{ID: id, Time: at, Body: body})
	})
	if err != nil {
		return "", fmt.Errorf("playground post %s: %w", p.Key, err)
	}
	a.log.DebugContext(ctx, "posted to the playground feed", "key", p.Key, "id", id)
	return formatID(id), nil
}

// Find returns the id of the feed's post with p's key, or "" when the feed has none (an
// attempt that never reached it, or one pushed out of the bounded feed since).
func (a *Adapter) Find(ctx context.Context, p bot.Post, _ time.Time) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("playground find: %w", err)
	}
	if p.Channel != Channel {
		return "", &channelError{channel: p.Channel}
	}
	if id, ok := a.feed.find(p.Key); ok {
		return formatID(id), nil
	}
	return "", nil
}

// errNoSample answers /playground/sample when the adapter was given no LoadSample.
var errNoSample = errors.New("no sample openings in this build")
