package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/careerbot/careerbot/bot"
)

// maxNonce is the longest nonce Create Message accepts, in characters.
const maxNonce = 25

// Discord's JSON error codes that say a post can never succeed (PLATFORMS.md, "REST and rate
// limits").
const (
	codeUnknownChannel     = 10003
	codeUnknownGuild       = 10004
	codeMissingAccess      = 50001
	codeMissingPermissions = 50013
)

// createMessage is the body of Create Message. discordgo's MessageSend has no nonce nor
// enforce_nonce, so careerbot sends its own.
type createMessage struct {
	Content         string                            `json:"content,omitempty"`
	Embeds          []*discordgo.MessageEmbed         `json:"embeds"`
	Components      []discordgo.MessageComponent      `json:"components"`
	AllowedMentions *discordgo.MessageAllowedMentions `json:"allowed_mentions"`
	Nonce           string                            `json:"nonce"`
	EnforceNonce    bool                              `json:"enforce_nonce"`
}

// Post sends p to its channel as the bot and returns the message's id. It implements the
// posting side of delivery (bot/deliver's Poster) without importing it.
//
// The message is MessageSend's rendering of p.Reply, with allowed_mentions parse [] (nothing in
// it pings) and p.Key as its nonce with enforce_nonce, so that sending p again within Discord's
// dedupe window returns the first message instead of a second one (see Find).
//
// discordgo's rate limiter paces the call per route bucket (one per channel) from Discord's
// X-RateLimit headers and, on a 429, waits retry_after and sends again: a 429 never creates a
// message, so that retry is safe. Its retry of a 502 is not (Discord may have created the
// message before the gateway failed), so this call runs with no REST retries
// (discordgo.WithRestRetries(0), a per-request option of the shared session, rather than a second
// session that would have to share its client, token and rate limiter): a 502 comes back as a
// transient error, and delivery settles it with Find.
//
// Errors from sending are *PostError, whose Permanent, WorkspaceWide and RetryAfter say what delivery should
// do about them.
func (a *Adapter) Post(ctx context.Context, p bot.Post) (string, error) {
	return a.create(ctx, p)
}

// Find settles an in-doubt delivery of p, whose earlier attempt began at since: it sends p again
// with the same nonce and enforce_nonce, and Discord answers with the message the earlier
// attempt created instead of creating another. If the earlier attempt never reached Discord,
// this one posts p: either way p is in the channel once, and Find returns its id.
//
// Discord remembers a nonce for a few minutes only. Beyond that it cannot tell, and Find posts p
// a second time if the earlier attempt had created it; delivery keeps that rare by settling
// in-doubt deliveries within a minute or two of since. Find never returns "".
func (a *Adapter) Find(ctx context.Context, p bot.Post, since time.Time) (string, error) {
	return a.create(ctx, p)
}

// create sends Create Message for p.
func (a *Adapter) create(ctx context.Context, p bot.Post) (string, error) {
	if p.Key == "" || utf8.RuneCountInString(p.Key) > maxNonce {
		return "", fmt.Errorf("discord: post to channel %s: the key %q is not 1 to %d characters", p.Channel, p.Key, maxNonce)
	}
	ms := MessageSend(p.Reply)
	body := createMessage{Content: ms.Content, Embeds: ms.Embeds, Components: ms.Components,
		AllowedMentions: noMentions(), Nonce: p.Key, EnforceNonce: true}
	endpoint := discordgo.EndpointChannelMessages(p.Channel)

	// The last answer's status and headers: discordgo's error for a 502 without retries is
	// plain text, and its 429 error keeps no Retry-After.
	client := *a.rest.Client
	seen := &answer{next: client.Transport}
	client.Transport = seen
	resp, err := a.rest.RequestWithBucketID(http.MethodPost, endpoint, body, endpoint,
		discordgo.WithContext(ctx), discordgo.WithRestRetries(0), discordgo.WithClient(&client))
	if err != nil {
		return "", postError(p.Channel, err, seen)
	}
	var msg struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(resp, &msg); err != nil || msg.ID == "" {
		return "", &PostError{Channel: p.Channel, Status: seen.status,
			Err: fmt.Errorf("the answer has no message id: %.200q", resp)}
	}
	return msg.ID, nil
}

