package redisstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/careerbot/careerbot/knowledge"
	"github.com/redis/go-redis/v9"
)

// Quiz state, with Q = careerbot:{platform:workspace}:quiz: (the workspace's hash tag again):
//
//	Q:seen:<user>:<topic>   list    question numbers asked, least recently asked first
//	Q:open:<user>           hash    question id -> Unix ms asked, until answered
//	Q:score:<user>          hash    <category>:n and <category>:right counters
//	careerbot:quiz:key      string  the key that signs answer buttons (one for all workspaces)
//
// Every key expires after a stretch of no quizzing, so a user who left stops costing memory.
const (
	quizSeenTTL  = 180 * 24 * time.Hour
	quizOpenTTL  = 7 * 24 * time.Hour
	quizScoreTTL = 365 * 24 * time.Hour
	quizKeyName  = "careerbot:quiz:key"
)

func quizPrefix(workspace string) string { return "careerbot:{" + workspace + "}:quiz:" }

// askScript moves a question to the end of the seen order and opens it. KEYS: seen, open.
// ARGV: n, qid, now ms, seen ttl s, open ttl s.
var askScript = redis.NewScript(`
redis.call('LREM', KEYS[1], 0, ARGV[1])
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[5])
return 1
`)

// answerScript closes an open question and counts it. KEYS: open, score. ARGV: qid, category,
// right ("1" or "0"), score ttl s. Returns 1 when the question was open.
var answerScript = redis.NewScript(`
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then
  return 0
end
redis.call('HINCRBY', KEYS[2], ARGV[2] .. ':n', 1)
if ARGV[3] == '1' then
  redis.call('HINCRBY', KEYS[2], ARGV[2] .. ':right', 1)
end
redis.call('EXPIRE', KEYS[2], ARGV[4])
return 1
`)

// QuizSeen implements knowledge.QuizStore.
func (s *Store) QuizSeen(ctx context.Context, workspace, user, topic string) ([]int, error) {
	members, err := s.rdb.LRange(ctx, quizPrefix(workspace)+"seen:"+user+":"+topic, 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("redis quiz seen: %w", err)
	}
	out := make([]int, 0, len(members))
	for _, m := range members {
		if n, err := strconv.Atoi(m); err == nil {
			out = append(out, n)
		}
	}
	return out, nil
}

// QuizAsk implements knowledge.QuizStore.
func (s *Store) QuizAsk(ctx context.Context, workspace, user, topic string, n int, qid string) error {
	p := quizPrefix(workspace)
	keys := []string{p + "seen:" + user + ":" + topic, p + "open:" + user}
	err := askScript.Run(ctx, s.rdb, keys, n, qid, time.Now().UnixMilli(),
		int(quizSeenTTL/time.Second), int(quizOpenTTL/time.Second)).Err()
	if err != nil {
		return fmt.Errorf("redis quiz ask: %w", err)
	}
	return nil
}

// QuizAnswer implements knowledge.QuizStore.
func (s *Store) QuizAnswer(ctx context.Context, workspace, user, qid, category string, right bool) (bool, error) {
	p := quizPrefix(workspace)
	r := "0"
	if right {
		r = "1"
	}
	n, err := answerScript.Run(ctx, s.rdb, []string{p + "open:" + user, p + "score:" + user},
		qid, category, r, int(quizScoreTTL/time.Second)).Int()
	if err != nil {
		return false, fmt.Errorf("redis quiz answer: %w", err)
	}
	return n == 1, nil
}

// QuizScores implements knowledge.QuizStore.
func (s *Store) QuizScores(ctx context.Context, workspace, user string) (map[string]knowledge.QuizScore, error) {
	fields, err := s.rdb.HGetAll(ctx, quizPrefix(workspace)+"score:"+user).Result()
	if err != nil {
		return nil, fmt.Errorf("redis quiz scores: %w", err)
	}
	out := make(map[string]knowledge.QuizScore)
	for f, v := range fields {
		cat, what, ok := strings.Cut(f, ":")
		n, err := strconv.Atoi(v)
		if !ok || err != nil {
			continue
		}
		sc := out[cat]
		switch what {
		case "n":
			sc.Answered = n
		case "right":
			sc.Right = n
		}
		out[cat] = sc
	}
	return out, nil
}

// QuizKey implements knowledge.QuizStore: the first replica to need a key sets one (SET NX), and
// every replica reads the one that won.
func (s *Store) QuizKey(ctx context.Context) ([]byte, error) {
	if err := s.rdb.SetNX(ctx, quizKeyName, knowledge.NewQuizKey(), 0).Err(); err != nil {
		return nil, fmt.Errorf("redis quiz key: %w", err)
	}
	key, err := s.rdb.Get(ctx, quizKeyName).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, errors.New("redis quiz key: vanished after it was set")
	}
	if err != nil {
		return nil, fmt.Errorf("redis quiz key: %w", err)
	}
	return key, nil
}
