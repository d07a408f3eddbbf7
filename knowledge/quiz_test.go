package knowledge

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// quizBase is two categories of topics with three questions each.
func quizBase(t testing.TB) *Base {
	t.Helper()
	q := func(i int) Question {
		return Question{Question: "Q?", Options: []string{"w1", "right", "w2"}, Answer: "right", Explanation: "because " + string(rune('0'+i))}
	}
	return New([]Topic{
		{ID: "raft", Title: "Raft", Category: "consensus", Level: "intermediate", Quiz: []Question{q(1), q(2), q(3)}},
		{ID: "paxos", Title: "Paxos", Category: "consensus", Level: "advanced", Quiz: []Question{q(1), q(2), q(3)}},
		{ID: "caching", Title: "Caching", Category: "scalability", Level: "beginner", Quiz: []Question{q(1), q(2), q(3)}},
		{ID: "cdn", Title: "CDN", Category: "scalability", Level: "beginner"},
	})
}

// answerOf splits what a button carries into Answer's arguments.
func answerOf(t *testing.T, carried string) (qid, letter, sig string) {
	t.Helper()
	parts := strings.Fields(carried)
	if len(parts) != 3 {
		t.Fatalf("button carries %q, want qid, letter and signature", carried)
	}
	return parts[0], parts[1], parts[2]
}

// TestQuizNoRepeatBeforeTheOthers asks one topic's three questions ten times: between two
// askings of a question, both others must have been asked.
func TestQuizNoRepeatBeforeTheOthers(t *testing.T) {
	kb := quizBase(t)
	quiz := NewQuiz(kb, NewMemoryQuizStore())
	raft, _ := kb.Topic("raft")
	ctx := context.Background()
	last := map[int]int{} // question -> index of its last asking
	var order []int
	for i := range 10 {
		a, err := quiz.Ask(ctx, "slack:T1", "U1", raft)
		if err != nil {
			t.Fatal(err)
		}
		if prev, ok := last[a.N]; ok {
			between := map[int]bool{}
			for _, n := range order[prev+1:] {
				between[n] = true
			}
			if len(between) != 2 {
				t.Fatalf("question %d came back after only %v: %v", a.N, between, append(order, a.N))
			}
		}
		last[a.N] = i
		order = append(order, a.N)
	}
}

func TestQuizAnswers(t *testing.T) {
	kb := quizBase(t)
	quiz := NewQuiz(kb, NewMemoryQuizStore())
	raft, _ := kb.Topic("raft")
	ctx := context.Background()
	a, err := quiz.Ask(ctx, "slack:T1", "U1", raft)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Answers) != 3 {
		t.Fatalf("%d answers, want one per option", len(a.Answers))
	}
	qid, letter, sig := answerOf(t, a.Answers[1]) // "right"
	wrongQID, wrongLetter, wrongSig := answerOf(t, a.Answers[0])

	forged := []struct {
		name                  string
		ws, user, qid, l, sig string
	}{
		{"letter changed to the right one", "slack:T1", "U1", wrongQID, letter, wrongSig},
		{"signature of another option", "slack:T1", "U1", qid, letter, wrongSig},
		{"question changed", "slack:T1", "U1", "paxos:1", letter, sig},
		{"another user", "slack:T1", "U2", qid, letter, sig},
		{"another workspace", "slack:T2", "U1", qid, letter, sig},
		{"no signature", "slack:T1", "U1", qid, letter, ""},
		{"letter past the options", "slack:T1", "U1", qid, "D", sig},
	}
	for _, f := range forged {
		if _, err := quiz.Answer(ctx, f.ws, f.user, f.qid, f.l, f.sig); !errors.Is(err, ErrForged) {
			t.Errorf("%s: err %v, want ErrForged", f.name, err)
		}
	}
	if _, err := quiz.Answer(ctx, "slack:T1", "bad user id", qid, letter, sig); err == nil {
		t.Error("a malformed user id was accepted")
	}

	r, err := quiz.Answer(ctx, "slack:T1", "U1", qid, letter, sig)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Right || !r.Scored || r.Chosen != 1 {
		t.Errorf("result %+v, want right, scored, option 1", r)
	}
	again, err := quiz.Answer(ctx, "slack:T1", "U1", wrongQID, wrongLetter, wrongSig)
	if err != nil || again.Right || again.Scored {
		t.Errorf("second answer to one question: %+v, %v; want shown wrong and not scored", again, err)
	}
	scores, _ := quiz.Scores(ctx, "slack:T1", "U1")
	if scores["consensus"] != (QuizScore{Answered: 1, Right: 1}) {
		t.Errorf("scores %v, want one right answer in consensus", scores)
	}
}

