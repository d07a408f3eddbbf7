package redisstore

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/careerbot/careerbot/jobs"
	"github.com/redis/go-redis/v9"
)

var (
	//go:embed enqueue.lua
	enqueueSrc    string
	enqueueScript = redis.NewScript(enqueueSrc)

	//go:embed claim.lua
	claimSrc    string
	claimScript = redis.NewScript(claimSrc)

	//go:embed outcome.lua
	outcomeSrc    string
	outcomeScript = redis.NewScript(outcomeSrc)

	//go:embed settle.lua
	settleSrc    string
	settleScript = redis.NewScript(settleSrc)

	//go:embed move.lua
	moveSrc    string
	moveScript = redis.NewScript(moveSrc)

	//go:embed stats.lua
	statsSrc    string
	statsScript = redis.NewScript(statsSrc)
)

// The queue's settings.
const (
	group          = "deliver"            // the consumer group of the queue
	recordTTL      = 120 * 24 * time.Hour // outlives the 90 days after which openings are pruned
	maxDeadLetters = 1000                 // kept per workspace, the oldest dropped first
	movesPerNext   = 1000                 // due retries one Next moves into the queue
	recordsPerPipe = 100                  // records DeadLetters reads per pipeline
)

var recordTTLms = recordTTL.Milliseconds()

// deliveryKey is a delivery's record, in its workspace's slot.
func (s *Store) deliveryKey(workspace, channel, key string) string {
	return s.prefix + "{" + workspace + "}:delivery:" + channel + ":" + key
}

func (s *Store) deadKey(workspace string) string { return s.prefix + "{" + workspace + "}:dead" }

// member names a delivery in the {deliveries} zsets.
func member(d jobs.Delivery) string { return d.Workspace + "\x00" + d.Channel + "\x00" + d.Key }

// stamp is a time as the scripts compare it: unix nanoseconds in 20 digits, so that string
// order is time order; empty for the zero time, and times before 1970 count as 1970.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return fmt.Sprintf("%020d", max(t.UnixNano(), 0))
}

func parseStamp(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("malformed time %q", s)
	}
	return time.Unix(0, n).UTC(), nil
}

// ceilMillis is t in unix milliseconds, rounded up: a retry is never moved before it is due.
func ceilMillis(t time.Time) int64 { return (max(t.UnixNano(), 0) + 999_999) / 1_000_000 }

// decodeRecord reads a record's hash.
func decodeRecord(f map[string]string) (jobs.Delivery, error) {
	d, err := jobs.UnmarshalDelivery([]byte(f["delivery"]))
	if err != nil {
		return jobs.Delivery{}, err
	}
	d.State = jobs.DeliveryState(f["state"])
	switch d.State {
	case jobs.Queued, jobs.Sending, jobs.Sent, jobs.Dead:
	default:
		return jobs.Delivery{}, fmt.Errorf("the record is in an unknown state %q", d.State)
	}
	if a := f["attempts"]; a != "" {
		if d.Attempts, err = strconv.Atoi(a); err != nil {
			return jobs.Delivery{}, fmt.Errorf("malformed attempts %q", a)
		}
	}
	for field, t := range map[string]*time.Time{"claimed": &d.ClaimedAt, "not_before": &d.NotBefore, "done": &d.Done} {
		if *t, err = parseStamp(f[field]); err != nil {
			return jobs.Delivery{}, fmt.Errorf("%s: %w", field, err)
		}
	}
	d.Consumer, d.MessageID, d.LastError = f["consumer"], f["message_id"], f["last_error"]
	return d, nil
}

// pairs turns a script's HGETALL answer into a map.
func pairs(v any) (map[string]string, error) {
	list, ok := v.([]any)
	if !ok || len(list)%2 != 0 {
		return nil, fmt.Errorf("malformed record %v", v)
	}
	f := make(map[string]string, len(list)/2)
	for i := 0; i < len(list); i += 2 {
		k, ok1 := list[i].(string)
		val, ok2 := list[i+1].(string)
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("malformed record %v", v)
		}
		f[k] = val
	}
	return f, nil
}

