package slack

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/bottest"
)

// TestCommandFromSpecAlone registers a command this package has never heard of and finds it
// in the manifest and in what typed text becomes, with its admin-only form refused to members
// on every route into it.
func TestCommandFromSpecAlone(t *testing.T) {
	rec := &bottest.Recorder{}
	h := newHarness(t, withCommands(func(r *bot.Router) { r.Handle(bottest.Deploy, rec) }))
	h.fake.admins["UADMIN"] = true

	m, err := Manifest(h.adapter.router.Commands(bot.PlatformSlack), "https://bot.example.com", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"command: /deploy",
		"description: Deploy a service, or roll a deployment back.",
		"usage_hint: <service> [staging|production] [replicas N] [note] · rollback <id>",
	} {
		if !strings.Contains(string(m), want) {
			t.Errorf("manifest lacks %q", want)
		}
	}
	if strings.Contains(string(m), "/ship") {
		t.Error("the manifest lists the hidden alias")
	}

	tests := []struct {
		name, user, command, text string
		want                      string // the recorder's summary, or the reply's title when it must not run
	}{
		{"positional, choice alias, named", "U1", "/deploy", "web prod replicas 3 quick fix", "start env=production note=quick fix replicas=3 service=web"},
		{"name:value", "U1", "/deploy", `service:api env:staging note:"two words"`, "start env=staging note=two words service=api"},
		{"alias", "U1", "/ship", "web", "start service=web"},
		{"umbrella", "U1", "/careerbot", "deploy web stage", "start env=staging service=web"},
		{"missing option", "U1", "/deploy", "", "How to use /deploy"},
		{"out of range", "U1", "/deploy", "web replicas 11", "How to use /deploy"},
		{"not a choice", "U1", "/deploy", "web env:moon", "How to use /deploy"},
		{"admin-only, member", "U1", "/deploy", "rollback 7", "Only admins can do that"},
		{"admin-only, member, umbrella", "U1", "/careerbot", "deploy rollback 7", "Only admins can do that"},
		{"admin-only, admin", "UADMIN", "/deploy", "rollback #7", "rollback id=7"},
		{"admin-only, admin, umbrella", "UADMIN", "/careerbot", "ship rollback 8", "rollback id=8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := rec.Last()
			_, body := h.command("T1", tt.user, tt.command, tt.text)
			var msg map[string]any
			if err := json.Unmarshal(body, &msg); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			got := headerText(t, msg)
			if got != tt.want {
				t.Errorf("%s %s: %q, want %q", tt.command, tt.text, got, tt.want)
			}
			if after, _ := rec.Last(); !strings.Contains(tt.want, "=") && bottest.Summary(after) != bottest.Summary(before) {
				t.Errorf("the handler ran: %s", bottest.Summary(after))
			}
		})
	}
}
