package knowledge

import (
	"context"
	"slices"
	"sync"
)

// MemoryQuizStore is a QuizStore in memory, for the terminal, where one process asks and
// answers and nothing needs to outlive it.
type MemoryQuizStore struct {
	mu     sync.Mutex
	seen   map[string][]int // workspace, user, topic
	open   map[string]bool  // workspace, user, qid
	scores map[string]map[string]QuizScore
	key    []byte
}

// NewMemoryQuizStore returns an empty store with a fresh key.
func NewMemoryQuizStore() *MemoryQuizStore {
	return &MemoryQuizStore{
		seen:   make(map[string][]int),
		open:   make(map[string]bool),
		scores: make(map[string]map[string]QuizScore),
		key:    NewQuizKey(),
	}
}

func memKey(parts ...string) string {
	var b []byte
	for _, p := range parts {
		b = append(append(b, p...), 0)
	}
	return string(b)
}

// QuizSeen implements QuizStore.
func (m *MemoryQuizStore) QuizSeen(ctx context.Context, ws, user, topic string) ([]int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.seen[memKey(ws, user, topic)]), ctx.Err()
}

// QuizAsk implements QuizStore.
func (m *MemoryQuizStore) QuizAsk(ctx context.Context, ws, user, topic string, n int, qid string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	k := memKey(ws, user, topic)
	m.seen[k] = append(slices.DeleteFunc(m.seen[k], func(x int) bool { return x == n }), n)
	m.open[memKey(ws, user, qid)] = true
	return nil
}

// QuizAnswer implements QuizStore.
func (m *MemoryQuizStore) QuizAnswer(ctx context.Context, ws, user, qid, category string, right bool) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	k := memKey(ws, user, qid)
	if !m.open[k] {
		return false, nil
	}
	delete(m.open, k)
	uk := memKey(ws, user)
	if m.scores[uk] == nil {
		m.scores[uk] = make(map[string]QuizScore)
	}
	s := m.scores[uk][category]
	s.Answered++
	if right {
		s.Right++
	}
	m.scores[uk][category] = s
	return true, nil
}

// QuizScores implements QuizStore.
func (m *MemoryQuizStore) QuizScores(ctx context.Context, ws, user string) (map[string]QuizScore, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]QuizScore)
	for c, s := range m.scores[memKey(ws, user)] {
		out[c] = s
	}
	return out, ctx.Err()
}

// QuizKey implements QuizStore.
func (m *MemoryQuizStore) QuizKey(ctx context.Context) ([]byte, error) { return m.key, ctx.Err() }
