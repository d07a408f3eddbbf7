// Package redisstore keeps the knowledge base's shared study material in Redis, for deployments
// where several careerbot replicas share one Redis.
//
// # Key layout
//
// Every key of a workspace starts with careerbot:{platform:workspace}: the braces are a Redis
// Cluster hash tag, so all of one workspace's keys hash to one slot and the Lua scripts below,
// which touch several of them at once, stay valid on a cluster. With W = careerbot:{slack:T123}:
//
//	W:material:seq              string  last id given out (INCR)
//	W:material:urls             hash    normalised URL -> id (one entry per page)
//	W:material:<id>             hash    url, topic, note, by, name, at (Unix ms), votes
//	W:material:<id>:voters      set     user ids that upvoted
//	W:material:new              zset    id, scored by share time (newest first)
//	W:material:top              zset    id, scored by votes
//	W:material:t:<topic>:new    zset    the same two, per topic
//	W:material:t:<topic>:top    zset
//
// Members of the sorted sets are ids zero-padded to 12 digits, so that among equal scores the
// reverse lexical order Redis uses is newest first.
//
// Every write is one Lua script, so it is atomic (a dropped connection leaves the whole change
// or none of it) and costs one round trip; listing a page is one script as well.
package redisstore

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/careerbot/careerbot/knowledge"
	"github.com/redis/go-redis/v9"
)

// Store implements knowledge.MaterialStore on Redis.
type Store struct {
	rdb redis.UniversalClient
}

// New returns a store on rdb, which may be a single client, a Sentinel-backed failover client or
// a cluster client.
func New(rdb redis.UniversalClient) *Store { return &Store{rdb: rdb} }

var (
	//go:embed share.lua
	shareSrc    string
	shareScript = redis.NewScript(shareSrc)

	//go:embed list.lua
	listSrc    string
	listScript = redis.NewScript(listSrc)

	//go:embed upvote.lua
	upvoteSrc    string
	upvoteScript = redis.NewScript(upvoteSrc)

	//go:embed remove.lua
	removeSrc    string
	removeScript = redis.NewScript(removeSrc)
)

// prefix returns the workspace's key prefix, "careerbot:{slack:T123}:material:".
func prefix(workspace string) string {
	return "careerbot:{" + workspace + "}:material:"
}

func member(id int64) string { return fmt.Sprintf("%012d", id) }

// Share implements knowledge.MaterialStore.
func (s *Store) Share(ctx context.Context, workspace string, m knowledge.Material) (knowledge.Material, bool, error) {
	p := prefix(workspace)
	keys := []string{p + "urls", p + "seq", p + "new", p + "top", "", ""}
	if m.Topic != "" {
		keys[4], keys[5] = p+"t:"+m.Topic+":new", p+"t:"+m.Topic+":top"
	} else {
		keys = keys[:4]
	}
	res, err := shareScript.Run(ctx, s.rdb, keys,
		p, m.URL, m.Topic, m.Note, m.SharedBy, m.SharerName, m.SharedAt.UnixMilli()).Slice()
	if err != nil {
		return knowledge.Material{}, false, fmt.Errorf("redis share: %w", err)
	}
	if len(res) != 3 {
		return knowledge.Material{}, false, fmt.Errorf("redis share: unexpected reply of %d items", len(res))
	}
	created := res[0] == int64(1)
	id, _ := res[1].(int64)
	fields, _ := res[2].([]any)
	stored, err := decode(id, fields)
	if err != nil {
		return knowledge.Material{}, false, fmt.Errorf("redis share: %w", err)
	}
	return stored, created, nil
}

// Get implements knowledge.MaterialStore.
func (s *Store) Get(ctx context.Context, workspace string, id int64) (knowledge.Material, error) {
	vals, err := s.rdb.HGetAll(ctx, prefix(workspace)+strconv.FormatInt(id, 10)).Result()
	if err != nil {
		return knowledge.Material{}, fmt.Errorf("redis get: %w", err)
	}
	if len(vals) == 0 {
		return knowledge.Material{}, knowledge.ErrNotFound
	}
	fields := make([]any, 0, 2*len(vals))
	for k, v := range vals {
		fields = append(fields, k, v)
	}
	return decode(id, fields)
}

