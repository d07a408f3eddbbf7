package boltstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/careerbot/careerbot/jobs"
	bolt "go.etcd.io/bbolt"
)

var (
	deliveriesBucket = []byte("deliveries")
	queueBucket      = []byte("queue")
	delayedBucket    = []byte("delayed")
	sendingBucket    = []byte("sending")
	deadBucket       = []byte("dead")
	queueMetaBucket  = []byte("queuemeta")
	locksBucket      = []byte("locks")

	sentCount = []byte("sent")
	deadCount = []byte("dead")
	fanoutKey = []byte("fanout")
)

// The queue's limits.
const (
	maxDeadLetters = 1000 // kept per workspace, the oldest dropped first
	movesPerNext   = 1000 // due retries one Next moves into the queue
	pollEvery      = 20 * time.Millisecond
)

var errBadReceipt = errors.New("the receipt names no copy of this store")

// queueState is what the queue keeps in memory: which copies are handed out, to whom and
// since when, and the leases of the locks. One process owns the bolt file, so this is all of
// it; after a restart every copy still queued is handed out again.
type queueState struct {
	mu       sync.Mutex
	handouts map[uint64]handout // by the copy's sequence
	wake     chan struct{}      // closed, and replaced, when copies are queued
	leases   map[string]leaseState
}

type handout struct {
	consumer string
	at       time.Time
}

func newQueueState() *queueState {
	return &queueState{handouts: make(map[uint64]handout), wake: make(chan struct{}), leases: make(map[string]leaseState)}
}

// signal wakes the Next calls waiting for copies.
func (q *queueState) signal() {
	q.mu.Lock()
	close(q.wake)
	q.wake = make(chan struct{})
	q.mu.Unlock()
}

// queueBuckets are the queue's buckets within one transaction.
type queueBuckets struct {
	records, queue, delayed, sending, dead, meta *bolt.Bucket
}

func openQueue(tx *bolt.Tx) queueBuckets {
	root := tx.Bucket(rootBucket)
	return queueBuckets{
		records: root.Bucket(deliveriesBucket), queue: root.Bucket(queueBucket), delayed: root.Bucket(delayedBucket),
		sending: root.Bucket(sendingBucket), dead: root.Bucket(deadBucket), meta: root.Bucket(queueMetaBucket),
	}
}

// recordKey is a delivery's key in the deliveries bucket.
func recordKey(workspace, channel, key string) []byte {
	return []byte(workspace + "\x00" + channel + "\x00" + key)
}

// unixNano is t as 8 big-endian bytes, so that byte order is time order; times before 1970
// count as 1970.
func unixNano(t time.Time) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(max(t.UnixNano(), 0)))
}

