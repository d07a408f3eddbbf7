package study

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/knowledge"
)

// quizRouter routes /quiz over two topics with two questions each.
func quizRouter(t *testing.T) *bot.Router {
	t.Helper()
	q := func(text string) knowledge.Question {
		return knowledge.Question{Question: text, Options: []string{"Wrong one", "Right one", "Wrong two"},
			Answer: "Right one", Explanation: "Because the second option is right."}
	}
	kb := knowledge.New([]knowledge.Topic{
		{ID: "raft", Title: "Raft", Category: "consensus", Level: "intermediate", Related: []string{"paxos"},
			Quiz: []knowledge.Question{q("Raft one?"), q("Raft two?")}},
		{ID: "paxos", Title: "Paxos", Category: "consensus", Level: "advanced", Related: []string{"raft"},
			Quiz: []knowledge.Question{q("Paxos one?"), q("Paxos two?")}},
		{ID: "cdn", Title: "CDN", Category: "scalability", Level: "beginner", Related: []string{"raft"}},
	})
	r := bot.NewRouter(slog.New(slog.DiscardHandler), nil)
	RegisterQuiz(r, kb, knowledge.NewMemoryQuizStore(), slog.New(slog.DiscardHandler))
	return r
}

func quizAs(r *bot.Router, user, line string) bot.Reply {
	name, text, _ := bot.Parse(line)
	return r.Dispatch(context.Background(), bot.Command{Platform: bot.PlatformSlack, Workspace: "T1", User: user, Name: name, Text: text}).Full()
}

func click(r *bot.Router, user string, b bot.Button) bot.Reply {
	return r.Dispatch(context.Background(), b.Action.For(bot.Command{Platform: bot.PlatformSlack, Workspace: "T1", User: user})).Full()
}

func TestQuizAskAndAnswer(t *testing.T) {
	r := quizRouter(t)
	q := quizAs(r, "U1", "quiz raft")
	if q.Title != "Quiz: Raft" || !strings.HasPrefix(q.Text, "Raft ") {
		t.Fatalf("title %q text %q", q.Title, q.Text)
	}
	if len(q.Buttons) != 3 || q.Buttons[0].Label != "A" || q.Buttons[2].Label != "C" {
		t.Fatalf("buttons %+v, want A, B, C", q.Buttons)
	}
	if !strings.Contains(q.Sections[0].Body, "**B.** Right one") {
		t.Errorf("options not listed: %q", q.Sections[0].Body)
	}
	if q.Visibility != bot.Ephemeral {
		t.Error("a quiz question must be ephemeral")
	}

	// Someone else pressing the asker's button (a copied value) is refused.
	if got := click(r, "U2", q.Buttons[1]); !got.NotFound || got.Title != "That answer cannot be checked" {
		t.Errorf("another user's click: %q", got.Title)
	}
	// A forged value: the right letter with the signature of a wrong option.
	wrong := strings.Fields(q.Buttons[0].Action.Args)
	forged := bot.Button{Action: bot.Action{Command: "answer", Args: wrong[0] + " B " + wrong[2]}}
	if got := click(r, "U1", forged); got.Title != "That answer cannot be checked" {
		t.Errorf("forged answer: %q", got.Title)
	}
	if got := quizAs(r, "U1", "answer raft:1 B 0123456789abcdef0123"); got.Title != "That answer cannot be checked" {
		t.Errorf("typed answer: %q", got.Title)
	}

	got := click(r, "U1", q.Buttons[1])
	if got.Title != "Right" || !strings.Contains(got.Text, "The answer is **B.** Right one") {
		t.Errorf("right answer: %q / %q", got.Title, got.Text)
	}
	if len(got.Sections) == 0 || got.Sections[0].Body != "Because the second option is right." {
		t.Errorf("no explanation after the answer: %+v", got.Sections)
	}
	again := click(r, "U1", q.Buttons[0])
	if again.Title != "Not quite" || !strings.Contains(again.Footer, "counts once") {
		t.Errorf("second click: %q / %q", again.Title, again.Footer)
	}
}

