// Package boltstore keeps job openings and the poller's per-source status in an embedded bbolt
// file, for a careerbot that runs alone with no Redis: one process, one file, ACID
// transactions. It implements jobs.Store, jobs.SubscriptionStore, jobs.DeliveryQueue and,
// through Store.Lock, jobs.Lock.
//
// # Layout
//
// One top-level bucket, "jobs", holds:
//
//	openings     id -> the opening's record (jobs.MarshalOpening)
//	seq          change number (8-byte big-endian) -> id
//	idseq        id -> its current change number (8 bytes), then its source's name
//	bysource     source + "\x00" + id -> empty
//	sources      name -> the source's status (jobs.MarshalSource)
//	subs         a bucket per workspace (its workspace.Key), whose sequence is the last
//	             subscription id given out: id (8-byte big-endian) -> the subscription
//	             (jobs.MarshalSubscription)
//	subchannels  a bucket per workspace, and in it a bucket per channel:
//	             id (8-byte big-endian) -> the subscription's query
//	deliveries   workspace + "\x00" + channel + "\x00" + key -> the delivery's record
//	             (jobs.MarshalDelivery)
//	queue        copy sequence (8-byte big-endian) -> the delivery's key in deliveries
//	delayed      due time (unix ns, 8 bytes) + sequence (8 bytes) -> the delivery's key
//	sending      the delivery's key -> when the lease of its claim ends (unix ns, 8 bytes),
//	             while it is Sending
//	dead         a bucket per workspace: done time (unix ns, 8 bytes) + channel + "\x00" +
//	             key -> empty, the newest 1000 kept
//	queuemeta    "sent", "dead" -> counts; "fanout" -> the fan-out cursor (8 bytes each)
//	locks        lock name -> the last fencing token given (8 bytes)
//
// Change numbers come from the seq bucket's sequence, so they only grow. A rewrite deletes the
// opening's previous seq entry, found through idseq, which is why each opening appears in seq
// once, at its latest write. idseq also keeps the source the opening is indexed under, so that a
// rewrite under another source, or a delete, finds its bysource entry without decoding the old
// record.
//
// Each PutOpenings and each DeleteOpenings is one bbolt transaction: the whole batch or none
// of it. Changes reads a page of openings per read transaction and calls fn outside it, so fn
// may write to the store and a slow fn holds no transaction open; AllSubscriptions does the
// same.
//
// A workspace's subscription ids come from its bucket's sequence, which is kept when the
// workspace's last subscription goes, so an id is never given twice. Subscribe reads the
// channel's bucket (at most 25 entries) for the limit and the duplicate query and writes
// both buckets in one transaction; bbolt runs write transactions one at a time, so two
// Subscribe calls cannot both pass the checks. A channel's bucket is removed with its last
// subscription.
//
// # Deliveries
//
// Every call of the queue is one transaction, so a claim's checks and its write, or an
// outcome with its copy leaving the queue and the post counted on the subscription, happen
// together. A copy stays in the queue bucket until it is taken off (Ack, Sent, Retry, Dead);
// which copies are handed out, to whom and since when, is kept in memory, because one process
// owns the file: after a restart every copy still in the queue is handed out again, and the
// records decide what is done with each. A retry waits in delayed and joins the end of the
// queue when it falls due, behind the new copies already waiting. Next waits for copies on a
// signal from Enqueue, and looks again every 20 ms for retries that fell due and copies to
// reclaim. Workspace and channel ids hold no NUL byte, which the keys use as a separator.
//
// A lock's lease lives in memory too, and ends with the process; its tokens are kept in the
// file, so that they only grow across restarts.
package boltstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"

	"github.com/careerbot/careerbot/jobs"
	bolt "go.etcd.io/bbolt"
)

var (
	rootBucket     = []byte("jobs")
	openingsBucket = []byte("openings")
	seqBucket      = []byte("seq")
	idseqBucket    = []byte("idseq")
	bysourceBucket = []byte("bysource")
	sourcesBucket  = []byte("sources")
)

// pageSize is how many openings Changes reads per transaction.
const pageSize = 1000

