// Package deliver is careerbot's outbound path: it takes deliveries off the jobs queue, renders
// them, paces them per channel and workspace, posts them through the platform's Poster and
// records the outcome, so that each (opening, channel) is posted exactly once.
package deliver

import (
	"context"
	"errors"
	"time"

	"github.com/careerbot/careerbot/bot"
)

// Poster posts to one platform. The Slack and Discord adapters implement it.
type Poster interface {
	// Post sends p to its channel and returns the platform's id of the message. Its errors
	// may implement Permanent, WorkspaceWide and RetryAfter (below).
	Post(ctx context.Context, p bot.Post) (messageID string, err error)
	// Find settles an in-doubt delivery: an earlier attempt of p began at since and its
	// outcome was never recorded. Find returns the id of the message that attempt posted, or
	// "" when it is not in the channel, without posting p a second time. (Discord: sending
	// again with the same nonce returns the first message; Slack: the channel's history read
	// for p's metadata.)
	Find(ctx context.Context, p bot.Post, since time.Time) (messageID string, err error)
}

// The behaviours an error of a Poster may have, read with errors.As. Delivery classifies
// errors by these alone, never by their text.
type (
	// permanent errors will fail again however often the post is retried: the channel is gone,
	// archived, the bot is not in it or may not post there.
	permanent interface{ Permanent() bool }
	// workspaceWide errors concern every channel of the workspace (the token was revoked).
	workspaceWide interface{ WorkspaceWide() bool }
	// retryAfter errors say how long the platform asked to wait (HTTP 429).
	retryAfter interface{ RetryAfter() time.Duration }
	// notPosted errors are answers that refused the post, so it was not made; any other
	// failure (no answer, a 5xx) may hide a post that went through.
	notPosted interface{ NotPosted() bool }
)

// IsNotPosted says whether err shows the post was not made.
func IsNotPosted(err error) bool {
	var n notPosted
	return errors.As(err, &n) && n.NotPosted()
}

// IsPermanent says whether err says the post will never succeed.
func IsPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p) && p.Permanent()
}

// IsWorkspaceWide says whether err concerns the whole workspace.
func IsWorkspaceWide(err error) bool {
	var w workspaceWide
	return errors.As(err, &w) && w.WorkspaceWide()
}

// RetryAfterOf returns the wait the platform asked for, or 0.
func RetryAfterOf(err error) time.Duration {
	var r retryAfter
	if errors.As(err, &r) {
		return r.RetryAfter()
	}
	return 0
}
