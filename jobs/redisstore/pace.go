package redisstore

import (
	"context"
	_ "embed"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

//go:embed pace.lua
var paceSrc string

var paceScript = redis.NewScript(paceSrc)

// Pacer spaces sends to one key (a channel, a workspace, an API method) across every replica
// that shares the Redis: each key is a hash under its workspace's tag,
// careerbot:{<workspace>}:pace:<key>, kept an hour after its last use. Times are the
// server's clock, so replicas' clocks need not agree.
type Pacer struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewPacer returns the pacer of the Redis rdb.
func NewPacer(rdb redis.UniversalClient) *Pacer { return &Pacer{rdb: rdb, prefix: "careerbot:"} }

func (p *Pacer) key(workspace, key string) string {
	return p.prefix + "{" + workspace + "}:pace:" + key
}

// Take reserves the key's next send at one every every in bursts of up to burst, and returns
// how long to wait before it; a zero every paces by the wait Hold learnt.
func (p *Pacer) Take(ctx context.Context, workspace, key string, every time.Duration, burst int) (time.Duration, error) {
	us, err := paceScript.Run(ctx, p.rdb, []string{p.key(workspace, key)}, "take", every.Microseconds(), burst).Int64()
	if err != nil {
		return 0, fmt.Errorf("redisstore: pace %s: %w", key, err)
	}
	return time.Duration(us) * time.Microsecond, nil
}

// Hold puts the key's next send at least wait from now, and the ones after it at the rate's
// interval without a burst; the wait is learnt as the key's least interval.
func (p *Pacer) Hold(ctx context.Context, workspace, key string, wait time.Duration) error {
	if err := paceScript.Run(ctx, p.rdb, []string{p.key(workspace, key)}, "hold", wait.Microseconds()).Err(); err != nil {
		return fmt.Errorf("redisstore: hold %s: %w", key, err)
	}
	return nil
}