// Store implements jobs.Store on bbolt.
type Store struct {
	db *bolt.DB
	q  *queueState
}

// New returns a store on an open database, creating its buckets; the caller owns and closes db.
func New(db *bolt.DB) (*Store, error) {
	err := db.Update(func(tx *bolt.Tx) error {
		root, err := tx.CreateBucketIfNotExists(rootBucket)
		if err != nil {
			return err
		}
		for _, name := range [][]byte{openingsBucket, seqBucket, idseqBucket, bysourceBucket, sourcesBucket, subsBucket, subChannelsBucket,
			deliveriesBucket, queueBucket, delayedBucket, sendingBucket, deadBucket, queueMetaBucket, locksBucket} {
			if _, err := root.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("boltstore: create buckets: %w", err)
	}
	return &Store{db: db, q: newQueueState()}, nil
}

// buckets are the store's buckets within one transaction.
type buckets struct {
	openings, seq, idseq, bysource, sources *bolt.Bucket
}

func open(tx *bolt.Tx) buckets {
	root := tx.Bucket(rootBucket)
	return buckets{
		openings: root.Bucket(openingsBucket), seq: root.Bucket(seqBucket), idseq: root.Bucket(idseqBucket),
		bysource: root.Bucket(bysourceBucket), sources: root.Bucket(sourcesBucket),
	}
}

func sourceKey(source, id []byte) []byte {
	k := make([]byte, 0, len(source)+1+len(id))
	k = append(k, source...)
	k = append(k, 0)
	return append(k, id...)
}

// unindex removes the seq and bysource entries of id's current write, if it has one.
func (b buckets) unindex(id []byte) error {
	prev := b.idseq.Get(id)
	if prev == nil {
		return nil
	}
	prev = bytes.Clone(prev) // bbolt's slice is not ours to keep across writes
	if err := b.seq.Delete(prev[:8]); err != nil {
		return err
	}
	return b.bysource.Delete(sourceKey(prev[8:], id))
}

// PutOpenings implements jobs.Store in one transaction.
func (s *Store) PutOpenings(ctx context.Context, openings []jobs.Opening) error {
	if len(openings) == 0 {
		return nil
	}
	// Encode outside the transaction: it holds bbolt's only writer lock.
	records, err := jobs.MarshalOpenings(openings)
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return fmt.Errorf("boltstore: put openings: %w", err)
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		b := open(tx)
		for i, o := range openings {
			id, source := []byte(o.ID), []byte(o.Source)
			if err := b.unindex(id); err != nil {
				return err
			}
			n, err := b.seq.NextSequence()
			if err != nil {
				return err
			}
			change := binary.BigEndian.AppendUint64(make([]byte, 0, 8+len(source)), n)
			if err := b.seq.Put(change[:8], id); err != nil {
				return err
			}
			if err := b.idseq.Put(id, append(change, source...)); err != nil {
				return err
			}
			if err := b.bysource.Put(sourceKey(source, id), []byte{}); err != nil {
				return err
			}
			if err := b.openings.Put(id, records[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("boltstore: put openings: %w", err)
	}
	return nil
}

// lookup reads the record under key in one of the store's buckets and decodes it, or returns
// jobs.ErrNotFound.
func lookup[T any](ctx context.Context, s *Store, bucket func(buckets) *bolt.Bucket, key string, decode func([]byte) (T, error)) (T, error) {
	var v T
	if err := ctx.Err(); err != nil {
		return v, err
	}
	err := s.db.View(func(tx *bolt.Tx) error {
		data := bucket(open(tx)).Get([]byte(key))
		if data == nil {
			return jobs.ErrNotFound
		}
		var err error
		v, err = decode(data)
		return err
	})
	return v, err
}

// Opening implements jobs.Store.
func (s *Store) Opening(ctx context.Context, id string) (jobs.Opening, error) {
	o, err := lookup(ctx, s, func(b buckets) *bolt.Bucket { return b.openings }, id, jobs.UnmarshalOpening)
	if err != nil {
		return jobs.Opening{}, fmt.Errorf("boltstore: opening %q: %w", id, err)
	}
	return o, nil
}

// SourceOpenings implements jobs.Store.
func (s *Store) SourceOpenings(ctx context.Context, source string) ([]jobs.Opening, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("boltstore: openings of %q: %w", source, err)
	}
	var out []jobs.Opening
	err := s.db.View(func(tx *bolt.Tx) error {
		b := open(tx)
		prefix := sourceKey([]byte(source), nil)
		c := b.bysource.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			id := k[len(prefix):]
			data := b.openings.Get(id)
			if data == nil {
				return fmt.Errorf("source index names missing opening %q", id)
			}
			o, err := jobs.UnmarshalOpening(data)
			if err != nil {
				return err
			}
			out = append(out, o)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("boltstore: openings of %q: %w", source, err)
	}
	return out, nil
}

// change is one opening Changes read, with its change number.
type change struct {
	n       int64
	opening jobs.Opening
}

// page reads up to pageSize openings whose change numbers are greater than after.
func (s *Store) page(after int64) ([]change, error) {
	var out []change
	err := s.db.View(func(tx *bolt.Tx) error {
		b := open(tx)
		c := b.seq.Cursor()
		for k, id := c.Seek(binary.BigEndian.AppendUint64(nil, uint64(after)+1)); k != nil && len(out) < pageSize; k, id = c.Next() {
			data := b.openings.Get(id)
			if data == nil {
				return fmt.Errorf("change %x names missing opening %q", k, id)
			}
			o, err := jobs.UnmarshalOpening(data)
			if err != nil {
				return err
			}
			out = append(out, change{n: int64(binary.BigEndian.Uint64(k)), opening: o})
		}
		return nil
	})
	return out, err
}

// Changes implements jobs.Store, a page of openings at a time.
func (s *Store) Changes(ctx context.Context, after int64, fn func(jobs.Opening) error) (int64, error) {
	last := after
	for {
		if err := ctx.Err(); err != nil {
			return last, fmt.Errorf("boltstore: changes after %d: %w", last, err)
		}
		page, err := s.page(max(last, 0))
		if err != nil {
			return last, fmt.Errorf("boltstore: changes after %d: %w", last, err)
		}
		for _, c := range page {
			if err := ctx.Err(); err != nil {
				return last, fmt.Errorf("boltstore: changes after %d: %w", last, err)
			}
			if err := fn(c.opening); err != nil {
				return last, err
			}
			last = c.n
		}
		if len(page) < pageSize {
			return last, nil
		}
	}
}

// DeleteOpenings implements jobs.Store in one transaction.
func (s *Store) DeleteOpenings(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("boltstore: delete openings: %w", err)
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b := open(tx)
		for _, id := range ids {
			if id == "" {
				continue // nothing is stored under an empty ID
			}
			key := []byte(id)
			if err := b.unindex(key); err != nil {
				return err
			}
			if err := b.idseq.Delete(key); err != nil {
				return err
			}
			if err := b.openings.Delete(key); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("boltstore: delete openings: %w", err)
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
		err = s.db.Update(func(tx *bolt.Tx) error { return open(tx).sources.Put([]byte(st.Name), data) })
	}
	if err != nil {
		return fmt.Errorf("boltstore: put source %q: %w", st.Name, err)
	}
	return nil
}

// Source implements jobs.Store.
func (s *Store) Source(ctx context.Context, name string) (jobs.SourceStatus, error) {
	st, err := lookup(ctx, s, func(b buckets) *bolt.Bucket { return b.sources }, name, jobs.UnmarshalSource)
	if err != nil {
		return jobs.SourceStatus{}, fmt.Errorf("boltstore: source %q: %w", name, err)
	}
	return st, nil
}

// Sources implements jobs.Store; bbolt keeps keys in byte order, which is the order by name.
func (s *Store) Sources(ctx context.Context) ([]jobs.SourceStatus, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("boltstore: sources: %w", err)
	}
	var out []jobs.SourceStatus
	err := s.db.View(func(tx *bolt.Tx) error {
		return open(tx).sources.ForEach(func(_, data []byte) error {
			st, err := jobs.UnmarshalSource(data)
			if err != nil {
				return err
			}
			out = append(out, st)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("boltstore: sources: %w", err)
	}
	return out, nil
}
