package discord

import (
	"context"
	"errors"
	"fmt"

	"github.com/bwmarrin/discordgo"
)

// RunGateway serves interactions over the gateway until ctx ends. discordgo keeps the connection
// alive and resumes or reconnects it by itself; interactions arriving on it are answered through
// the REST callback endpoint, with the same handlers as HTTP interactions.
func (a *Adapter) RunGateway(ctx context.Context) error {
	if a.cfg.BotToken == "" {
		return errors.New("discord: the gateway needs DISCORD_BOT_TOKEN")
	}
	s, err := newSession(a.cfg.BotToken, a.cfg.APIURL)
	if err != nil {
		return err
	}
	s.Identify.Intents = discordgo.IntentsGuilds // interactions need no privileged intent
	s.ShouldReconnectOnError = true
	remove := s.AddHandler(func(_ *discordgo.Session, ic *discordgo.InteractionCreate) {
		a.OnInteractionCreate(ctx, ic)
	})
	defer remove()
	if err := s.Open(); err != nil {
		return fmt.Errorf("discord gateway: %w", err)
	}
	a.log.InfoContext(ctx, "discord gateway connected")
	<-ctx.Done()
	return s.Close()
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