func TestQuizWeakestCategory(t *testing.T) {
	kb := quizBase(t)
	store := NewMemoryQuizStore()
	quiz := NewQuiz(kb, store)
	ctx := context.Background()
	// Two wrong answers in scalability, one right in consensus: scalability is weaker.
	for _, a := range []struct {
		topic string
		right bool
	}{{"caching", false}, {"caching", false}, {"raft", true}} {
		tp, _ := kb.Topic(a.topic)
		asked, err := quiz.Ask(ctx, "slack:T1", "U1", tp)
		if err != nil {
			t.Fatal(err)
		}
		i := 0 // w1, wrong
		if a.right {
			i = 1
		}
		qid, l, sig := answerOf(t, asked.Answers[i])
		if _, err := quiz.Answer(ctx, "slack:T1", "U1", qid, l, sig); err != nil {
			t.Fatal(err)
		}
	}
	for range 20 {
		a, err := quiz.Ask(ctx, "slack:T1", "U1", nil)
		if err != nil {
			t.Fatal(err)
		}
		if a.Topic.ID != "caching" {
			t.Fatalf("picked %s, want a topic of the weakest category (scalability) that has questions", a.Topic.ID)
		}
	}
	cdn, _ := kb.Topic("cdn")
	if _, err := quiz.Ask(ctx, "slack:T1", "U1", cdn); !errors.Is(err, ErrNoQuestions) {
		t.Errorf("a topic without questions: %v, want ErrNoQuestions", err)
	}
}

func TestWeakestPrefersUntriedOverStrong(t *testing.T) {
	byCat := map[string][]*Topic{"consensus": {{ID: "raft"}}, "scalability": {{ID: "caching"}}}
	scores := map[string]QuizScore{"consensus": {Answered: 4, Right: 4}}
	for range 10 {
		if got := weakest(byCat, scores); got != "scalability" {
			t.Fatalf("weakest = %s, want the untried scalability over a perfect consensus", got)
		}
	}
}

// FuzzQuizAnswer feeds answers of any shape: none may panic, and none but a signature careerbot
// made may count.
func FuzzQuizAnswer(f *testing.F) {
	kb := quizBase(f)
	quiz := NewQuiz(kb, NewMemoryQuizStore())
	raft, _ := kb.Topic("raft")
	a, err := quiz.Ask(context.Background(), "slack:T1", "U1", raft)
	if err != nil {
		f.Fatal(err)
	}
	for _, carried := range a.Answers {
		parts := strings.Fields(carried)
		f.Add(parts[0], parts[1], parts[2])
	}
	f.Add("raft:0", "A", "")
	f.Add("raft:99999999999999999999", "\xff", "zz")
	f.Add(":", "", strings.Repeat("a", 1000))
	f.Fuzz(func(t *testing.T, qid, letter, sig string) {
		r, err := quiz.Answer(context.Background(), "slack:T1", "U1", qid, letter, sig)
		if err != nil {
			return
		}
		if sig != sign(quiz.key, "slack:T1", "U1", qid, letter) && sig != strings.ToUpper(sign(quiz.key, "slack:T1", "U1", qid, letter)) {
			t.Errorf("answer %q %q %q without careerbot's signature was accepted: %+v", qid, letter, sig, r)
		}
	})
}

// TestBuiltinQuizzes: every built-in question has 3 or 4 distinct options of which exactly one
// is the answer, and at least 100 topics have 2 questions or more.
func TestBuiltinQuizzes(t *testing.T) {
	kb := builtin(t)
	withTwo := 0
	for _, tp := range kb.Topics() {
		if len(tp.Quiz) >= 2 {
			withTwo++
		}
		for i, q := range tp.Quiz {
			right := 0
			seen := map[string]bool{}
			for _, o := range q.Options {
				if o == q.Answer {
					right++
				}
				if seen[o] {
					t.Errorf("%s question %d: option %q twice", tp.ID, i+1, o)
				}
				seen[o] = true
			}
			if right != 1 || len(q.Options) < 3 || len(q.Options) > 4 || q.Explanation == "" {
				t.Errorf("%s question %d: %d options, %d right, explanation %q", tp.ID, i+1, len(q.Options), right, q.Explanation)
			}
		}
	}
	t.Logf("%d topics with at least 2 questions", withTwo)
	if withTwo < 100 {
		t.Errorf("%d topics have at least 2 questions, want at least 100", withTwo)
	}
}
