package discord

import (
	"encoding/json"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/bottest"
)

// TestCommandFromSpecAlone registers a command this package has never heard of and finds it
// in the registration JSON and in what Discord's options become, with its admin-only form
// refused to members without Manage Channels.
func TestCommandFromSpecAlone(t *testing.T) {
	rec := &bottest.Recorder{}
	h := newHarness(t, 0, func(r *bot.Router) { r.Handle(bottest.Deploy, rec) })

	raw, err := json.Marshal(Definitions(h.adapter.router.Commands(bot.PlatformDiscord)))
	if err != nil {
		t.Fatal(err)
	}
	var defs []map[string]any
	if err := json.Unmarshal(raw, &defs); err != nil {
		t.Fatal(err)
	}
	var deploy map[string]any
	for _, d := range defs {
		checkCommand(t, d["name"].(string), d)
		if d["name"] == "deploy" {
			deploy = d
		}
		if d["name"] == "ship" {
			t.Error("the hidden alias is registered")
		}
	}
	if deploy == nil {
		t.Fatal("deploy is not registered")
	}
	// The typed definition, as `careerbot discord register` sends it.
	var def *discordgo.ApplicationCommand
	for _, d := range Definitions(h.adapter.router.Commands(bot.PlatformDiscord)) {
		if d.Name == "deploy" {
			def = d
		}
	}
	if len(def.Options) != 2 {
		t.Fatalf("deploy has %d options, want its 2 subcommands", len(def.Options))
	}
	start, rollback := def.Options[0], def.Options[1]
	if start.Type != discordgo.ApplicationCommandOptionSubCommand || start.Name != "start" || len(start.Options) != 4 ||
		rollback.Type != discordgo.ApplicationCommandOptionSubCommand || rollback.Name != "rollback" || len(rollback.Options) != 1 {
		t.Fatalf("subcommands %+v %+v", start, rollback)
	}
	service, env, replicas, id := start.Options[0], start.Options[1], start.Options[2], rollback.Options[0]
	switch {
	case service.Type != discordgo.ApplicationCommandOptionString || !service.Required || service.MaxLength != 20:
		t.Errorf("service %+v", service)
	case len(env.Choices) != 2 || env.Choices[1].Value != "production" || env.Required:
		t.Errorf("env %+v", env)
	case replicas.Type != discordgo.ApplicationCommandOptionInteger || replicas.MinValue == nil || *replicas.MinValue != 1 || replicas.MaxValue != 10:
		t.Errorf("replicas %+v", replicas)
	case id.Type != discordgo.ApplicationCommandOptionInteger || !id.Required:
		t.Errorf("id %+v", id)
	}

	const manage = memberPerms | discordgo.PermissionManageChannels
	tests := []struct {
		name  string
		data  map[string]any
		perms int64
		want  string
	}{
		{"options by name", slashCmd("deploy", sub("start", opt("service", discordgo.ApplicationCommandOptionString, "web"),
			opt("env", discordgo.ApplicationCommandOptionString, "production"), opt("replicas", discordgo.ApplicationCommandOptionInteger, 3))),
			memberPerms, "start env=production replicas=3 service=web"},
		{"required option missing", slashCmd("deploy", sub("start")), memberPerms, "How to use /deploy"},
		{"value out of range", slashCmd("deploy", sub("start", opt("service", discordgo.ApplicationCommandOptionString, "web"),
			opt("replicas", discordgo.ApplicationCommandOptionInteger, 99))), memberPerms, "How to use /deploy"},
		{"admin-only, member", slashCmd("deploy", sub("rollback", opt("id", discordgo.ApplicationCommandOptionInteger, 7))), memberPerms, "Only admins can do that"},
		{"admin-only, Manage Channels", slashCmd("deploy", sub("rollback", opt("id", discordgo.ApplicationCommandOptionInteger, 7))), manage, "rollback id=7"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := h.post(interaction(discordgo.InteractionApplicationCommand, tt.data, member("U1", tt.perms)), nil, nil)
			if code != 200 {
				t.Fatalf("HTTP %d: %s", code, body)
			}
			if got := embedTitle(decode(t, body)); got != tt.want {
				t.Errorf("%q, want %q", got, tt.want)
			}
		})
	}
	// A button of the command runs through the same checks.
	code, body := h.post(interaction(discordgo.InteractionMessageComponent,
		map[string]any{"custom_id": CustomIDPrefix + "ship rollback 9", "component_type": 2}, member("U1", memberPerms)), nil, nil)
	if got := embedTitle(decode(t, body)); code != 200 || got != "Only admins can do that" {
		t.Errorf("a member's rollback button: %d %q", code, got)
	}
}
