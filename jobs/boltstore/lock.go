package boltstore

import (
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/careerbot/careerbot/jobs"
	bolt "go.etcd.io/bbolt"
)

// leaseState is who holds one lock, with the fencing token and when the lease ends.
type leaseState struct {
	holder string
	token  int64
	until  time.Time
}

// lock is one of the store's locks: a lease kept in memory, since one process owns the file,
// with its tokens kept in the file so that they only grow across restarts.
type lock struct {
	s    *Store
	name string
}

// Lock returns the lock called name, a jobs.Lock among the callers of this process. Leases
// live in memory and end with the process; tokens are kept in the file.
func (s *Store) Lock(name string) jobs.Lock { return &lock{s: s, name: name} }

// Acquire implements jobs.Lock.
func (l *lock) Acquire(ctx context.Context, holder string, ttl time.Duration) (int64, bool, error) {
	if err := ctx.Err(); err != nil {
		return 0, false, fmt.Errorf("boltstore: acquire lock %s: %w", l.name, err)
	}
	q := l.s.q
	q.mu.Lock()
	defer q.mu.Unlock()
	now := time.Now()
	cur, ok := q.leases[l.name]
	if ok && now.Before(cur.until) {
		if cur.holder != holder {
			return cur.token, false, nil
		}
		cur.until = now.Add(ttl)
		q.leases[l.name] = cur
		return cur.token, true, nil
	}
	var token int64
	err := l.s.db.Update(func(tx *bolt.Tx) error {
		locks := tx.Bucket(rootBucket).Bucket(locksBucket)
		if data := locks.Get([]byte(l.name)); len(data) == 8 {
			token = int64(binary.BigEndian.Uint64(data))
		}
		token++
		return locks.Put([]byte(l.name), binary.BigEndian.AppendUint64(nil, uint64(token)))
	})
	if err != nil {
		return 0, false, fmt.Errorf("boltstore: acquire lock %s: %w", l.name, err)
	}
	q.leases[l.name] = leaseState{holder: holder, token: token, until: now.Add(ttl)}
	return token, true, nil
}

// Release implements jobs.Lock.
func (l *lock) Release(ctx context.Context, holder string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("boltstore: release lock %s: %w", l.name, err)
	}
	q := l.s.q
	q.mu.Lock()
	defer q.mu.Unlock()
	if cur, ok := q.leases[l.name]; ok && cur.holder == holder {
		delete(q.leases, l.name)
	}
	return nil
}

// Holder implements jobs.Lock.
func (l *lock) Holder(ctx context.Context) (string, int64, time.Time, error) {
	if err := ctx.Err(); err != nil {
		return "", 0, time.Time{}, fmt.Errorf("boltstore: lock %s: %w", l.name, err)
	}
	q := l.s.q
	q.mu.Lock()
	defer q.mu.Unlock()
	cur, ok := q.leases[l.name]
	if !ok || !time.Now().Before(cur.until) {
		return "", 0, time.Time{}, nil
	}
	return cur.holder, cur.token, cur.until.Round(0), nil
}