// answer remembers the status and headers of the last response of one call.
type answer struct {
	next   http.RoundTripper
	status int
	header http.Header
}

func (t *answer) RoundTrip(r *http.Request) (*http.Response, error) {
	next := t.next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(r)
	if err == nil {
		t.status, t.header = resp.StatusCode, resp.Header
	} else {
		t.status, t.header = 0, nil
	}
	return resp, err
}

// PostError is a failed post: what Discord answered, or that no answer came. It never holds the
// request, so it can be logged whole without the bot token.
type PostError struct {
	Channel string
	Status  int           // HTTP status of the answer; 0 when none came (network, timeout, ctx)
	Code    int           // Discord's JSON error code; 0 when the answer had none
	Retry   time.Duration // for a 429: how long Discord asked to wait
	Err     error
}

// Error says which post failed and how.
func (e *PostError) Error() string {
	return fmt.Sprintf("discord: post to channel %s: %v", e.Channel, e.Err)
}

// Unwrap returns the cause: the transport's error (a cancelled context, a timeout) or Discord's
// answer.
func (e *PostError) Unwrap() error { return e.Err }

// Permanent reports whether posting to the channel will fail however often it is retried: the
// channel or the guild is gone, the bot may not see it or post in it, or the token is refused.
func (e *PostError) Permanent() bool {
	switch e.Code {
	case codeUnknownChannel, codeUnknownGuild, codeMissingAccess, codeMissingPermissions:
		return true
	}
	return e.Status == http.StatusUnauthorized
}

// WorkspaceWide reports whether the failure concerns every channel of the guild: the token is
// refused (401) or the bot is no longer in the guild (10004 Unknown Guild).
func (e *PostError) WorkspaceWide() bool {
	return e.Status == http.StatusUnauthorized || e.Code == codeUnknownGuild
}

// RetryAfter is how long Discord asked to wait, for a 429 that discordgo did not retry itself;
// 0 otherwise.
func (e *PostError) RetryAfter() time.Duration { return e.Retry }

// NotPosted says Discord answered with a 4xx, so no message was created. With no answer or a
// 5xx, it may have been.
func (e *PostError) NotPosted() bool { return e.Status >= 400 && e.Status < 500 }

// postError classifies discordgo's error of a Create Message; seen is the last answer.
func postError(channel string, err error, seen *answer) *PostError {
	pe := &PostError{Channel: channel, Status: seen.status, Err: err}
	var rest *discordgo.RESTError
	var limited *discordgo.RateLimitError
	switch {
	case errors.As(err, &rest):
		if rest.Response != nil {
			pe.Status = rest.Response.StatusCode
		}
		msg := ""
		if rest.Message != nil {
			pe.Code, msg = rest.Message.Code, rest.Message.Message
		}
		// Discord's answer without discordgo's copy of the request.
		pe.Err = fmt.Errorf("HTTP %d, code %d: %.200s", pe.Status, pe.Code, msg)
		if pe.Status == http.StatusTooManyRequests {
			pe.Retry = retryAfter(rest.ResponseBody, seen.header)
		}
	case errors.As(err, &limited):
		pe.Status = http.StatusTooManyRequests
		if limited.RateLimit != nil && limited.TooManyRequests != nil {
			pe.Retry = limited.RetryAfter
		}
		if pe.Retry <= 0 {
			pe.Retry = retryAfter(nil, seen.header)
		}
	}
	// Anything else is transient: no answer (the transport's error, ctx's among them), or a 5xx
	// discordgo reports as text ("Exceeded Max retries HTTP 502 ..."), with Status from seen.
	return pe
}

// retryAfter reads a 429's wait: retry_after (seconds, a float) from the body, else the
// Retry-After header (seconds).
func retryAfter(body []byte, h http.Header) time.Duration {
	var b struct {
		RetryAfter float64 `json:"retry_after"`
	}
	if json.Unmarshal(body, &b) == nil && b.RetryAfter > 0 {
		return time.Duration(math.Ceil(b.RetryAfter * float64(time.Second)))
	}
	if s, err := strconv.ParseFloat(h.Get("Retry-After"), 64); err == nil && s > 0 {
		return time.Duration(math.Ceil(s * float64(time.Second)))
	}
	return 0
}
