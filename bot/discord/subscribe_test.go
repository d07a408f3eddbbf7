package discord

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/career"
	"github.com/careerbot/careerbot/jobs"
	"github.com/careerbot/careerbot/jobs/storetest"
)

// TestSubscribeNeedsManageChannels: /jobs subscribe is refused to a member without Manage
// Channels, from the permissions Discord signs, and allowed with them; without Send Messages
// for the bot (app_permissions) nothing is stored and the admin is told why.
func TestSubscribeNeedsManageChannels(t *testing.T) {
	st := storetest.Embedded(t).(interface {
		jobs.Store
		jobs.SubscriptionStore
		jobs.DeliveryQueue
	})
	h := newHarness(t, 0, func(r *bot.Router) {
		career.Register(r, &career.Jobs{Catalog: jobs.NewCatalog(), Subs: st, Queue: st, Openings: st, Now: time.Now})
	})
	subscribe := func(m map[string]any, appPerms int64) string {
		body := interaction(discordgo.InteractionApplicationCommand,
			slashCmd("jobs", sub("subscribe", opt("query", discordgo.ApplicationCommandOptionString, "kafka remote:yes"))), m)
		if appPerms >= 0 {
			body = withAppPermissions(t, body, appPerms)
		}
		_, raw := h.post(body, nil, nil)
		return embedTitle(decode(t, raw))
	}
	if got := subscribe(member("UB", memberPerms), -1); got != "Only admins can do that" {
		t.Errorf("member without Manage Channels: %q", got)
	}
	admin := member("UC", memberPerms|discordgo.PermissionManageChannels)
	if got := subscribe(admin, discordgo.PermissionViewChannel); got != "careerbot cannot post in this channel yet" {
		t.Errorf("without Send Messages: %q", got)
	}
	if got := subscribe(admin, -1); got != "Subscribed: kafka remote:yes" {
		t.Errorf("admin: %q", got)
	}
}

// withAppPermissions replaces the bot's permissions in an interaction payload.
func withAppPermissions(t *testing.T, body string, perms int64) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	m["app_permissions"] = strconv.FormatInt(perms, 10)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
