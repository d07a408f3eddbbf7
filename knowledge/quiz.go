package knowledge

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// QuizScore is how a user has done in one category: questions answered and answered right.
type QuizScore struct {
	Answered int
	Right    int
}

// QuizStore keeps every user's quiz state, per workspace: the order in which they were last
// asked each of a topic's questions, which questions are open (asked, not yet answered), and
// their score per category. Nothing of one workspace is visible from another, and each method
// is atomic.
type QuizStore interface {
	// QuizSeen returns the numbers of the topic's questions the user has been asked, each once,
	// least recently asked first.
	QuizSeen(ctx context.Context, workspace, user, topic string) ([]int, error)
	// QuizAsk records that question n of topic was put to the user: n moves to the end of the
	// seen order, and question id qid becomes open, the one an answer can score.
	QuizAsk(ctx context.Context, workspace, user, topic string, n int, qid string) error
	// QuizAnswer closes open question qid and adds the result to category's score. It returns
	// false, recording nothing, when qid is not open: answered already, or never asked.
	QuizAnswer(ctx context.Context, workspace, user, qid, category string, right bool) (scored bool, err error)
	// QuizScores returns the user's score in every category they have answered in.
	QuizScores(ctx context.Context, workspace, user string) (map[string]QuizScore, error)
	// QuizKey returns the key that signs answer buttons: made once, at random, then shared by
	// every process on the store, so any replica can check a button another one sent.
	QuizKey(ctx context.Context) ([]byte, error)
}

// QuizKeySize is the length of the key that signs answer buttons.
const QuizKeySize = 32

// ErrForged is returned for an answer whose signature does not check: not a button careerbot
// made for this user in this workspace, or one whose question or option was changed.
var ErrForged = errors.New("that answer was not a button careerbot made for you")

// ErrNoQuestions is returned when a topic, or the whole base, has no quiz questions.
var ErrNoQuestions = errors.New("no quiz questions")

// userPattern is what a platform user id may look like in store keys.
var userPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// CheckUser returns an error for a user id that cannot name quiz state.
func CheckUser(user string) error {
	if !userPattern.MatchString(user) {
		return fmt.Errorf("user id %q is not a platform user id", user)
	}
	return nil
}

// Quiz asks questions from a Base and scores answers, with state in a QuizStore.
type Quiz struct {
	kb    *Base
	store QuizStore

	mu  sync.Mutex
	key []byte // from the store, read once it is first needed
}

// NewQuiz returns a quiz over kb's questions with state in store.
func NewQuiz(kb *Base, store QuizStore) *Quiz { return &Quiz{kb: kb, store: store} }

// Asked is a question put to a user, with the signed answer for each of its options.
type Asked struct {
	Topic    *Topic
	N        int // 1-based number of the question within its topic
	Question Question
	// Answers holds, for each option, what its button carries: "<qid> <letter> <signature>".
	Answers []string
}

// QID is the question's id: "raft:2".
func (a Asked) QID() string { return QuestionID(a.Topic.ID, a.N) }

// QuestionID names question n of a topic.
func QuestionID(topic string, n int) string { return topic + ":" + strconv.Itoa(n) }

// Letter is the label of option i: A, B, C, D.
func Letter(i int) string { return string(rune('A' + i)) }

// Ask picks the next question for the user and records it as asked. With a topic, it is one of
// that topic's questions the user has never been asked or, once they have seen them all, the
// one asked least recently, so no question comes back before all the topic's others have been
// asked since; without, the topic is drawn from the user's weakest category (see weakest).
func (q *Quiz) Ask(ctx context.Context, workspace, user string, topic *Topic) (Asked, error) {
	if err := CheckUser(user); err != nil {
		return Asked{}, err
	}
	if topic == nil {
		t, err := q.pickTopic(ctx, workspace, user)
		if err != nil {
			return Asked{}, err
		}
		topic = t
	}
	if len(topic.Quiz) == 0 {
		return Asked{}, fmt.Errorf("%s: %w", topic.ID, ErrNoQuestions)
	}
	seen, err := q.store.QuizSeen(ctx, workspace, user, topic.ID)
	if err != nil {
		return Asked{}, fmt.Errorf("quiz state: %w", err)
	}
	n := next(len(topic.Quiz), seen)
	a := Asked{Topic: topic, N: n, Question: topic.Quiz[n-1]}
	key, err := q.signingKey(ctx)
	if err != nil {
		return Asked{}, err
	}
	for i := range a.Question.Options {
		letter := Letter(i)
		a.Answers = append(a.Answers, a.QID()+" "+letter+" "+sign(key, workspace, user, a.QID(), letter))
	}
	if err := q.store.QuizAsk(ctx, workspace, user, topic.ID, n, a.QID()); err != nil {
		return Asked{}, fmt.Errorf("quiz state: %w", err)
	}
	return a, nil
}

// next picks which of a topic's total questions to ask, given the numbers asked so far, least
// recently first: one never asked, at random, or else the least recently asked.
func next(total int, seen []int) int {
	asked := make(map[int]bool, len(seen))
	for _, n := range seen {
		asked[n] = true
	}
	var fresh []int
	for n := 1; n <= total; n++ {
		if !asked[n] {
			fresh = append(fresh, n)
		}
	}
	if len(fresh) > 0 {
		return fresh[randN(len(fresh))]
	}
	for _, n := range seen {
		if n >= 1 && n <= total {
			return n
		}
	}
	return 1
}

