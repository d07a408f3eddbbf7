package discord

import (
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/study"
	"github.com/careerbot/careerbot/knowledge"
)

// TestQuizThroughDiscord asks /quiz topic:acid and answers with the custom_id Discord sends back
// for a click: the real one is checked and explained, a forged one and another member's click
// are refused.
func TestQuizThroughDiscord(t *testing.T) {
	kb, err := knowledge.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, 0, func(r *bot.Router) {
		study.RegisterQuiz(r, kb, knowledge.NewMemoryQuizStore(), slog.New(slog.DiscardHandler))
	})
	_, raw := h.post(interaction(discordgo.InteractionApplicationCommand,
		slashCmd("quiz", opt("topic", discordgo.ApplicationCommandOptionString, "acid")), member("U1", memberPerms)), nil, nil)
	r := decode(t, raw)
	if embedTitle(r) != "Quiz: ACID transactions" || r.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Fatalf("question: %q flags %d", embedTitle(r), r.Data.Flags)
	}
	ids := regexp.MustCompile(`"custom_id":"(cb:answer [^"]+)"`).FindAllStringSubmatch(string(raw), -1)
	if len(ids) < 3 {
		t.Fatalf("%d answer buttons: %s", len(ids), raw)
	}
	click := func(customID, user string) string {
		_, raw := h.post(interaction(discordgo.InteractionMessageComponent,
			map[string]any{"custom_id": customID, "component_type": 2}, member(user, memberPerms)), nil, nil)
		return embedTitle(decode(t, raw))
	}
	parts := strings.Fields(ids[0][1]) // cb:answer <qid> <letter> <signature>
	forged := strings.Join([]string{parts[0], parts[1], "C", parts[3]}, " ")
	if got := click(forged, "U1"); got != "That answer cannot be checked" {
		t.Errorf("forged answer: %q", got)
	}
	if got := click(ids[0][1], "U2"); got != "That answer cannot be checked" {
		t.Errorf("another member's click: %q", got)
	}
	if got := click(ids[0][1], "U1"); got != "Right" && got != "Not quite" {
		t.Errorf("the asker's click: %q", got)
	}
}
