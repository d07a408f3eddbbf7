package discord

import (
	"context"
	"fmt"

	"github.com/bwmarrin/discordgo"
	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/knowledge"
)

// Discord's limits on command definitions (docs: "Application Commands").
const (
	maxDescription = 100
	maxChoices     = 25
	maxChoiceName  = 100
)

// autocompleted are the option names whose values are topics, suggested as the user types.
var autocompleted = map[string]bool{"topic": true}

// options are the Discord options of each command the core routes. A command without an entry
// gets the single free-text option its Spec names, so a new core command appears on Discord
// with no change here beyond, at most, an entry in this table.
func options(spec bot.Spec) []*discordgo.ApplicationCommandOption {
	topic := func(required bool, desc string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "topic",
			Description: desc, Required: required, Autocomplete: true, MaxLength: knowledge.MaxQuery}
	}
	switch spec.Name {
	case "explain":
		return []*discordgo.ApplicationCommandOption{topic(true, "A topic or a question, e.g. raft, 2pc, how does raft elect a leader")}
	case "topics":
		choices := make([]*discordgo.ApplicationCommandOptionChoice, 0, len(knowledge.Categories()))
		for _, c := range knowledge.Categories() {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: c.Name, Value: c.ID})
		}
		return []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionString, Name: "category",
			Description: "Only this category's topics", Choices: choices}}
	case "share":
		return []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "url", Description: "The link (http or https)",
				Required: true, MaxLength: knowledge.MaxURL},
			topic(false, "What it is about; guessed from the link and note when left out"),
			{Type: discordgo.ApplicationCommandOptionString, Name: "note", Description: "Why it is worth reading",
				MaxLength: knowledge.MaxNote},
		}
	case "materials":
		minID := 1.0
		return []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "list", Description: "This server's shared links",
				Options: []*discordgo.ApplicationCommandOption{
					topic(false, "Only links on this topic"),
					{Type: discordgo.ApplicationCommandOptionString, Name: "sort", Description: "Order of the list",
						Choices: []*discordgo.ApplicationCommandOptionChoice{
							{Name: "Newest first", Value: "new"}, {Name: "Most upvoted first", Value: "top"}}},
				}},
			{Type: discordgo.ApplicationCommandOptionSubCommand, Name: "remove", Description: "Remove a link you shared (Manage Channels: any link)",
				Options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionInteger, Name: "id", Description: "The link's number, as /materials list shows it",
						Required: true, MinValue: &minID}}},
		}
	}
	if spec.Option == "" {
		return nil
	}
	return []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionString, Name: spec.Option,
		Description: spec.Usage, Required: false}}
}

// Definitions returns the application commands for the commands the core routes: every one but
// Slack's umbrella command, which Discord users do not need (they have /help).
func Definitions(specs []bot.Spec) []*discordgo.ApplicationCommand {
	var defs []*discordgo.ApplicationCommand
	for _, s := range specs {
		if s.Name == "careerbot" {
			continue
		}
		defs = append(defs, &discordgo.ApplicationCommand{
			Type:        discordgo.ChatApplicationCommand,
			Name:        s.Name,
			Description: bot.Shorten(s.Summary, maxDescription),
			Options:     options(s),
		})
	}
	return defs
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

// autocomplete answers the focused option with up to 25 topics ranked by the /explain resolver.
func (a *Adapter) autocomplete(data discordgo.ApplicationCommandInteractionData) *discordgo.InteractionResponse {
	choices := []*discordgo.ApplicationCommandOptionChoice{}
	if o := focused(data.Options); o != nil && autocompleted[o.Name] {
		for _, t := range a.topics.Suggest(optionValue(o), maxChoices) {
			choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: bot.Shorten(t.Title, maxChoiceName), Value: t.ID})
		}
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
		Data: &discordgo.InteractionResponseData{Choices: choices}}
}

// focused finds the option the user is typing, inside subcommands too.
func focused(opts []*discordgo.ApplicationCommandInteractionDataOption) *discordgo.ApplicationCommandInteractionDataOption {
	for _, o := range opts {
		if o.Focused {
			return o
		}
		if f := focused(o.Options); f != nil {
			return f
		}
	}
	return nil
}