// ensureGroup creates the queue and its consumer group unless this store already did.
func (s *Store) ensureGroup(ctx context.Context) error {
	if s.groupReady.Load() {
		return nil
	}
	err := s.rdb.XGroupCreateMkStream(ctx, s.queue, group, "0").Err()
	if err != nil && !redis.HasErrorPrefix(err, "BUSYGROUP") {
		return fmt.Errorf("create the consumer group: %w", err)
	}
	s.groupReady.Store(true)
	return nil
}

// withGroup runs fn, and once more after creating the group when the queue had lost it (its
// key was deleted).
func (s *Store) withGroup(ctx context.Context, fn func() error) error {
	if err := s.ensureGroup(ctx); err != nil {
		return err
	}
	err := fn()
	if err != nil && redis.HasErrorPrefix(err, "NOGROUP") {
		s.groupReady.Store(false)
		if err = s.ensureGroup(ctx); err == nil {
			err = fn()
		}
	}
	return err
}

// scriptCall is one run of a script in a pipeline.
type scriptCall struct {
	keys []string
	args []any
}

// runAll runs script once per call in one pipeline (go-redis splits it by node on a
// cluster), again with the script's source for those a server did not know yet.
func (s *Store) runAll(ctx context.Context, script *redis.Script, calls []scriptCall) ([]*redis.Cmd, error) {
	cmds := make([]*redis.Cmd, len(calls))
	run := func(idx []int, eval bool) {
		_, _ = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, i := range idx {
				if eval {
					cmds[i] = script.Eval(ctx, p, calls[i].keys, calls[i].args...)
				} else {
					cmds[i] = script.EvalSha(ctx, p, calls[i].keys, calls[i].args...)
				}
			}
			return nil
		})
	}
	all := make([]int, len(calls))
	for i := range all {
		all[i] = i
	}
	run(all, false)
	var unknown []int
	for i, cmd := range cmds {
		if redis.HasErrorPrefix(cmd.Err(), "NOSCRIPT") {
			unknown = append(unknown, i)
		}
	}
	if len(unknown) > 0 {
		run(unknown, true)
	}
	for _, cmd := range cmds {
		if err := cmd.Err(); err != nil {
			return nil, err
		}
	}
	return cmds, nil
}

// Enqueue implements jobs.DeliveryQueue: one script per workspace records the new
// deliveries (pipelined), then one pipeline queues a copy of each new or still queued one.
// A crash between the two leaves records with no copy, which a replay of the batch queues.
func (s *Store) Enqueue(ctx context.Context, ds []jobs.Delivery) (int, error) {
	var calls []scriptCall
	var batches [][]jobs.Delivery
	index := make(map[string]int) // workspace -> its call
	seen := make(map[string]bool, len(ds))
	for i, d := range ds {
		data, err := jobs.MarshalDelivery(newRecord(d))
		if err != nil {
			return 0, fmt.Errorf("redisstore: enqueue: delivery %d of %d: %w", i+1, len(ds), err)
		}
		if seen[member(d)] {
			continue
		}
		seen[member(d)] = true
		w, ok := index[d.Workspace]
		if !ok {
			w = len(calls)
			index[d.Workspace] = w
			calls = append(calls, scriptCall{args: []any{recordTTLms}})
			batches = append(batches, nil)
		}
		calls[w].keys = append(calls[w].keys, s.deliveryKey(d.Workspace, d.Channel, d.Key))
		calls[w].args = append(calls[w].args, data)
		batches[w] = append(batches[w], d)
	}
	if len(ds) == 0 {
		return 0, nil
	}
	n, err := s.enqueue(ctx, calls, batches)
	if err != nil {
		return 0, fmt.Errorf("redisstore: enqueue: %w", err)
	}
	return n, nil
}

func (s *Store) enqueue(ctx context.Context, calls []scriptCall, batches [][]jobs.Delivery) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if err := s.ensureGroup(ctx); err != nil {
		return 0, err
	}
	cmds, err := s.runAll(ctx, enqueueScript, calls)
	if err != nil {
		return 0, fmt.Errorf("record: %w", err)
	}
	n := 0
	var copies []jobs.Delivery
	for w, cmd := range cmds {
		states, err := cmd.Int64Slice()
		if err == nil && len(states) != len(batches[w]) {
			err = fmt.Errorf("the enqueue script answered %v", states)
		}
		if err != nil {
			return 0, fmt.Errorf("record: %w", err)
		}
		for i, state := range states {
			if state == 1 {
				n++
			}
			if state >= 0 {
				copies = append(copies, batches[w][i])
			}
		}
	}
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, d := range copies {
			p.XAdd(ctx, &redis.XAddArgs{Stream: s.queue, Values: []any{"workspace", d.Workspace, "channel", d.Channel, "key", d.Key}})
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("queue: %w", err)
	}
	return n, nil
}