// Result is the outcome of an answer.
type Result struct {
	Topic    *Topic
	N        int
	Question Question
	Chosen   int  // index of the option chosen
	Right    bool // the chosen option is the answer
	// Scored is false when the question was not open: answered before, or the button is from
	// a question the store no longer remembers. The answer is still shown, but not counted.
	Scored bool
}

// Answer checks an answer a button carried (qid, letter, signature, as Asked.Answers has them)
// and records it. A signature that does not check is ErrForged, and nothing is recorded.
func (q *Quiz) Answer(ctx context.Context, workspace, user, qid, letter, signature string) (Result, error) {
	if err := CheckUser(user); err != nil {
		return Result{}, err
	}
	key, err := q.signingKey(ctx)
	if err != nil {
		return Result{}, err
	}
	want := sign(key, workspace, user, qid, letter)
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(signature))) {
		return Result{}, ErrForged
	}
	// The signature covers qid and letter, so from here on both are ones careerbot wrote; a
	// question removed from the base since then is still refused, not trusted.
	id, num, ok := strings.Cut(qid, ":")
	n, err := strconv.Atoi(num)
	t, found := q.kb.Topic(id)
	if !ok || err != nil || !found || n < 1 || n > len(t.Quiz) || len(letter) != 1 {
		return Result{}, ErrForged
	}
	question := t.Quiz[n-1]
	chosen := int(letter[0] - 'A')
	if chosen < 0 || chosen >= len(question.Options) {
		return Result{}, ErrForged
	}
	r := Result{Topic: t, N: n, Question: question, Chosen: chosen, Right: chosen == question.Correct()}
	r.Scored, err = q.store.QuizAnswer(ctx, workspace, user, qid, t.Category, r.Right)
	if err != nil {
		return Result{}, fmt.Errorf("quiz state: %w", err)
	}
	return r, nil
}

// Scores returns the user's score per category.
func (q *Quiz) Scores(ctx context.Context, workspace, user string) (map[string]QuizScore, error) {
	if err := CheckUser(user); err != nil {
		return nil, err
	}
	return q.store.QuizScores(ctx, workspace, user)
}

// pickTopic draws a topic with questions from the user's weakest category.
func (q *Quiz) pickTopic(ctx context.Context, workspace, user string) (*Topic, error) {
	scores, err := q.store.QuizScores(ctx, workspace, user)
	if err != nil {
		return nil, fmt.Errorf("quiz state: %w", err)
	}
	byCategory := make(map[string][]*Topic)
	for _, t := range q.kb.topics {
		if len(t.Quiz) > 0 {
			byCategory[t.Category] = append(byCategory[t.Category], t)
		}
	}
	cat := weakest(byCategory, scores)
	if cat == "" {
		return nil, ErrNoQuestions
	}
	ts := byCategory[cat]
	return ts[randN(len(ts))], nil
}

// weakest returns the category, among those with questions, where the user's share of right
// answers is lowest, counting one right and one wrong answer in every category beforehand so
// that a category never tried (one half) ranks below one mostly answered right and above one
// mostly answered wrong. Ties are broken at random.
func weakest(byCategory map[string][]*Topic, scores map[string]QuizScore) string {
	var (
		lowest []string
		worst  = 2.0
	)
	for _, c := range categories {
		if len(byCategory[c.ID]) == 0 {
			continue
		}
		s := scores[c.ID]
		share := float64(s.Right+1) / float64(s.Answered+2)
		switch {
		case share < worst-1e-9:
			worst, lowest = share, []string{c.ID}
		case share < worst+1e-9:
			lowest = append(lowest, c.ID)
		}
	}
	if len(lowest) == 0 {
		return ""
	}
	return lowest[randN(len(lowest))]
}

// signingKey reads the store's key once; a failure is retried on the next call.
func (q *Quiz) signingKey(ctx context.Context) ([]byte, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.key != nil {
		return q.key, nil
	}
	key, err := q.store.QuizKey(ctx)
	if err != nil {
		return nil, fmt.Errorf("quiz key: %w", err)
	}
	if len(key) < QuizKeySize {
		return nil, fmt.Errorf("quiz key is %d bytes, want %d", len(key), QuizKeySize)
	}
	q.key = key
	return key, nil
}

// signatureSize is the hex length of an answer's signature: 80 bits of HMAC-SHA256.
const signatureSize = 20

// sign is the signature of one answer by one user in one workspace.
func sign(key []byte, workspace, user, qid, letter string) string {
	m := hmac.New(sha256.New, key)
	for _, part := range []string{workspace, user, qid, letter} {
		m.Write([]byte(part))
		m.Write([]byte{0})
	}
	return hex.EncodeToString(m.Sum(nil))[:signatureSize]
}

// NewQuizKey returns a fresh random signing key, for stores creating theirs.
func NewQuizKey() []byte {
	key := make([]byte, QuizKeySize)
	rand.Read(key) // never fails (crypto/rand's documented guarantee since Go 1.24)
	return key
}

// randN returns a uniform random int in [0, n); n must be positive.
func randN(n int) int { return mrand.IntN(n) }
