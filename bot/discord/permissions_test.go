package discord

import (
	"context"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestPostCheck: a command's PostCheck answers from the bot's permissions in the channel
// (app_permissions), naming what is missing.
func TestPostCheck(t *testing.T) {
	t.Parallel()
	const (
		view  = discordgo.PermissionViewChannel
		send  = discordgo.PermissionSendMessages
		embed = discordgo.PermissionEmbedLinks
	)
	cases := []struct {
		name  string
		guild string
		perms int64
		want  string
	}{
		{"all present", "G1", view | send | embed | discordgo.PermissionReadMessageHistory, ""},
		{"missing Send Messages", "G1", view | embed,
			"careerbot may not post here: give it the Send Messages permission in this channel."},
		{"missing Embed Links", "G1", view | send,
			"careerbot may not post here: give it the Embed Links permission in this channel."},
		{"missing Send Messages and Embed Links", "G1", view,
			"careerbot may not post here: give it the Send Messages and Embed Links permissions in this channel."},
		{"nothing (or app_permissions absent) in a guild", "G1", 0,
			"careerbot may not post here: give it the View Channel, Send Messages and Embed Links permissions in this channel."},
		{"Administrator", "G1", discordgo.PermissionAdministrator, ""},
		{"direct message", "", 0, ""},
	}
	data := discordgo.ApplicationCommandInteractionData{Name: "any"}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			in := &discordgo.Interaction{GuildID: c.guild, ChannelID: "C1", AppPermissions: c.perms,
				Member: &discordgo.Member{User: &discordgo.User{ID: "U1"}}}
			cmd := command(in, data)
			if cmd.PostCheck == nil {
				t.Fatal("no PostCheck")
			}
			if got := cmd.PostCheck(context.Background()); got != c.want {
				t.Errorf("PostCheck = %q, want %q", got, c.want)
			}
		})
	}
}

// TestPostCheckOverHTTP: app_permissions as Discord sends it (a string bitfield) reaches
// PostCheck through the HTTP interaction decoding.
func TestPostCheckOverHTTP(t *testing.T) {
	t.Parallel()
	body := interaction(discordgo.InteractionApplicationCommand, slashCmd("any"), member("U1", memberPerms))
	body = strings.Replace(body, `"app_permissions":"1125899906842623"`,
		`"app_permissions":"1024"`, 1) // View Channel only
	in, err := decodeInteraction([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := in.Data.(discordgo.ApplicationCommandInteractionData)
	got := command(in, data).PostCheck(context.Background())
	if want := "careerbot may not post here: give it the Send Messages and Embed Links permissions in this channel."; got != want {
		t.Errorf("PostCheck = %q, want %q", got, want)
	}
}
