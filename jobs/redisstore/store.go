// Package redisstore keeps job openings and the poller's per-source status in Redis, for
// deployments where several careerbot replicas share one Redis, Sentinel-managed or a Cluster.
// It implements jobs.Store, jobs.SubscriptionStore, jobs.DeliveryQueue and, through
// Store.Lock, jobs.Lock.
//
// # Key layout
//
//	careerbot:job:{<id>}              string  the opening's record (jobs.MarshalOpening)
//	careerbot:{jobs}:seq              string  the last change number given out (INCR)
//	careerbot:{jobs}:changes          zset    id, scored by its latest change number
//	careerbot:{jobs}:sourceof         hash    id -> the source it is indexed under
//	careerbot:{jobs}:source:<name>    set     ids of the source's openings
//	careerbot:{jobs}:sources          hash    source name -> its status (jobs.MarshalSource)
//	careerbot:{jobs}:subs:workspaces  set     the workspaces that have subscribed
//	careerbot:{jobs}:fanout           string  the fan-out cursor (jobs.DeliveryQueue)
//	careerbot:{jobs}:lock:<name>      hash    holder, token, until (unix ms); expires with the lease
//	careerbot:{jobs}:lock:<name>:token string the lock's last fencing token (INCR per new holder)
//	careerbot:{deliveries}:queue      stream  copies of deliveries owed (workspace, channel, key);
//	                                          consumer group "deliver"
//	careerbot:{deliveries}:delayed    zset    retries (workspace NUL channel NUL key), scored by
//	                                          when they are due (ms)
//	careerbot:{deliveries}:sending    zset    deliveries being sent (the same members), scored by
//	                                          when their lease ends (ms)
//	careerbot:{deliveries}:sent       string  deliveries posted so far
//	careerbot:{deliveries}:dead       string  dead letters kept
//
// and with W = careerbot:{<workspace>}:subs, the workspace being its workspace.Key
// (careerbot:{slack:T123}:subs):
//
//	W                                 hash    id -> the subscription (jobs.MarshalSubscription)
//	W:seq                             string  the last id given out (INCR)
//	W:channel:<channel>               hash    query -> id, one entry per subscription of the channel
//
// and in the same slot, with D = careerbot:{<workspace>}:
//
//	D:delivery:<channel>:<key>        hash    a delivery's record, kept 120 days from its last change
//	D:dead                            zset    channel NUL key of the dead letters, scored by when
//	                                          (ms), the newest 1000 kept
//
// A record's fields are delivery (jobs.MarshalDelivery of what was enqueued), state, attempts,
// claimed, consumer, lease, not_before, message_id, last_error and done; times are unix
// nanoseconds in 20 digits, so that the scripts compare them as strings (Lua's numbers would
// lose the nanoseconds). Platforms' channel ids hold no ':' and no ids a NUL byte, which the
// keys and members use as separators.
//
// The braces are Redis Cluster hash tags. Each record is tagged with its own id, so a hundred
// thousand openings spread over every node of a cluster; the index keys all share {jobs}, so they
// live in one slot and one Lua script may change several of them atomically. No command spans
// slots: records are written and read with one single-key command each, pipelined (go-redis
// splits a cluster pipeline by node; MGET would need one slot), the openings' scripts touch
// {jobs} keys only and the subscriptions' scripts the keys of one workspace. sourceof lets the scripts find the source set an opening leaves when it moves to
// another source or is deleted, without reading its record from another slot.
//
// # Writes and crashes
//
// PutOpenings first writes the records (one pipeline), then runs one script that, for each id
// in order, takes the next change number and updates changes, sourceof and the source sets.
// Deletes go the same way round: records first, then the index. A crash, a lost connection or
// a concurrent write that lands between the two steps leaves a record whose index entry is
// missing or older (a new opening that Changes does not show yet, a rewrite that Changes shows
// under its previous number with its new content) or an index entry whose record is gone.
// Readers tolerate both: Changes and SourceOpenings skip ids whose record is missing, and
// SourceOpenings skips records of another source. The next PutOpenings of the id, which the
// poller makes at every successful fetch, repairs it. Each record is written whole by one SET;
// a batch is not atomic.
//
// # Subscriptions
//
// A workspace's subscription keys share its hash tag, as do the knowledge base's keys of the
// workspace (knowledge/redisstore), so one script may check and write several of them:
// Subscribe's script reads the channel's hash for the query (ErrDuplicateQuery) and its
// length (ErrChannelFull), and only then takes the next id and writes the record and the
// channel entry, so two concurrent calls cannot both pass the checks, and a refused call takes
// no id. The seq counter stays when the last subscription goes, so an id is never given twice.
// A channel's ids are sorted in Go: ids only grow, so id order is the order of subscribing.
//
// Unsubscribe, Disable and CountPost read the record, decide in Go, and write with a script
// that compares the record with the one read and tries again when another write came between:
// so the rules (the first reason of Disable stays) and the stored bytes (jobs.MarshalSubscription)
// are those of every store, which a JSON library inside Lua would not keep.
//
// AllSubscriptions cannot scan a cluster for the workspaces' keys, so the workspaces that have
// subscribed are listed in careerbot:{jobs}:subs:workspaces. That set lives in another slot
// than any workspace's keys, so no script can write both: Subscribe adds the workspace to the
// set first, with SADD, and then runs its script. A crash between the two leaves at worst a
// workspace listed with no subscriptions, which AllSubscriptions reads as an empty hash; the
// other order could leave a stored subscription that AllSubscriptions never sees until the
// workspace's next subscribe. A workspace stays listed after its last unsubscribe, for the
// same reason. AllSubscriptions reads the set with SMEMBERS, then each workspace's hash with
// HVALS, a hundred workspaces per pipeline.
//
// # Deliveries
//
// A delivery's record lives in its workspace's slot, the queue in the {deliveries} slot, and
// no script or MULTI spans two slots, so every step is two: Enqueue records (one script per
// workspace: what is new, what is still queued), then XADDs a copy of each; a crash between
// leaves records with no copy, which the replay the contract asks for queues. Claim checks
// state, lease and due time and writes the record in one script, then indexes the lease in
// {deliveries}:sending. Sent, Retry and Dead check that the caller holds the claim and write
// the record (and the dead letter) in one script, then XACK and XDEL the copy, add the
// retry to the delayed zset, drop the lease and count, in one script on {deliveries}; Sent
// then counts the post with CountPost. A crash between steps leaves a copy that its next claim
// answers ClaimDone for, a lease in the index (InDoubt counts it until it is dropped: the count
// is approximate) or a post not counted; never a second message.
//
// Next reclaims with XAUTOCLAIM, moves the due retries to the end of the stream with a script
// (they come after the new copies already waiting), and reads with XREADGROUP. The consumer
// group is created with MKSTREAM on first use, and again when the stream's key was lost.
//
// # Locks and fencing
//
// A lock is a hash that expires with its lease (PEXPIRE), taken, renewed and released by
// scripts that read the lease's end from the server's clock (TIME), so no replica's clock
// decides it; each new holder INCRs the token counter, which stays when the lock is released
// or expires, so tokens only grow. Store.Fenced gives a view whose poller writes are checked
// against the token by the index scripts, in the {jobs} slot with the lock.
//
// The index script runs once per batch and, like every script, blocks Redis while it runs:
// about 4 µs per rewritten opening and 7 µs per new one on a small machine, so a board of a
// thousand openings holds Redis for some milliseconds.
package redisstore