// newRecord is the part of d that Enqueue keeps in the record's delivery field: the rest of
// the record are fields of its own, which the scripts read and write.
func newRecord(d jobs.Delivery) jobs.Delivery {
	return jobs.Delivery{
		Workspace: d.Workspace, Channel: d.Channel, Key: d.Key, Subscription: d.Subscription,
		Openings: d.Openings, Enqueued: d.Enqueued,
	}
}

// Next implements jobs.DeliveryQueue: XAUTOCLAIM of the copies idle for reclaim (none when
// reclaim <= 0), a script that moves the due retries to the end of the queue (so they come
// after the new copies already waiting), XREADGROUP of new copies, waiting up to block when
// nothing else came, then the copies' records in one pipeline. A copy whose record is gone
// comes back with what its entry says, so that the caller can Ack it.
func (s *Store) Next(ctx context.Context, consumer string, max int, block, reclaim time.Duration) ([]jobs.Delivery, error) {
	if max <= 0 {
		return nil, nil
	}
	var entries []redis.XMessage
	err := ctx.Err()
	if err == nil {
		err = s.withGroup(ctx, func() error {
			var err error
			entries, err = s.take(ctx, consumer, max, block, reclaim)
			return err
		})
	}
	var out []jobs.Delivery
	if err == nil {
		out, err = s.copies(ctx, entries)
	}
	if err != nil {
		return nil, fmt.Errorf("redisstore: next for %s: %w", consumer, err)
	}
	return out, nil
}

func (s *Store) take(ctx context.Context, consumer string, n int, block, reclaim time.Duration) ([]redis.XMessage, error) {
	var entries []redis.XMessage
	if reclaim > 0 {
		msgs, _, err := s.rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{
			Stream: s.queue, Group: group, Consumer: consumer, MinIdle: reclaim, Start: "0-0", Count: int64(n),
		}).Result()
		if err != nil {
			return nil, fmt.Errorf("reclaim: %w", err)
		}
		entries = msgs
	}
	if len(entries) >= n {
		return entries[:n], nil
	}
	if err := moveScript.Run(ctx, s.rdb, []string{s.delayed, s.queue}, time.Now().UnixMilli(), movesPerNext).Err(); err != nil {
		return nil, fmt.Errorf("move due retries: %w", err)
	}
	wait := time.Duration(-1) // go-redis: no BLOCK
	if len(entries) == 0 && block > 0 {
		wait = max(block, time.Millisecond) // BLOCK 0 would wait for ever
	}
	streams, err := s.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{
		Group: group, Consumer: consumer, Streams: []string{s.queue, ">"}, Count: int64(n - len(entries)), Block: wait,
	}).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("read: %w", err)
	}
	for _, st := range streams {
		entries = append(entries, st.Messages...)
	}
	return entries, nil
}

// copies reads the records of the queue's entries in one pipeline.
func (s *Store) copies(ctx context.Context, entries []redis.XMessage) ([]jobs.Delivery, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	out := make([]jobs.Delivery, len(entries))
	cmds := make([]*redis.MapStringStringCmd, len(entries))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, e := range entries {
			field := func(name string) string { v, _ := e.Values[name].(string); return v }
			out[i] = jobs.Delivery{Workspace: field("workspace"), Channel: field("channel"), Key: field("key"), Receipt: e.ID}
			cmds[i] = p.HGetAll(ctx, s.deliveryKey(out[i].Workspace, out[i].Channel, out[i].Key))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("records: %w", err)
	}
	for i, cmd := range cmds {
		f := cmd.Val()
		if len(f) == 0 || jobs.CheckDelivery(out[i]) != nil {
			continue // the record is gone, or the entry is malformed: Claim answers ClaimDone
		}
		d, err := decodeRecord(f)
		if err != nil {
			return nil, fmt.Errorf("record of %s %s %s: %w", out[i].Workspace, out[i].Channel, out[i].Key, err)
		}
		d.Receipt = out[i].Receipt
		out[i] = d
	}
	return out, nil
}