// List implements knowledge.MaterialStore in one round trip.
func (s *Store) List(ctx context.Context, workspace string, q knowledge.ListQuery) ([]knowledge.Material, int, error) {
	p := prefix(workspace)
	set := p
	if q.Topic != "" {
		set += "t:" + q.Topic + ":"
	}
	if q.Order == knowledge.Top {
		set += "top"
	} else {
		set += "new"
	}
	res, err := listScript.Run(ctx, s.rdb, []string{set}, p, max(q.Offset, 0), max(q.Limit, 0)).Slice()
	if err != nil {
		return nil, 0, fmt.Errorf("redis list: %w", err)
	}
	if len(res) == 0 {
		return nil, 0, errors.New("redis list: empty reply")
	}
	total, _ := res[0].(int64)
	page := make([]knowledge.Material, 0, (len(res)-1)/2)
	for i := 1; i+1 < len(res); i += 2 {
		idStr, _ := res[i].(string)
		id, err := strconv.ParseInt(idStr, 10, 64)
		if err != nil {
			return nil, 0, fmt.Errorf("redis list: bad id %q", idStr)
		}
		fields, _ := res[i+1].([]any)
		m, err := decode(id, fields)
		if err != nil {
			return nil, 0, fmt.Errorf("redis list: %w", err)
		}
		page = append(page, m)
	}
	return page, int(total), nil
}

// Upvote implements knowledge.MaterialStore.
func (s *Store) Upvote(ctx context.Context, workspace string, id int64, user string) (int, bool, error) {
	p := prefix(workspace)
	key := p + strconv.FormatInt(id, 10)
	res, err := upvoteScript.Run(ctx, s.rdb, []string{key, key + ":voters", p + "top"}, p, member(id), user).Slice()
	if err != nil {
		return 0, false, fmt.Errorf("redis upvote: %w", err)
	}
	added, _ := res[0].(int64)
	votes, _ := res[1].(int64)
	if added < 0 {
		return 0, false, knowledge.ErrNotFound
	}
	return int(votes), added == 1, nil
}

// Remove implements knowledge.MaterialStore.
func (s *Store) Remove(ctx context.Context, workspace string, id int64) error {
	p := prefix(workspace)
	key := p + strconv.FormatInt(id, 10)
	n, err := removeScript.Run(ctx, s.rdb, []string{key, key + ":voters", p + "urls", p + "new", p + "top"}, p, member(id)).Int()
	if err != nil {
		return fmt.Errorf("redis remove: %w", err)
	}
	if n == 0 {
		return knowledge.ErrNotFound
	}
	return nil
}

// Ping implements knowledge.MaterialStore.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis ping: %w", err)
	}
	return nil
}

// decode builds a Material from a flat HGETALL reply.
func decode(id int64, fields []any) (knowledge.Material, error) {
	m := knowledge.Material{ID: id}
	for i := 0; i+1 < len(fields); i += 2 {
		k, _ := fields[i].(string)
		v, _ := fields[i+1].(string)
		switch k {
		case "url":
			m.URL = v
		case "topic":
			m.Topic = v
		case "note":
			m.Note = v
		case "by":
			m.SharedBy = v
		case "name":
			m.SharerName = v
		case "at":
			ms, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return m, fmt.Errorf("material %d: bad time %q", id, v)
			}
			m.SharedAt = time.UnixMilli(ms).UTC()
		case "votes":
			n, err := strconv.Atoi(v)
			if err != nil {
				return m, fmt.Errorf("material %d: bad votes %q", id, v)
			}
			m.Votes = n
		}
	}
	if m.URL == "" {
		return m, fmt.Errorf("material %d: no url", id)
	}
	return m, nil
}