import (
	"cmp"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync/atomic"

	"github.com/careerbot/careerbot/jobs"
	"github.com/redis/go-redis/v9"
)

var (
	//go:embed put.lua
	putSrc    string
	putScript = redis.NewScript(putSrc)

	//go:embed delete.lua
	deleteSrc    string
	deleteScript = redis.NewScript(deleteSrc)
)

// pageSize is how many openings Changes reads per round trip, and SourceOpenings per pipeline.
const pageSize = 1000

// Store implements jobs.Store on Redis.
type Store struct {
	rdb redis.UniversalClient

	prefix    string // of every key: "careerbot:"
	seq       string
	changes   string
	sourceOf  string
	sourceSet string // followed by the source's name
	sources   string

	subsRegistry string // set of the workspaces that have subscribed
	fanout       string // the fan-out cursor, beside the index so that a fenced write is checked atomically

	// The delivery queue's keys, all in the {deliveries} slot.
	queue, delayed, sending, sentCount, deadCount string
	groupReady                                    *atomic.Bool // the queue's consumer group exists

	fence *fence // set on a view that Fenced returned
}

// fence is the lock and the token a fenced view writes under.
type fence struct {
	tokenKey string // the lock's token counter
	token    string
}

// New returns a store on rdb, which may be a single client, a Sentinel-backed failover client or
// a cluster client.
func New(rdb redis.UniversalClient) *Store { return newStore(rdb, "careerbot:") }

