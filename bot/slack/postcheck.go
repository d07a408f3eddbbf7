package slack

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	goslack "github.com/slack-go/slack"
)

// What PostCheck answers when careerbot may not post in a channel.
const (
	inviteFirst    = "Invite @careerbot to this channel first: type /invite @careerbot here."
	channelArchive = "This channel is archived: careerbot cannot post in it."
)

// publicScope lets a bot post in public channels it is not a member of.
const publicScope = "chat:write.public"

// scopeCacheTTL is how long a team's token scopes (auth.test) are trusted.
const scopeCacheTTL = 10 * time.Minute

type scopeEntry struct {
	public  bool // the token has chat:write.public
	expires time.Time
}

// canPost answers bot.Command.PostCheck: "" when careerbot may post in channel on its own,
// otherwise what the user should do. conversations.info says whether careerbot is a member and
// whether the channel is public or archived; a public channel is open to a token with
// chat:write.public. When Slack cannot say, the answer says so: a subscription is never made on
// a guess.
func (a *Adapter) canPost(ctx context.Context, team, channel string) string {
	const method = "conversations.info"
	api, err := a.api(ctx, team)
	if err != nil {
		return a.checkFailed(ctx, team, channel, apiError(method, err))
	}
	ch, err := api.GetConversationInfoContext(ctx, &goslack.GetConversationInfoInput{ChannelID: channel})
	if err != nil {
		e := apiError(method, err)
		if e.Code == "channel_not_found" {
			return inviteFirst // a private channel careerbot is not in looks like none at all
		}
		return a.checkFailed(ctx, team, channel, e)
	}
	switch {
	case ch.IsArchived:
		return channelArchive
	case ch.IsMember, ch.IsIM: // a bot sees only its own direct messages
		return ""
	case ch.IsPrivate:
		return inviteFirst
	}
	public, err := a.writesPublic(ctx, team, api)
	if err != nil {
		return a.checkFailed(ctx, team, channel, apiError("auth.test", err))
	}
	if public {
		return ""
	}
	return inviteFirst
}

// checkFailed logs why Slack could not answer and tells the user in a sentence.
func (a *Adapter) checkFailed(ctx context.Context, team, channel string, err *APIError) string {
	a.log.WarnContext(ctx, "channel check failed", "workspace", team, "channel", channel, "err", err)
	switch {
	case err.Code == "missing_scope":
		return "careerbot lacks Slack's permission to look up this channel (missing_scope): a workspace admin should reinstall careerbot, then try again."
	case err.WorkspaceWide():
		return fmt.Sprintf("careerbot cannot act in this workspace any more (%s): a workspace admin should reinstall careerbot.", err.Code)
	case err.Code == codeRateLimited:
		return "Slack asked careerbot to slow down while checking this channel: try again in a minute."
	case err.Code != "":
		return fmt.Sprintf("careerbot could not check this channel with Slack (%s): try again in a minute.", err.Code)
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return "careerbot could not check this channel with Slack in time: try again in a minute."
	}
	return "careerbot could not reach Slack to check this channel: try again in a minute."
}

// writesPublic says whether team's token has chat:write.public, from the X-OAuth-Scopes header
// of auth.test, cached for scopeCacheTTL.
func (a *Adapter) writesPublic(ctx context.Context, team string, api *goslack.Client) (bool, error) {
	a.scopeMu.Lock()
	e, ok := a.scopeCache[team]
	a.scopeMu.Unlock()
	if ok && a.now().Before(e.expires) {
		return e.public, nil
	}
	resp, err := api.AuthTestContext(ctx)
	if err != nil {
		return false, err
	}
	public := false
	for s := range strings.SplitSeq(resp.Header.Get("X-OAuth-Scopes"), ",") {
		if strings.TrimSpace(s) == publicScope {
			public = true
		}
	}
	a.scopeMu.Lock()
	defer a.scopeMu.Unlock()
	if len(a.scopeCache) >= maxAdminCache {
		now := a.now()
		for k, e := range a.scopeCache {
			if !now.Before(e.expires) {
				delete(a.scopeCache, k)
			}
		}
	}
	a.scopeCache[team] = scopeEntry{public: public, expires: a.now().Add(scopeCacheTTL)}
	return public, nil
}
