package discord

import (
	"context"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/careerbot/careerbot/bot"
)

// postPermissions are what careerbot needs in a channel to post openings there on its own, in
// the order a sentence names them: see the channel, send in it, and show embeds (every post is
// one).
var postPermissions = []struct {
	bit  int64
	name string
}{
	{discordgo.PermissionViewChannel, "View Channel"},
	{discordgo.PermissionSendMessages, "Send Messages"},
	{discordgo.PermissionEmbedLinks, "Embed Links"},
}

// postCheck answers bot.Command.PostCheck from the interaction's app_permissions: the bot's
// own permissions in the interaction's channel, resolved and signed by Discord, so the answer
// costs no request.
//
// discordgo reads an absent app_permissions as 0. In a guild, Discord always sends it, so 0 is
// read as "nothing granted" and the answer names every permission: a subscription is refused
// with what to fix rather than accepted on a guess. Without a guild (a direct message) there is
// no channel permission to check and the bot can always answer there: the answer is "", and
// whether a direct message may be subscribed is the subscription handler's call.
func postCheck(in *discordgo.Interaction) func(context.Context) string {
	guild, perms := in.GuildID, in.AppPermissions
	return func(context.Context) string { return postProblem(guild, perms) }
}

// postProblem is "" when perms allow posting, else a sentence naming the permissions missing.
func postProblem(guild string, perms int64) string {
	if guild == "" || perms&discordgo.PermissionAdministrator != 0 {
		return ""
	}
	var missing []string
	for _, p := range postPermissions {
		if perms&p.bit == 0 {
			missing = append(missing, p.name)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	what := "the " + missing[0] + " permission"
	if n := len(missing); n > 1 {
		what = "the " + strings.Join(missing[:n-1], ", ") + " and " + missing[n-1] + " permissions"
	}
	return bot.Name + " may not post here: give it " + what + " in this channel."
}