// newStore returns a store whose keys start with prefix rather than "careerbot:", so that tests
// sharing one Redis keep apart.
func newStore(rdb redis.UniversalClient, prefix string) *Store {
	index, queue := prefix+"{jobs}:", prefix+"{deliveries}:"
	return &Store{
		rdb: rdb, prefix: prefix,
		seq: index + "seq", changes: index + "changes", sourceOf: index + "sourceof",
		sourceSet: index + "source:", sources: index + "sources", subsRegistry: index + "subs:workspaces",
		fanout: index + "fanout",
		queue:  queue + "queue", delayed: queue + "delayed", sending: queue + "sending",
		sentCount: queue + "sent", deadCount: queue + "dead", groupReady: new(atomic.Bool),
	}
}

func (s *Store) recordKey(id string) string { return s.prefix + "job:{" + id + "}" }

// PutOpenings implements jobs.Store in two round trips: the records, then the index.
func (s *Store) PutOpenings(ctx context.Context, openings []jobs.Opening) error {
	if len(openings) == 0 {
		return nil
	}
	records, err := jobs.MarshalOpenings(openings)
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = s.checkFence(ctx)
	}
	if err != nil {
		return fmt.Errorf("redisstore: put openings: %w", err)
	}
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, o := range openings {
			p.Set(ctx, s.recordKey(o.ID), records[i], 0)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisstore: put openings: write records: %w", err)
	}
	keys, args := s.fenced([]string{s.seq, s.changes, s.sourceOf}, 2+2*len(openings), s.sourceSet)
	for _, o := range openings {
		args = append(args, o.ID, o.Source)
	}
	if err := fenceAnswer(putScript.Run(ctx, s.rdb, keys, args...).Int64()); err != nil {
		return fmt.Errorf("redisstore: put openings: index: %w", err)
	}
	return nil
}

// found decodes a reply that holds one record, or returns jobs.ErrNotFound for none.
func found[T any](cmd *redis.StringCmd, decode func([]byte) (T, error)) (T, error) {
	data, err := cmd.Bytes()
	if errors.Is(err, redis.Nil) {
		err = jobs.ErrNotFound
	}
	if err != nil {
		var zero T
		return zero, err
	}
	return decode(data)
}

// Opening implements jobs.Store.
func (s *Store) Opening(ctx context.Context, id string) (jobs.Opening, error) {
	err := ctx.Err()
	var o jobs.Opening
	if err == nil {
		o, err = found(s.rdb.Get(ctx, s.recordKey(id)), jobs.UnmarshalOpening)
	}
	if err != nil {
		return jobs.Opening{}, fmt.Errorf("redisstore: opening %q: %w", id, err)
	}
	return o, nil
}

// records reads the records of ids in one pipeline; a missing record is nil.
func (s *Store) records(ctx context.Context, ids []string) ([][]byte, error) {
	cmds := make([]*redis.StringCmd, len(ids))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = p.Get(ctx, s.recordKey(id))
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, err
	}
	out := make([][]byte, len(ids))
	for i, cmd := range cmds {
		data, err := cmd.Bytes()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[i] = data
	}
	return out, nil
}

// SourceOpenings implements jobs.Store.
func (s *Store) SourceOpenings(ctx context.Context, source string) ([]jobs.Opening, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("redisstore: openings of %q: %w", source, err)
	}
	ids, err := s.rdb.SMembers(ctx, s.sourceSet+source).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: openings of %q: %w", source, err)
	}
	var out []jobs.Opening
	for chunk := range slices.Chunk(ids, pageSize) {
		records, err := s.records(ctx, chunk)
		if err != nil {
			return nil, fmt.Errorf("redisstore: openings of %q: %w", source, err)
		}
		for _, data := range records {
			if data == nil {
				continue // deleted, or a write in flight: see the package doc
			}
			o, err := jobs.UnmarshalOpening(data)
			if err != nil {
				return nil, fmt.Errorf("redisstore: openings of %q: %w", source, err)
			}
			if o.Source == source {
				out = append(out, o)
			}
		}
	}
	return out, nil
}