func seqKey(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

// get decodes the record under rk, or returns jobs.ErrNoDelivery.
func (b queueBuckets) get(rk []byte) (jobs.Delivery, error) {
	data := b.records.Get(rk)
	if data == nil {
		return jobs.Delivery{}, jobs.ErrNoDelivery
	}
	return jobs.UnmarshalDelivery(data)
}

func (b queueBuckets) put(d jobs.Delivery) error {
	data, err := jobs.MarshalDelivery(d)
	if err != nil {
		return err
	}
	return b.records.Put(recordKey(d.Workspace, d.Channel, d.Key), data)
}

// push queues a copy of the delivery under rk.
func (b queueBuckets) push(rk []byte) error {
	n, err := b.queue.NextSequence()
	if err != nil {
		return err
	}
	return b.queue.Put(seqKey(n), rk)
}

// add adds n to one of the meta counters.
func (b queueBuckets) add(counter []byte, n int64) error {
	var v int64
	if data := b.meta.Get(counter); len(data) == 8 {
		v = int64(binary.BigEndian.Uint64(data))
	}
	return b.meta.Put(counter, binary.BigEndian.AppendUint64(nil, uint64(v+n)))
}

func (b queueBuckets) counter(counter []byte) int64 {
	if data := b.meta.Get(counter); len(data) == 8 {
		return int64(binary.BigEndian.Uint64(data))
	}
	return 0
}

// Enqueue implements jobs.DeliveryQueue in one transaction.
func (s *Store) Enqueue(ctx context.Context, ds []jobs.Delivery) (int, error) {
	records := make([][]byte, len(ds))
	for i, d := range ds {
		data, err := jobs.MarshalDelivery(newRecord(d))
		if err != nil {
			return 0, fmt.Errorf("boltstore: enqueue: delivery %d of %d: %w", i+1, len(ds), err)
		}
		records[i] = data
	}
	if len(ds) == 0 {
		return 0, nil
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("boltstore: enqueue: %w", err)
	}
	n, queued := 0, 0
	err := s.db.Update(func(tx *bolt.Tx) error {
		n, queued = 0, 0
		b := openQueue(tx)
		seen := make(map[string]bool, len(ds))
		for i, d := range ds {
			rk := recordKey(d.Workspace, d.Channel, d.Key)
			if seen[string(rk)] {
				continue
			}
			seen[string(rk)] = true
			switch existing, err := b.get(rk); {
			case errors.Is(err, jobs.ErrNoDelivery):
				if err := b.records.Put(rk, records[i]); err != nil {
					return err
				}
				n++
			case err != nil:
				return fmt.Errorf("%s %s %s: %w", d.Workspace, d.Channel, d.Key, err)
			case existing.State != jobs.Queued:
				continue // sent, given up, or being sent: no copy
			}
			if err := b.push(rk); err != nil {
				return err
			}
			queued++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("boltstore: enqueue: %w", err)
	}
	if queued > 0 {
		s.q.signal()
	}
	return n, nil
}

// newRecord is d as Enqueue records it: Queued, with nothing of an attempt.
func newRecord(d jobs.Delivery) jobs.Delivery {
	return jobs.Delivery{
		Workspace: d.Workspace, Channel: d.Channel, Key: d.Key, Subscription: d.Subscription,
		Openings: d.Openings, Enqueued: d.Enqueued, State: jobs.Queued,
	}
}

// Next implements jobs.DeliveryQueue. Handouts are kept in memory (see queueState): a copy
// is handed to one consumer until it is taken off the queue or reclaimed, and reclaim <= 0
// reclaims nothing. A due retry is moved to the end of the queue, behind the new copies
// already waiting, as in jobs/redisstore.
func (s *Store) Next(ctx context.Context, consumer string, max int, block, reclaim time.Duration) ([]jobs.Delivery, error) {
	if max <= 0 {
		return nil, nil
	}
	deadline := time.Now().Add(block)
	for {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("boltstore: next for %s: %w", consumer, err)
		}
		got, wake, err := s.take(consumer, max, reclaim)
		if err != nil {
			return nil, fmt.Errorf("boltstore: next for %s: %w", consumer, err)
		}
		left := time.Until(deadline)
		if len(got) > 0 || left <= 0 {
			return got, nil
		}
		timer := time.NewTimer(min(left, pollEvery)) // retries fall due and copies idle unsignalled
		select {
		case <-ctx.Done():
		case <-wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// take moves the due retries into the queue, hands consumer up to max copies, and returns
// the channel that is closed when more are queued.
func (s *Store) take(consumer string, max int, reclaim time.Duration) ([]jobs.Delivery, <-chan struct{}, error) {
	q := s.q
	q.mu.Lock()
	defer q.mu.Unlock()
	now := time.Now()
	if err := s.moveDue(now); err != nil {
		return nil, q.wake, err
	}
	var taken []uint64
	var out []jobs.Delivery
	err := s.db.View(func(tx *bolt.Tx) error {
		taken, out = nil, nil
		b := openQueue(tx)
		hand := func(seq uint64, rk []byte) error {
			d, err := b.get(rk)
			if errors.Is(err, jobs.ErrNoDelivery) {
				d, err = fromRecordKey(rk)
			}
			if err != nil {
				return fmt.Errorf("copy %d: %w", seq, err)
			}
			d.Receipt = strconv.FormatUint(seq, 10)
			taken, out = append(taken, seq), append(out, d)
			return nil
		}

		// Copies another consumer has kept too long, oldest first.
		if reclaim > 0 {
			var idle []uint64
			for seq, h := range q.handouts {
				if now.Sub(h.at) >= reclaim {
					idle = append(idle, seq)
				}
			}
			slices.Sort(idle)
			for _, seq := range idle {
				if len(out) == max {
					break
				}
				rk := b.queue.Get(seqKey(seq))
				if rk == nil {
					continue // taken off the queue meanwhile; its Ack forgets the handout
				}
				if err := hand(seq, rk); err != nil {
					return err
				}
			}
		}

		// Then the queue in order, past the copies handed out.
		qc := b.queue.Cursor()
		for k, rk := qc.First(); k != nil && len(out) < max; k, rk = qc.Next() {
			seq := binary.BigEndian.Uint64(k)
			if _, ok := q.handouts[seq]; ok {
				continue
			}
			if err := hand(seq, rk); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, q.wake, err
	}
	for _, seq := range taken {
		q.handouts[seq] = handout{consumer: consumer, at: now}
	}
	return out, q.wake, nil
}

// moveDue moves the retries due at now to the end of the queue; a write transaction only
// when one is due.
func (s *Store) moveDue(now time.Time) error {
	limit := unixNano(now)
	isDue := func(k []byte) bool { return k != nil && bytes.Compare(k[:min(8, len(k))], limit) <= 0 }
	var any bool
	if err := s.db.View(func(tx *bolt.Tx) error {
		k, _ := openQueue(tx).delayed.Cursor().First()
		any = isDue(k)
		return nil
	}); err != nil || !any {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		b := openQueue(tx)
		var due [][]byte
		c := b.delayed.Cursor()
		for k, _ := c.First(); isDue(k) && len(due) < movesPerNext; k, _ = c.Next() {
			due = append(due, bytes.Clone(k))
		}
		for _, k := range due {
			if err := b.push(b.delayed.Get(k)); err != nil {
				return err
			}
			if err := b.delayed.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

// fromRecordKey is what a copy whose record is gone says of its delivery.
func fromRecordKey(rk []byte) (jobs.Delivery, error) {
	parts := bytes.SplitN(rk, []byte{0}, 3)
	if len(parts) != 3 {
		return jobs.Delivery{}, fmt.Errorf("malformed delivery key %q", rk)
	}
	return jobs.Delivery{Workspace: string(parts[0]), Channel: string(parts[1]), Key: string(parts[2])}, nil
}

// Claim implements jobs.DeliveryQueue in one transaction, which bbolt runs one at a time.
func (s *Store) Claim(ctx context.Context, d jobs.Delivery, consumer string, lease time.Duration, now time.Time) (jobs.Delivery, jobs.ClaimOutcome, error) {
	if err := ctx.Err(); err != nil {
		return jobs.Delivery{}, 0, fmt.Errorf("boltstore: claim %s %s %s: %w", d.Workspace, d.Channel, d.Key, err)
	}
	var out jobs.Delivery
	var outcome jobs.ClaimOutcome
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := openQueue(tx)
		rk := recordKey(d.Workspace, d.Channel, d.Key)
		rec, err := b.get(rk)
		if errors.Is(err, jobs.ErrNoDelivery) {
			out, outcome = d, jobs.ClaimDone
			return nil
		}
		if err != nil {
			return err
		}
		out = rec
		switch rec.State {
		case jobs.Sent, jobs.Dead:
			outcome = jobs.ClaimDone
		case jobs.Queued:
			outcome = jobs.ClaimNew
			if rec.NotBefore.After(now) {
				outcome = jobs.ClaimDone
			}
		case jobs.Sending:
			outcome = jobs.ClaimInDoubt
			if until := b.sending.Get(rk); len(until) == 8 && bytes.Compare(until, unixNano(now)) > 0 {
				outcome = jobs.ClaimBusy
			}
		default:
			return fmt.Errorf("the record is in an unknown state %q", rec.State)
		}
		if outcome != jobs.ClaimNew && outcome != jobs.ClaimInDoubt {
			return nil
		}
		prev := rec.ClaimedAt
		rec.State, rec.Attempts, rec.ClaimedAt, rec.Consumer = jobs.Sending, rec.Attempts+1, now.UTC(), consumer
		if err := b.put(rec); err != nil {
			return err
		}
		if err := b.sending.Put(rk, unixNano(now.Add(lease))); err != nil {
			return err
		}
		out = rec
		if outcome == jobs.ClaimInDoubt {
			out.ClaimedAt = prev
		}
		return nil
	})
	if err != nil {
		return jobs.Delivery{}, 0, fmt.Errorf("boltstore: claim %s %s %s: %w", d.Workspace, d.Channel, d.Key, err)
	}
	out.Receipt = d.Receipt
	return out, outcome, nil
}

// settle records the outcome of consumer's claim of d in one transaction: change changes the
// record, and more writes what goes with it; the copy d.Receipt names leaves the queue.
func (s *Store) settle(ctx context.Context, d jobs.Delivery, consumer string, change func(*jobs.Delivery), more func(tx *bolt.Tx, b queueBuckets, rec jobs.Delivery) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	seq, hasCopy, err := parseReceipt(d.Receipt)
	if err != nil {
		return err
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := openQueue(tx)
		rk := recordKey(d.Workspace, d.Channel, d.Key)
		rec, err := b.get(rk)
		if err != nil {
			return err
		}
		if rec.State != jobs.Sending || rec.Consumer != consumer {
			return jobs.ErrNotClaimed
		}
		change(&rec)
		if err := b.put(rec); err != nil {
			return err
		}
		if err := b.sending.Delete(rk); err != nil {
			return err
		}
		if hasCopy {
			if err := b.queue.Delete(seqKey(seq)); err != nil {
				return err
			}
		}
		return more(tx, b, rec)
	})
	if err == nil && hasCopy {
		s.q.mu.Lock()
		delete(s.q.handouts, seq)
		s.q.mu.Unlock()
	}
	return err
}

// parseReceipt returns the copy's sequence, and false for no receipt.
func parseReceipt(receipt string) (uint64, bool, error) {
	if receipt == "" {
		return 0, false, nil
	}
	seq, err := strconv.ParseUint(receipt, 10, 64)
	if err != nil {
		return 0, false, fmt.Errorf("%w: %q", errBadReceipt, receipt)
	}
	return seq, true, nil
}

// Sent implements jobs.DeliveryQueue in one transaction: the record, the post counted on the
// subscription and the copy taken off the queue.
func (s *Store) Sent(ctx context.Context, d jobs.Delivery, consumer, messageID string, now time.Time) error {
	err := s.settle(ctx, d, consumer, func(rec *jobs.Delivery) {
		rec.State, rec.MessageID, rec.Done = jobs.Sent, messageID, now.UTC()
	}, func(tx *bolt.Tx, b queueBuckets, rec jobs.Delivery) error {
		if err := b.add(sentCount, 1); err != nil {
			return err
		}
		subs := openSubs(tx, rec.Workspace)
		sub, err := subs.get(rec.Subscription)
		if errors.Is(err, jobs.ErrNoSubscription) {
			return nil // unsubscribed meanwhile: nothing to count
		}
		if err != nil {
			return err
		}
		jobs.PostsChange(1)(&sub)
		data, err := jobs.MarshalSubscription(sub)
		if err != nil {
			return err
		}
		return subs.subs.Put(subKey(sub.ID), data)
	})
	if err != nil {
		return fmt.Errorf("boltstore: sent %s %s %s: %w", d.Workspace, d.Channel, d.Key, err)
	}
	return nil
}

// Retry implements jobs.DeliveryQueue in one transaction.
func (s *Store) Retry(ctx context.Context, d jobs.Delivery, consumer string, at time.Time, reason string) error {
	err := s.settle(ctx, d, consumer, func(rec *jobs.Delivery) {
		rec.State, rec.NotBefore, rec.LastError = jobs.Queued, at.UTC(), reason
	}, func(_ *bolt.Tx, b queueBuckets, rec jobs.Delivery) error {
		n, err := b.delayed.NextSequence()
		if err != nil {
			return err
		}
		return b.delayed.Put(append(unixNano(at), seqKey(n)...), recordKey(rec.Workspace, rec.Channel, rec.Key))
	})
	if err != nil {
		return fmt.Errorf("boltstore: retry %s %s %s: %w", d.Workspace, d.Channel, d.Key, err)
	}
	if time.Until(at) <= 0 {
		s.q.signal()
	}
	return nil
}

// Dead implements jobs.DeliveryQueue in one transaction; a workspace keeps its newest
// maxDeadLetters dead letters.
func (s *Store) Dead(ctx context.Context, d jobs.Delivery, consumer, reason string, now time.Time) error {
	err := s.settle(ctx, d, consumer, func(rec *jobs.Delivery) {
		rec.State, rec.LastError, rec.Done = jobs.Dead, reason, now.UTC()
	}, func(_ *bolt.Tx, b queueBuckets, rec jobs.Delivery) error {
		letters, err := b.dead.CreateBucketIfNotExists([]byte(rec.Workspace))
		if err != nil {
			return err
		}
		if err := letters.Put(deadKey(now, rec.Channel, rec.Key), nil); err != nil {
			return err
		}
		kept := count(letters)
		var oldest [][]byte
		c := letters.Cursor()
		for k, _ := c.First(); k != nil && kept-len(oldest) > maxDeadLetters; k, _ = c.Next() {
			oldest = append(oldest, bytes.Clone(k))
		}
		for _, k := range oldest {
			if err := letters.Delete(k); err != nil {
				return err
			}
		}
		return b.add(deadCount, 1-int64(len(oldest)))
	})
	if err != nil {
		return fmt.Errorf("boltstore: dead %s %s %s: %w", d.Workspace, d.Channel, d.Key, err)
	}
	return nil
}

// count counts the keys of a bucket; Stats would miss those of the transaction in progress.
func count(b *bolt.Bucket) int {
	n := 0
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		n++
	}
	return n
}

// deadKey is a dead letter's key in its workspace's bucket: the time, so that byte order is
// time order, then the channel and the key.
func deadKey(done time.Time, channel, key string) []byte {
	return append(unixNano(done), channel+"\x00"+key...)
}

// Ack implements jobs.DeliveryQueue.
func (s *Store) Ack(ctx context.Context, d jobs.Delivery) error {
	err := ctx.Err()
	var seq uint64
	var hasCopy bool
	if err == nil {
		seq, hasCopy, err = parseReceipt(d.Receipt)
	}
	if err == nil && hasCopy {
		err = s.db.Update(func(tx *bolt.Tx) error { return openQueue(tx).queue.Delete(seqKey(seq)) })
	}
	if err != nil {
		return fmt.Errorf("boltstore: ack %s %s %s: %w", d.Workspace, d.Channel, d.Key, err)
	}
	if hasCopy {
		s.q.mu.Lock()
		delete(s.q.handouts, seq)
		s.q.mu.Unlock()
	}
	return nil
}

// Release implements jobs.DeliveryQueue: the copy stays queued and is no longer handed out,
// so the next Next gives it again.
func (s *Store) Release(ctx context.Context, d jobs.Delivery) error {
	seq, hasCopy, err := parseReceipt(d.Receipt)
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return fmt.Errorf("boltstore: release %s %s %s: %w", d.Workspace, d.Channel, d.Key, err)
	}
	if hasCopy {
		s.q.mu.Lock()
		delete(s.q.handouts, seq)
		s.q.mu.Unlock()
		s.q.signal()
	}
	return nil
}

// Delivery implements jobs.DeliveryQueue.
func (s *Store) Delivery(ctx context.Context, workspace, channel, key string) (jobs.Delivery, error) {
	err := ctx.Err()
	var d jobs.Delivery
	if err == nil {
		err = s.db.View(func(tx *bolt.Tx) error {
			d, err = openQueue(tx).get(recordKey(workspace, channel, key))
			return err
		})
	}
	if err != nil {
		return jobs.Delivery{}, fmt.Errorf("boltstore: delivery %s %s %s: %w", workspace, channel, key, err)
	}
	return d, nil
}

// DeadLetters implements jobs.DeliveryQueue, newest first from the workspace's bucket.
func (s *Store) DeadLetters(ctx context.Context, workspace, channel string, limit int) ([]jobs.Delivery, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("boltstore: dead letters of %s: %w", workspace, err)
	}
	out := []jobs.Delivery{}
	err := s.db.View(func(tx *bolt.Tx) error {
		b := openQueue(tx)
		letters := b.dead.Bucket([]byte(workspace))
		if letters == nil {
			return nil
		}
		c := letters.Cursor()
		for k, _ := c.Last(); k != nil && len(out) < limit; k, _ = c.Prev() {
			ch, key, ok := bytes.Cut(k[min(8, len(k)):], []byte{0})
			if !ok {
				return fmt.Errorf("malformed dead letter %q", k)
			}
			if channel != "" && string(ch) != channel {
				continue
			}
			d, err := b.get(recordKey(workspace, string(ch), string(key)))
			if errors.Is(err, jobs.ErrNoDelivery) {
				continue
			}
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("boltstore: dead letters of %s: %w", workspace, err)
	}
	return out, nil
}

// DeliveryStats implements jobs.DeliveryQueue; it reads the queue, the delayed retries and
// the leases whole, which a single process's queue keeps small.
func (s *Store) DeliveryStats(ctx context.Context) (jobs.DeliveryStats, error) {
	if err := ctx.Err(); err != nil {
		return jobs.DeliveryStats{}, fmt.Errorf("boltstore: delivery stats: %w", err)
	}
	s.q.mu.Lock()
	defer s.q.mu.Unlock()
	var st jobs.DeliveryStats
	now := unixNano(time.Now())
	err := s.db.View(func(tx *bolt.Tx) error {
		b := openQueue(tx)
		err := b.queue.ForEach(func(k, _ []byte) error {
			if _, ok := s.q.handouts[binary.BigEndian.Uint64(k)]; ok {
				st.Pending++
			} else {
				st.Queued++
			}
			return nil
		})
		if err != nil {
			return err
		}
		st.Queued += int64(count(b.delayed))
		err = b.sending.ForEach(func(_, until []byte) error {
			if bytes.Compare(until, now) <= 0 {
				st.InDoubt++
			}
			return nil
		})
		st.Dead, st.Sent = b.counter(deadCount), b.counter(sentCount)
		return err
	})
	if err != nil {
		return jobs.DeliveryStats{}, fmt.Errorf("boltstore: delivery stats: %w", err)
	}
	return st, nil
}

// FanoutCursor implements jobs.DeliveryQueue.
func (s *Store) FanoutCursor(ctx context.Context) (int64, error) {
	err := ctx.Err()
	var n int64
	if err == nil {
		err = s.db.View(func(tx *bolt.Tx) error { n = openQueue(tx).counter(fanoutKey); return nil })
	}
	if err != nil {
		return 0, fmt.Errorf("boltstore: fan-out cursor: %w", err)
	}
	return n, nil
}

// SetFanoutCursor implements jobs.DeliveryQueue.
func (s *Store) SetFanoutCursor(ctx context.Context, change int64) error {
	err := ctx.Err()
	if err == nil {
		err = s.db.Update(func(tx *bolt.Tx) error {
			return openQueue(tx).meta.Put(fanoutKey, binary.BigEndian.AppendUint64(nil, uint64(change)))
		})
	}
	if err != nil {
		return fmt.Errorf("boltstore: set fan-out cursor to %d: %w", change, err)
	}
	return nil
}
