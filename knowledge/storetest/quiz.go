package storetest

import (
	"bytes"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/careerbot/careerbot/knowledge"
)

// RunQuiz runs the contract of a knowledge.QuizStore. newStore returns a store for one subtest;
// stores may share their backing server, because every subtest uses workspaces of its own.
func RunQuiz(t *testing.T, newStore func(t *testing.T) knowledge.QuizStore) {
	run := time.Now().UnixNano()
	var n atomic.Int64
	ws := func() string { return fmt.Sprintf("slack:Q%d-%d", run, n.Add(1)) }
	cases := []struct {
		name string
		fn   func(t *testing.T, s knowledge.QuizStore, ws string)
	}{
		{"SeenInOrderOfAsking", testQuizSeenOrder},
		{"AnswerScoresOnce", testQuizAnswerOnce},
		{"ConcurrentAnswersScoreOnce", testQuizConcurrentAnswers},
		{"WorkspacesAndUsersApart", testQuizIsolation},
		{"KeyIsMadeOnce", testQuizKey},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, newStore(t), ws())
		})
	}
}

func seen(t *testing.T, s knowledge.QuizStore, ws, user, topic string) []int {
	t.Helper()
	got, err := s.QuizSeen(ctx, ws, user, topic)
	if err != nil {
		t.Fatalf("QuizSeen: %v", err)
	}
	return got
}

func ask(t *testing.T, s knowledge.QuizStore, ws, user, topic string, n int) {
	t.Helper()
	if err := s.QuizAsk(ctx, ws, user, topic, n, knowledge.QuestionID(topic, n)); err != nil {
		t.Fatalf("QuizAsk: %v", err)
	}
}

func testQuizSeenOrder(t *testing.T, s knowledge.QuizStore, ws string) {
	if got := seen(t, s, ws, "U1", "raft"); len(got) != 0 {
		t.Fatalf("a new user has seen %v", got)
	}
	for _, n := range []int{2, 1, 3, 2} {
		ask(t, s, ws, "U1", "raft", n)
	}
	if got := seen(t, s, ws, "U1", "raft"); !slices.Equal(got, []int{1, 3, 2}) {
		t.Errorf("seen %v, want [1 3 2]: each question once, least recently asked first", got)
	}
	if got := seen(t, s, ws, "U1", "paxos"); len(got) != 0 {
		t.Errorf("another topic has seen %v", got)
	}
}

func testQuizAnswerOnce(t *testing.T, s knowledge.QuizStore, ws string) {
	if ok, err := s.QuizAnswer(ctx, ws, "U1", "raft:1", "consensus", true); err != nil || ok {
		t.Fatalf("answer to a question never asked: scored=%v err=%v", ok, err)
	}
	ask(t, s, ws, "U1", "raft", 1)
	ask(t, s, ws, "U1", "paxos", 2)
	for _, a := range []struct {
		qid   string
		right bool
		want  bool
	}{{"raft:1", true, true}, {"raft:1", true, false}, {"paxos:2", false, true}} {
		ok, err := s.QuizAnswer(ctx, ws, "U1", a.qid, "consensus", a.right)
		if err != nil || ok != a.want {
			t.Errorf("QuizAnswer(%s) = %v, %v; want %v", a.qid, ok, err, a.want)
		}
	}
	scores, err := s.QuizScores(ctx, ws, "U1")
	if err != nil {
		t.Fatal(err)
	}
	if got := scores["consensus"]; got != (knowledge.QuizScore{Answered: 2, Right: 1}) {
		t.Errorf("consensus score %+v, want 2 answered, 1 right", got)
	}
	if len(scores) != 1 {
		t.Errorf("scores %v, want consensus only", scores)
	}
}

func testQuizConcurrentAnswers(t *testing.T, s knowledge.QuizStore, ws string) {
	ask(t, s, ws, "U1", "raft", 1)
	var wg sync.WaitGroup
	var scored atomic.Int64
	for range 8 {
		wg.Go(func() {
			ok, err := s.QuizAnswer(ctx, ws, "U1", "raft:1", "consensus", true)
			if err != nil {
				t.Error(err)
			}
			if ok {
				scored.Add(1)
			}
		})
	}
	wg.Wait()
	if scored.Load() != 1 {
		t.Errorf("%d of 8 concurrent clicks scored, want exactly 1", scored.Load())
	}
}

func testQuizIsolation(t *testing.T, s knowledge.QuizStore, ws string) {
	other := ws + "x"
	ask(t, s, ws, "U1", "raft", 1)
	if got := seen(t, s, other, "U1", "raft"); len(got) != 0 {
		t.Errorf("another workspace sees %v", got)
	}
	if got := seen(t, s, ws, "U2", "raft"); len(got) != 0 {
		t.Errorf("another user sees %v", got)
	}
	if ok, _ := s.QuizAnswer(ctx, other, "U1", "raft:1", "consensus", true); ok {
		t.Error("an answer in another workspace scored")
	}
	if ok, _ := s.QuizAnswer(ctx, ws, "U2", "raft:1", "consensus", true); ok {
		t.Error("another user's answer scored")
	}
	if sc, _ := s.QuizScores(ctx, other, "U1"); len(sc) != 0 {
		t.Errorf("another workspace has scores %v", sc)
	}
}

func testQuizKey(t *testing.T, s knowledge.QuizStore, _ string) {
	a, err := s.QuizKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.QuizKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != knowledge.QuizKeySize || !bytes.Equal(a, b) {
		t.Errorf("keys %x and %x: want one %d-byte key", a, b, knowledge.QuizKeySize)
	}
}
