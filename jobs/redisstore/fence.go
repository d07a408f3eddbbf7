package redisstore

import (
	"context"
	_ "embed"
	"errors"
	"strconv"

	"github.com/careerbot/careerbot/jobs"
	"github.com/redis/go-redis/v9"
)

var (
	//go:embed fenced.lua
	fencedSrc    string
	fencedScript = redis.NewScript(fencedSrc)
)

// Fenced returns a view of the store whose writes of the poller's data (PutOpenings,
// DeleteOpenings, PutSource and SetFanoutCursor) are refused with jobs.ErrFenced once the
// lock's token is no longer token, that is once the lock has passed to another holder. The
// check is made by the script that writes the index, the source or the cursor, in the {jobs}
// slot with the lock, so it is atomic with that write. PutOpenings and DeleteOpenings also
// check before they write the openings' records, which live in other slots: a write whose
// lock passes between that check and the index script leaves its records written (or
// deleted) and its index untouched, the half-write the package doc describes, which the new
// holder's next write repairs. The view's other calls are the store's own.
func (s *Store) Fenced(lock string, token int64) *Store {
	f := *s
	f.fence = &fence{tokenKey: s.lockKey(lock) + ":token", token: strconv.FormatInt(token, 10)}
	return &f
}

// fenced returns the keys of a script that takes the fence's token counter last when the
// store is fenced, and its arguments so far: first, then the writer's token (” when not
// fenced), with room for n in all.
func (s *Store) fenced(keys []string, n int, first any) ([]string, []any) {
	args := make([]any, 0, n)
	if s.fence == nil {
		return keys, append(args, first, "")
	}
	return append(keys, s.fence.tokenKey), append(args, first, s.fence.token)
}

// checkFence returns jobs.ErrFenced when the store is fenced and the lock's token is no
// longer the view's.
func (s *Store) checkFence(ctx context.Context) error {
	if s.fence == nil {
		return nil
	}
	token, err := s.rdb.Get(ctx, s.fence.tokenKey).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return err
	}
	if token != s.fence.token {
		return jobs.ErrFenced
	}
	return nil
}

// fenceAnswer turns a fenced script's -1 into jobs.ErrFenced.
func fenceAnswer(n int64, err error) error {
	if err == nil && n == -1 {
		err = jobs.ErrFenced
	}
	return err
}

// write sets key's field (or key itself, for an empty field) to value, under the fence when
// the store has one.
func (s *Store) write(ctx context.Context, key, field string, value any) error {
	if s.fence == nil {
		if field == "" {
			return s.rdb.Set(ctx, key, value, 0).Err()
		}
		return s.rdb.HSet(ctx, key, field, value).Err()
	}
	return fenceAnswer(fencedScript.Run(ctx, s.rdb, []string{key, s.fence.tokenKey}, s.fence.token, field, value).Int64())
}
