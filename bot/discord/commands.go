package discord

import (
	"context"
	"fmt"
	"strconv"

	"github.com/bwmarrin/discordgo"
	"github.com/careerbot/careerbot/bot"
)

// Discord's limits on command definitions and autocomplete (docs: "Application Commands").
const (
	maxChoices    = 25
	maxChoiceName = 100
	maxChoiceLen  = 100
)

// Definitions returns the application commands for the specs registered on Discord
// (bot.Router.Commands(bot.PlatformDiscord)): each spec's options, or its listed subcommands with
// theirs, with their types, bounds, choices and autocomplete, as the core declares them.
func Definitions(specs []bot.Spec) []*discordgo.ApplicationCommand {
	var defs []*discordgo.ApplicationCommand
	for _, s := range specs {
		if !s.On(bot.PlatformDiscord) {
			continue
		}
		def := &discordgo.ApplicationCommand{
			Type:        discordgo.ChatApplicationCommand,
			Name:        s.Name,
			Description: bot.Shorten(s.Summary, 100),
			Options:     declare(s.Options),
		}
		for _, sc := range s.Subcommands {
			if sc.Hidden {
				continue
			}
			def.Options = append(def.Options, &discordgo.ApplicationCommandOption{
				Type:        discordgo.ApplicationCommandOptionSubCommand,
				Name:        sc.Name,
				Description: bot.Shorten(sc.Summary, 100),
				Options:     declare(sc.Options),
			})
		}
		defs = append(defs, def)
	}
	return defs
}

// declare declares a form's options. Discord wants required options first; the core's specs
// already keep them so.
func declare(opts []bot.Option) []*discordgo.ApplicationCommandOption {
	var out []*discordgo.ApplicationCommandOption
	for _, o := range opts {
		d := &discordgo.ApplicationCommandOption{
			Name:         o.Name,
			Description:  o.Description,
			Required:     o.Required,
			Autocomplete: o.Complete != "" && len(o.Choices) == 0,
		}
		switch o.Type {
		case bot.Integer:
			d.Type = discordgo.ApplicationCommandOptionInteger
			if o.MinValue != 0 || o.MaxValue != 0 {
				lo := float64(o.MinValue)
				d.MinValue = &lo
			}
			if o.MaxValue != 0 {
				d.MaxValue = float64(o.MaxValue)
			}
		case bot.Boolean:
			d.Type = discordgo.ApplicationCommandOptionBoolean
		default:
			d.Type = discordgo.ApplicationCommandOptionString
			if o.MinLength > 0 {
				d.MinLength = &o.MinLength
			}
			d.MaxLength = o.MaxLength
		}
		if len(o.Choices) <= maxChoices {
			for _, c := range o.Choices {
				d.Choices = append(d.Choices, &discordgo.ApplicationCommandOptionChoice{Name: c.Name, Value: c.Value})
			}
		}
		out = append(out, d)
	}
	return out
}

// Register bulk-overwrites careerbot's commands: globally, or in one guild (instant, for
// development) when guildID is set.
func (a *Adapter) Register(ctx context.Context, defs []*discordgo.ApplicationCommand, guildID string) error {
	if a.cfg.ApplicationID == "" || a.cfg.BotToken == "" {
		return fmt.Errorf("registering commands needs DISCORD_APPLICATION_ID and DISCORD_BOT_TOKEN")
	}
	if _, err := a.rest.ApplicationCommandBulkOverwrite(a.cfg.ApplicationID, guildID, defs, discordgo.WithContext(ctx)); err != nil {
		return fmt.Errorf("register commands: %w", err)
	}
	return nil
}

// command turns an application command into a bot command: the subcommand, if any, and every
// option by name, which the router checks against the command's spec.
func command(in *discordgo.Interaction, data discordgo.ApplicationCommandInteractionData) bot.Command {
	cmd := base(in)
	cmd.Name = data.Name
	cmd.Options = map[string]string{}
	opts := data.Options
	if len(opts) == 1 && opts[0].Type == discordgo.ApplicationCommandOptionSubCommand {
		cmd.Sub, opts = opts[0].Name, opts[0].Options
	}
	for _, o := range opts {
		cmd.Options[o.Name] = optionValue(o)
	}
	return cmd
}

// autocomplete answers the focused option with up to 25 suggestions from the option's source in
// the core.
func (a *Adapter) autocomplete(data discordgo.ApplicationCommandInteractionData) *discordgo.InteractionResponse {
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	sub, opts := "", data.Options
	if len(opts) == 1 && opts[0].Type == discordgo.ApplicationCommandOptionSubCommand {
		sub, opts = opts[0].Name, opts[0].Options
	}
	if o := focused(opts); o != nil {
		for _, c := range a.router.Complete(data.Name, sub, o.Name, optionValue(o), maxChoices) {
			if len(c.Value) > maxChoiceLen {
				continue
			}
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: bot.Shorten(c.Name, maxChoiceName), Value: c.Value})
		}
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices}}
}

// focused finds the option the user is typing.
func focused(opts []*discordgo.ApplicationCommandInteractionDataOption) *discordgo.ApplicationCommandInteractionDataOption {
	for _, o := range opts {
		if o.Focused {
			return o
		}
	}
	return nil
}

// optionValue reads an option's value as text without trusting its declared type.
func optionValue(o *discordgo.ApplicationCommandInteractionDataOption) string {
	switch v := o.Value.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	}
	return ""
}
