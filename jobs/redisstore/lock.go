package redisstore

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/careerbot/careerbot/jobs"
	"github.com/redis/go-redis/v9"
)

var (
	//go:embed acquire.lua
	acquireSrc    string
	acquireScript = redis.NewScript(acquireSrc)

	//go:embed release.lua
	releaseSrc    string
	releaseScript = redis.NewScript(releaseSrc)
)

// lock is one lock of the store, a jobs.Lock.
type lock struct {
	rdb       redis.UniversalClient
	name, key string
	tokenKey  string
}

func (s *Store) lockKey(name string) string { return s.prefix + "{jobs}:lock:" + name }

// Lock returns the lock called name, a jobs.Lock among every replica of the Redis. The lease
// is the key's expiry (PEXPIRE) and its end is read from the server's clock, so no replica's
// clock decides when a lease ends.
func (s *Store) Lock(name string) jobs.Lock {
	key := s.lockKey(name)
	return &lock{rdb: s.rdb, name: name, key: key, tokenKey: key + ":token"}
}

// Acquire implements jobs.Lock in one script.
func (l *lock) Acquire(ctx context.Context, holder string, ttl time.Duration) (int64, bool, error) {
	err := ctx.Err()
	var res []int64
	if err == nil {
		res, err = acquireScript.Run(ctx, l.rdb, []string{l.key, l.tokenKey}, holder, max(ttl.Milliseconds(), 1)).Int64Slice()
	}
	if err == nil && len(res) != 2 {
		err = fmt.Errorf("the acquire script answered %v", res)
	}
	if err != nil {
		return 0, false, fmt.Errorf("redisstore: acquire lock %s: %w", l.name, err)
	}
	return res[0], res[1] == 1, nil
}

// Release implements jobs.Lock in one script.
func (l *lock) Release(ctx context.Context, holder string) error {
	err := ctx.Err()
	if err == nil {
		err = releaseScript.Run(ctx, l.rdb, []string{l.key}, holder).Err()
	}
	if err != nil {
		return fmt.Errorf("redisstore: release lock %s: %w", l.name, err)
	}
	return nil
}

// Holder implements jobs.Lock.
func (l *lock) Holder(ctx context.Context) (string, int64, time.Time, error) {
	holder, token, until, err := l.holder(ctx)
	if err != nil {
		return "", 0, time.Time{}, fmt.Errorf("redisstore: lock %s: %w", l.name, err)
	}
	return holder, token, until, nil
}

func (l *lock) holder(ctx context.Context) (string, int64, time.Time, error) {
	if err := ctx.Err(); err != nil {
		return "", 0, time.Time{}, err
	}
	f, err := l.rdb.HMGet(ctx, l.key, "holder", "token", "until").Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return "", 0, time.Time{}, err
	}
	if len(f) != 3 {
		return "", 0, time.Time{}, fmt.Errorf("HMGET answered %v", f)
	}
	holder, _ := f[0].(string)
	if holder == "" {
		return "", 0, time.Time{}, nil
	}
	tokenText, _ := f[1].(string)
	untilText, _ := f[2].(string)
	token, err := strconv.ParseInt(tokenText, 10, 64)
	if err != nil {
		return "", 0, time.Time{}, fmt.Errorf("malformed token %q", tokenText)
	}
	ms, err := strconv.ParseInt(untilText, 10, 64)
	if err != nil {
		return "", 0, time.Time{}, fmt.Errorf("malformed lease end %q", untilText)
	}
	return holder, token, time.UnixMilli(ms).UTC(), nil
}
