package boltstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/careerbot/careerbot/knowledge"
	bolt "go.etcd.io/bbolt"
)

// Quiz state lives in its own top-level bucket, "quiz", which holds "key" (the signing key) and a
// bucket per workspace, which holds a bucket per user with:
//
//	seen:<topic>   JSON list of the question numbers asked, least recently asked first
//	open:<qid>     empty: the question is asked and not yet answered
//	score          JSON map of category -> {answered, right}
var (
	quizBucket = []byte("quiz")
	quizKey    = []byte("key")
)

// quizUser returns the user's bucket; without create it is nil for a user with no state.
func quizUser(tx *bolt.Tx, ws, user string, create bool) (*bolt.Bucket, error) {
	if !create {
		root := tx.Bucket(quizBucket)
		if root == nil {
			return nil, nil
		}
		w := root.Bucket([]byte(ws))
		if w == nil {
			return nil, nil
		}
		return w.Bucket([]byte(user)), nil
	}
	root, err := tx.CreateBucketIfNotExists(quizBucket)
	if err != nil {
		return nil, err
	}
	w, err := root.CreateBucketIfNotExists([]byte(ws))
	if err != nil {
		return nil, err
	}
	return w.CreateBucketIfNotExists([]byte(user))
}

func readJSON(b *bolt.Bucket, key string, v any) error {
	if b == nil {
		return nil
	}
	raw := b.Get([]byte(key))
	if raw == nil {
		return nil
	}
	return json.Unmarshal(raw, v)
}

func writeJSON(b *bolt.Bucket, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put([]byte(key), raw)
}

// QuizSeen implements knowledge.QuizStore.
func (s *Store) QuizSeen(ctx context.Context, ws, user, topic string) ([]int, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var seen []int
	err := s.db.View(func(tx *bolt.Tx) error {
		b, err := quizUser(tx, ws, user, false)
		if err != nil {
			return err
		}
		return readJSON(b, "seen:"+topic, &seen)
	})
	return seen, wrap("quiz seen", err)
}

// QuizAsk implements knowledge.QuizStore.
func (s *Store) QuizAsk(ctx context.Context, ws, user, topic string, n int, qid string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return wrap("quiz ask", s.db.Update(func(tx *bolt.Tx) error {
		b, err := quizUser(tx, ws, user, true)
		if err != nil {
			return err
		}
		var seen []int
		if err := readJSON(b, "seen:"+topic, &seen); err != nil {
			return err
		}
		seen = append(slices.DeleteFunc(seen, func(x int) bool { return x == n }), n)
		if err := writeJSON(b, "seen:"+topic, seen); err != nil {
			return err
		}
		return b.Put([]byte("open:"+qid), []byte{})
	}))
}

// scoreEntry is the stored form of a knowledge.QuizScore.
type scoreEntry struct {
	Answered int `json:"answered"`
	Right    int `json:"right"`
}

// QuizAnswer implements knowledge.QuizStore.
func (s *Store) QuizAnswer(ctx context.Context, ws, user, qid, category string, right bool) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	var scored bool
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, err := quizUser(tx, ws, user, false)
		if err != nil || b == nil || b.Get([]byte("open:"+qid)) == nil {
			return err
		}
		if err := b.Delete([]byte("open:" + qid)); err != nil {
			return err
		}
		scores := map[string]scoreEntry{}
		if err := readJSON(b, "score", &scores); err != nil {
			return err
		}
		e := scores[category]
		e.Answered++
		if right {
			e.Right++
		}
		scores[category] = e
		scored = true
		return writeJSON(b, "score", scores)
	})
	return scored, wrap("quiz answer", err)
}

// QuizScores implements knowledge.QuizStore.
func (s *Store) QuizScores(ctx context.Context, ws, user string) (map[string]knowledge.QuizScore, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	scores := map[string]scoreEntry{}
	err := s.db.View(func(tx *bolt.Tx) error {
		b, err := quizUser(tx, ws, user, false)
		if err != nil {
			return err
		}
		return readJSON(b, "score", &scores)
	})
	if err != nil {
		return nil, fmt.Errorf("bolt quiz scores: %w", err)
	}
	out := make(map[string]knowledge.QuizScore, len(scores))
	for c, e := range scores {
		out[c] = knowledge.QuizScore{Answered: e.Answered, Right: e.Right}
	}
	return out, nil
}

// QuizKey implements knowledge.QuizStore: made in the first transaction that needs it.
func (s *Store) QuizKey(ctx context.Context) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var key []byte
	err := s.db.Update(func(tx *bolt.Tx) error {
		root, err := tx.CreateBucketIfNotExists(quizBucket)
		if err != nil {
			return err
		}
		if k := root.Get(quizKey); k != nil {
			key = slices.Clone(k)
			return nil
		}
		key = knowledge.NewQuizKey()
		return root.Put(quizKey, key)
	})
	return key, wrap("quiz key", err)
}