// Changes implements jobs.Store, a page of change numbers and a pipeline of records at a time.
func (s *Store) Changes(ctx context.Context, after int64, fn func(jobs.Opening) error) (int64, error) {
	last := after
	for {
		if err := ctx.Err(); err != nil {
			return last, fmt.Errorf("redisstore: changes after %d: %w", last, err)
		}
		page, err := s.rdb.ZRangeArgsWithScores(ctx, redis.ZRangeArgs{
			Key: s.changes, ByScore: true, Start: "(" + strconv.FormatInt(last, 10), Stop: "+inf", Count: pageSize,
		}).Result()
		if err != nil {
			return last, fmt.Errorf("redisstore: changes after %d: %w", last, err)
		}
		if len(page) == 0 {
			return last, nil
		}
		ids := make([]string, len(page))
		for i, z := range page {
			ids[i], _ = z.Member.(string)
		}
		records, err := s.records(ctx, ids)
		if err != nil {
			return last, fmt.Errorf("redisstore: changes after %d: %w", last, err)
		}
		for i, data := range records {
			if err := ctx.Err(); err != nil {
				return last, fmt.Errorf("redisstore: changes after %d: %w", last, err)
			}
			if data != nil { // a missing record was deleted: see the package doc
				o, err := jobs.UnmarshalOpening(data)
				if err != nil {
					return last, fmt.Errorf("redisstore: changes after %d: %w", last, err)
				}
				if err := fn(o); err != nil {
					return last, err
				}
			}
			last = int64(page[i].Score)
		}
		if len(page) < pageSize {
			return last, nil
		}
	}
}

// DeleteOpenings implements jobs.Store in two round trips: the records, then the index.
func (s *Store) DeleteOpenings(ctx context.Context, ids []string) error {
	ids = slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return id == "" })
	if len(ids) == 0 {
		return nil
	}
	err := ctx.Err()
	if err == nil {
		err = s.checkFence(ctx)
	}
	if err != nil {
		return fmt.Errorf("redisstore: delete openings: %w", err)
	}
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, id := range ids {
			p.Del(ctx, s.recordKey(id))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisstore: delete openings: records: %w", err)
	}
	keys, args := s.fenced([]string{s.changes, s.sourceOf}, 2+len(ids), s.sourceSet)
	for _, id := range ids {
		args = append(args, id)
	}
	if err := fenceAnswer(deleteScript.Run(ctx, s.rdb, keys, args...).Int64()); err != nil {
		return fmt.Errorf("redisstore: delete openings: index: %w", err)
	}
	return nil
}

// PutSource implements jobs.Store.
func (s *Store) PutSource(ctx context.Context, st jobs.SourceStatus) error {
	data, err := jobs.MarshalSource(st)
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = s.write(ctx, s.sources, st.Name, data)
	}
	if err != nil {
		return fmt.Errorf("redisstore: put source %q: %w", st.Name, err)
	}
	return nil
}

// Source implements jobs.Store.
func (s *Store) Source(ctx context.Context, name string) (jobs.SourceStatus, error) {
	err := ctx.Err()
	var st jobs.SourceStatus
	if err == nil {
		st, err = found(s.rdb.HGet(ctx, s.sources, name), jobs.UnmarshalSource)
	}
	if err != nil {
		return jobs.SourceStatus{}, fmt.Errorf("redisstore: source %q: %w", name, err)
	}
	return st, nil
}

// Sources implements jobs.Store.
func (s *Store) Sources(ctx context.Context) ([]jobs.SourceStatus, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("redisstore: sources: %w", err)
	}
	all, err := s.rdb.HGetAll(ctx, s.sources).Result()
	if err != nil {
		return nil, fmt.Errorf("redisstore: sources: %w", err)
	}
	out := make([]jobs.SourceStatus, 0, len(all))
	for _, data := range all {
		st, err := jobs.UnmarshalSource([]byte(data))
		if err != nil {
			return nil, fmt.Errorf("redisstore: sources: %w", err)
		}
		out = append(out, st)
	}
	slices.SortFunc(out, func(a, b jobs.SourceStatus) int { return cmp.Compare(a.Name, b.Name) })
	return out, nil
}