// settle runs the {deliveries} side of a claim or an outcome (settle.lua).
func (s *Store) settle(ctx context.Context, d jobs.Delivery, lease, delayed string, sent, dead int64) error {
	return settleScript.Run(ctx, s.rdb, []string{s.queue, s.delayed, s.sending, s.sentCount, s.deadCount},
		group, d.Receipt, member(d), lease, delayed, sent, dead).Err()
}

// Claim implements jobs.DeliveryQueue: one script on the workspace's slot checks and writes
// the record; then the lease joins the {deliveries} index of those being sent, which another
// slot holds, so a crash between the two leaves the delivery out of the in-doubt count.
func (s *Store) Claim(ctx context.Context, d jobs.Delivery, consumer string, lease time.Duration, now time.Time) (jobs.Delivery, jobs.ClaimOutcome, error) {
	out, outcome, err := s.claim(ctx, d, consumer, lease, now)
	if err != nil {
		return jobs.Delivery{}, 0, fmt.Errorf("redisstore: claim %s %s %s: %w", d.Workspace, d.Channel, d.Key, err)
	}
	return out, outcome, nil
}

func (s *Store) claim(ctx context.Context, d jobs.Delivery, consumer string, lease time.Duration, now time.Time) (jobs.Delivery, jobs.ClaimOutcome, error) {
	if err := ctx.Err(); err != nil {
		return jobs.Delivery{}, 0, err
	}
	ends := now.Add(lease)
	res, err := claimScript.Run(ctx, s.rdb, []string{s.deliveryKey(d.Workspace, d.Channel, d.Key)},
		stamp(now), consumer, stamp(ends), recordTTLms).Slice()
	if err != nil {
		return jobs.Delivery{}, 0, err
	}
	answer, _ := res[0].(string)
	if answer == "unknown" {
		return d, jobs.ClaimDone, nil
	}
	outcomes := map[string]jobs.ClaimOutcome{"new": jobs.ClaimNew, "indoubt": jobs.ClaimInDoubt, "busy": jobs.ClaimBusy, "done": jobs.ClaimDone}
	outcome, ok := outcomes[answer]
	if !ok || len(res) != 3 {
		return jobs.Delivery{}, 0, fmt.Errorf("the claim script answered %v", res)
	}
	f, err := pairs(res[2])
	var out jobs.Delivery
	if err == nil {
		out, err = decodeRecord(f)
	}
	if err != nil {
		return jobs.Delivery{}, 0, err
	}
	out.Receipt = d.Receipt
	if outcome == jobs.ClaimInDoubt {
		prev, _ := res[1].(string)
		if out.ClaimedAt, err = parseStamp(prev); err != nil {
			return jobs.Delivery{}, 0, err
		}
	}
	if outcome == jobs.ClaimNew || outcome == jobs.ClaimInDoubt {
		noCopy := out
		noCopy.Receipt = "" // the copy stays on the queue until the outcome
		if err := s.settle(ctx, noCopy, strconv.FormatInt(ends.UnixMilli(), 10), "", 0, 0); err != nil {
			return jobs.Delivery{}, 0, fmt.Errorf("index the lease: %w", err)
		}
	}
	return out, outcome, nil
}