func TestQuizDoesNotRepeatBeforeTheOthers(t *testing.T) {
	r := quizRouter(t)
	first := quizAs(r, "U1", "quiz raft").Text
	second := quizAs(r, "U1", "quiz raft").Text
	if first == second {
		t.Errorf("the same question twice in a row: %q", first)
	}
	if third := quizAs(r, "U1", "quiz raft").Text; third != first {
		t.Errorf("third question %q, want the least recently asked %q", third, first)
	}
}

func TestQuizWithoutTopicUsesWeakestCategory(t *testing.T) {
	r := quizRouter(t)
	got := quizAs(r, "U1", "quiz")
	if !strings.HasPrefix(got.Title, "Quiz: ") || !strings.Contains(got.Footer, "weakest category, Consensus and coordination") {
		t.Errorf("title %q footer %q", got.Title, got.Footer)
	}
}

func TestQuizWithoutQuestions(t *testing.T) {
	r := quizRouter(t)
	got := quizAs(r, "U1", "quiz cdn")
	if !got.NotFound || got.Title != "No quiz on CDN yet" {
		t.Fatalf("title %q", got.Title)
	}
	if len(got.Buttons) != 1 || got.Buttons[0].Action != (bot.Action{Command: "quiz", Args: "raft"}) {
		t.Errorf("buttons %+v, want a quiz on the related raft", got.Buttons)
	}
	if got := quizAs(r, "U1", "quiz banana bread"); !got.NotFound {
		t.Errorf("unknown topic: %q", got.Title)
	}
}

// TestQuizButtonsFitDiscord asks every built-in question once: each answer button's encoded
// action, after Discord's 3-character prefix, fits Discord's 100-character custom_id.
func TestQuizButtonsFitDiscord(t *testing.T) {
	kb, err := knowledge.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	r := bot.NewRouter(slog.New(slog.DiscardHandler), nil)
	RegisterQuiz(r, kb, knowledge.NewMemoryQuizStore(), slog.New(slog.DiscardHandler))
	asked := 0
	for _, tp := range kb.Topics() {
		for range tp.Quiz {
			got := quizAs(r, "U1", "quiz "+tp.ID)
			if len(got.Buttons) < 3 {
				t.Fatalf("quiz %s: %d buttons: %q", tp.ID, len(got.Buttons), got.Title)
			}
			for _, b := range got.Buttons {
				if n := len(b.Action.Encode()); n > 97 {
					t.Errorf("quiz %s: button value of %d bytes does not fit Discord's custom_id", tp.ID, n)
				}
			}
			asked++
		}
	}
	if asked < 200 {
		t.Errorf("%d questions in the knowledge base, want at least 2 on each of 100 topics", asked)
	}
}

// brokenQuizStore fails every call, as a store does while Redis is down.
type brokenQuizStore struct{}

var errDown = errors.New("connection refused")

func (brokenQuizStore) QuizSeen(context.Context, string, string, string) ([]int, error) {
	return nil, errDown
}
func (brokenQuizStore) QuizAsk(context.Context, string, string, string, int, string) error {
	return errDown
}
func (brokenQuizStore) QuizAnswer(context.Context, string, string, string, string, bool) (bool, error) {
	return false, errDown
}
func (brokenQuizStore) QuizScores(context.Context, string, string) (map[string]knowledge.QuizScore, error) {
	return nil, errDown
}
func (brokenQuizStore) QuizKey(context.Context) ([]byte, error) { return nil, errDown }

func TestQuizWhileTheStoreIsDown(t *testing.T) {
	kb, err := knowledge.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	r := bot.NewRouter(slog.New(slog.DiscardHandler), nil)
	RegisterQuiz(r, kb, brokenQuizStore{}, slog.New(slog.DiscardHandler))
	for _, line := range []string{"quiz raft", "quiz", "answer raft:1 A 0123456789abcdef0123"} {
		if got := quizAs(r, "U1", line); got.Title != "Storage is unavailable" {
			t.Errorf("%s: %q, want the storage-unavailable answer", line, got.Title)
		}
	}
}
