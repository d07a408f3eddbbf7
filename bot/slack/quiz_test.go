package slack

import (
	"encoding/json"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/study"
	"github.com/careerbot/careerbot/knowledge"
)

// TestQuizThroughSlack asks /quiz as a slash command and answers with the button's value as
// Slack sends it back: the real value is scored, a forged one is refused, and the verdict comes
// with the explanation.
func TestQuizThroughSlack(t *testing.T) {
	kb, err := knowledge.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, withCommands(func(r *bot.Router) {
		study.RegisterQuiz(r, kb, knowledge.NewMemoryQuizStore(), slog.New(slog.DiscardHandler))
	}))
	code, body := h.command("T1", "U1", "/quiz", "acid")
	if code != 200 {
		t.Fatalf("status %d: %s", code, body)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil || headerText(t, m) != "Quiz: ACID transactions" {
		t.Fatalf("header %q (%v): %s", headerText(t, m), err, body)
	}
	values := regexp.MustCompile(`"value":"(answer [^"]+)"`).FindAllStringSubmatch(string(body), -1)
	if len(values) < 3 {
		t.Fatalf("%d answer buttons: %s", len(values), body)
	}
	real := values[0][1]
	parts := strings.Fields(real) // answer <qid> <letter> <signature>
	forged := strings.Join([]string{parts[0], parts[1], "B", parts[3]}, " ")

	h.do(h.signed("/slack/interactions", "application/x-www-form-urlencoded", interaction(forged, h.fake.ResponseURL("i1"))))
	h.do(h.signed("/slack/interactions", "application/x-www-form-urlencoded", interaction(real, h.fake.ResponseURL("i2"))))
	h.settle()
	var refused, answered bool
	for _, r := range h.fake.Responses() {
		raw, _ := json.Marshal(r)
		switch headerText(t, r) {
		case "That answer cannot be checked":
			refused = true
		case "Right", "Not quite":
			answered = strings.Contains(string(raw), "You chose *A.*") && strings.Contains(string(raw), "Why")
		}
	}
	if !refused || !answered {
		t.Errorf("forged answer refused %v, real answer shown with its explanation %v: %v", refused, answered, h.fake.Responses())
	}
}