// outcome records the outcome op of consumer's claim with one script on the workspace's slot,
// then takes the copy off the queue, drops the lease from the index of those being sent and
// counts, with one script on the {deliveries} slot. It returns the delivery as enqueued.
func (s *Store) outcome(ctx context.Context, op string, d jobs.Delivery, consumer, text string, at time.Time) (jobs.Delivery, error) {
	if err := ctx.Err(); err != nil {
		return jobs.Delivery{}, err
	}
	res, err := outcomeScript.Run(ctx, s.rdb, []string{s.deliveryKey(d.Workspace, d.Channel, d.Key), s.deadKey(d.Workspace)},
		op, consumer, text, stamp(at), recordTTLms, at.UnixMilli(), d.Channel+"\x00"+d.Key, maxDeadLetters).Slice()
	if err != nil {
		return jobs.Delivery{}, err
	}
	status, _ := res[0].(int64)
	switch {
	case status == -1:
		return jobs.Delivery{}, jobs.ErrNoDelivery
	case status == 0:
		return jobs.Delivery{}, jobs.ErrNotClaimed
	case len(res) != 3:
		return jobs.Delivery{}, fmt.Errorf("the outcome script answered %v", res)
	}
	blob, _ := res[1].(string)
	dropped, _ := res[2].(int64)
	rec, err := jobs.UnmarshalDelivery([]byte(blob))
	if err != nil {
		return jobs.Delivery{}, err
	}
	var delayed string
	var sent, dead int64
	switch op {
	case "sent":
		sent = 1
	case "retry":
		delayed = strconv.FormatInt(ceilMillis(at), 10)
	case "dead":
		dead = 1 - dropped
	}
	if err := s.settle(ctx, d, "-", delayed, sent, dead); err != nil {
		return jobs.Delivery{}, fmt.Errorf("take the copy off the queue: %w", err)
	}
	return rec, nil
}

// Sent implements jobs.DeliveryQueue: the record, then the queue's side, then the post
// counted with CountPost; a crash between them can leave the copy queued (its next claim
// answers ClaimDone) or the post uncounted.
func (s *Store) Sent(ctx context.Context, d jobs.Delivery, consumer, messageID string, now time.Time) error {
	rec, err := s.outcome(ctx, "sent", d, consumer, messageID, now)
	if err == nil && rec.Subscription > 0 {
		if err = s.CountPost(ctx, rec.Workspace, rec.Subscription, 1); errors.Is(err, jobs.ErrNoSubscription) {
			err = nil // unsubscribed meanwhile: nothing to count
		}
	}
	if err != nil {
		return fmt.Errorf("redisstore: sent %s %s %s: %w", d.Workspace, d.Channel, d.Key, err)
	}
	return nil
}

// Retry implements jobs.DeliveryQueue: the record, then the copy off the queue and the
// retry's own copy among the delayed, at once.
func (s *Store) Retry(ctx context.Context, d jobs.Delivery, consumer string, at time.Time, reason string) error {
	if _, err := s.outcome(ctx, "retry", d, consumer, reason, at); err != nil {
		return fmt.Errorf("redisstore: retry %s %s %s: %w", d.Workspace, d.Channel, d.Key, err)
	}
	return nil
}

// Dead implements jobs.DeliveryQueue: the record and the dead letter at once, the workspace
// keeping its newest maxDeadLetters; then the queue's side.
func (s *Store) Dead(ctx context.Context, d jobs.Delivery, consumer, reason string, now time.Time) error {
	if _, err := s.outcome(ctx, "dead", d, consumer, reason, now); err != nil {
		return fmt.Errorf("redisstore: dead %s %s %s: %w", d.Workspace, d.Channel, d.Key, err)
	}
	return nil
}

// Ack implements jobs.DeliveryQueue with XACK and XDEL, in one script.
func (s *Store) Ack(ctx context.Context, d jobs.Delivery) error {
	err := ctx.Err()
	if err == nil && d.Receipt != "" {
		err = s.settle(ctx, d, "", "", 0, 0)
	}
	if err != nil {
		return fmt.Errorf("redisstore: ack %s %s %s: %w", d.Workspace, d.Channel, d.Key, err)
	}
	return nil
}

// Release implements jobs.DeliveryQueue: the copy leaves the stream and joins the retries due
// now, which the next Next of any consumer moves back into the stream.
func (s *Store) Release(ctx context.Context, d jobs.Delivery) error {
	err := ctx.Err()
	if err == nil && d.Receipt != "" {
		err = s.settle(ctx, d, "", strconv.FormatInt(time.Now().UnixMilli(), 10), 0, 0)
	}
	if err != nil {
		return fmt.Errorf("redisstore: release %s %s %s: %w", d.Workspace, d.Channel, d.Key, err)
	}
	return nil
}

