package discord

import (
	"context"
	"fmt"

	"github.com/bwmarrin/discordgo"
	"github.com/careerbot/careerbot/bot"
)

// Post sends a reply to a channel as the bot, for features that post on their own (new job
// openings). discordgo's rate limiter paces the calls per route from Discord's X-RateLimit
// headers and, on a 429, waits retry_after and sends again.
func (a *Adapter) Post(ctx context.Context, channelID string, r bot.Reply) (string, error) {
	msg, err := a.rest.ChannelMessageSendComplex(channelID, MessageSend(r), discordgo.WithContext(ctx))
	if err != nil {
		return "", fmt.Errorf("post to channel %s: %w", channelID, err)
	}
	return msg.ID, nil
}