// Delivery implements jobs.DeliveryQueue.
func (s *Store) Delivery(ctx context.Context, workspace, channel, key string) (jobs.Delivery, error) {
	err := ctx.Err()
	var f map[string]string
	if err == nil {
		f, err = s.rdb.HGetAll(ctx, s.deliveryKey(workspace, channel, key)).Result()
	}
	if err == nil && len(f) == 0 {
		err = jobs.ErrNoDelivery
	}
	var d jobs.Delivery
	if err == nil {
		d, err = decodeRecord(f)
	}
	if err != nil {
		return jobs.Delivery{}, fmt.Errorf("redisstore: delivery %s %s %s: %w", workspace, channel, key, err)
	}
	return d, nil
}

// DeadLetters implements jobs.DeliveryQueue: the workspace's zset, newest first, filtered by
// channel in Go (it holds at most maxDeadLetters), then the records, a pipeline at a time; a
// record that expired is skipped.
func (s *Store) DeadLetters(ctx context.Context, workspace, channel string, limit int) ([]jobs.Delivery, error) {
	out, err := s.deadLetters(ctx, workspace, channel, limit)
	if err != nil {
		return nil, fmt.Errorf("redisstore: dead letters of %s: %w", workspace, err)
	}
	return out, nil
}

func (s *Store) deadLetters(ctx context.Context, workspace, channel string, limit int) ([]jobs.Delivery, error) {
	out := []jobs.Delivery{}
	if err := ctx.Err(); err != nil || limit <= 0 {
		return out, err
	}
	members, err := s.rdb.ZRevRange(ctx, s.deadKey(workspace), 0, -1).Result()
	if err != nil {
		return nil, err
	}
	var keys []string
	for _, m := range members {
		ch, key, ok := strings.Cut(m, "\x00")
		if ok && (channel == "" || ch == channel) {
			keys = append(keys, s.deliveryKey(workspace, ch, key))
		}
	}
	for chunk := range slices.Chunk(keys, recordsPerPipe) {
		cmds := make([]*redis.MapStringStringCmd, len(chunk))
		_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			for i, k := range chunk {
				cmds[i] = p.HGetAll(ctx, k)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		for _, cmd := range cmds {
			if len(cmd.Val()) == 0 {
				continue
			}
			d, err := decodeRecord(cmd.Val())
			if err != nil {
				return nil, err
			}
			out = append(out, d)
			if len(out) == limit {
				return out, nil
			}
		}
	}
	return out, nil
}

// DeliveryStats implements jobs.DeliveryQueue in one script on the {deliveries} slot. Queued
// is the stream's length less its pending entries (acked entries are deleted) plus the
// delayed retries. InDoubt counts the leases of the index of those being sent that ended by
// this replica's clock: approximate, since a claim indexes its lease, and an outcome drops it,
// a round trip after writing the record.
func (s *Store) DeliveryStats(ctx context.Context) (jobs.DeliveryStats, error) {
	err := ctx.Err()
	var res []int64
	if err == nil {
		res, err = statsScript.Run(ctx, s.rdb, []string{s.queue, s.delayed, s.sending, s.sentCount, s.deadCount},
			group, time.Now().UnixMilli()).Int64Slice()
	}
	if err == nil && len(res) != 5 {
		err = fmt.Errorf("the stats script answered %v", res)
	}
	if err != nil {
		return jobs.DeliveryStats{}, fmt.Errorf("redisstore: delivery stats: %w", err)
	}
	return jobs.DeliveryStats{Queued: res[0], Pending: res[1], InDoubt: res[2], Dead: res[3], Sent: res[4]}, nil
}

// FanoutCursor implements jobs.DeliveryQueue.
func (s *Store) FanoutCursor(ctx context.Context) (int64, error) {
	err := ctx.Err()
	var n int64
	if err == nil {
		n, err = s.rdb.Get(ctx, s.fanout).Int64()
		if errors.Is(err, redis.Nil) {
			n, err = 0, nil
		}
	}
	if err != nil {
		return 0, fmt.Errorf("redisstore: fan-out cursor: %w", err)
	}
	return n, nil
}

// SetFanoutCursor implements jobs.DeliveryQueue; on a Fenced view, only while the lock's
// token is the view's.
func (s *Store) SetFanoutCursor(ctx context.Context, change int64) error {
	err := ctx.Err()
	if err == nil {
		err = s.write(ctx, s.fanout, "", change)
	}
	if err != nil {
		return fmt.Errorf("redisstore: set fan-out cursor to %d: %w", change, err)
	}
	return nil
}
