package kv

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

var kvBucket = []byte("kv")

// sweepEvery is how many writes pass between sweeps of expired keys, so keys that are written
// once and never read again (event ids) do not pile up.
const sweepEvery = 500

// Bolt is a Store in an embedded bbolt file. Values are stored with their expiry (Unix
// nanoseconds, 0 for none) in front; expired keys read as missing and are swept periodically.
type Bolt struct {
	db     *bolt.DB
	now    func() time.Time
	writes atomic.Int64
}

// NewBolt returns a Store on db; the caller owns and closes db.
func NewBolt(db *bolt.DB) *Bolt { return &Bolt{db: db, now: time.Now} }

func (b *Bolt) encode(value []byte, ttl time.Duration) []byte {
	var exp int64
	if ttl > 0 {
		exp = b.now().Add(ttl).UnixNano()
	}
	return append(binary.BigEndian.AppendUint64(nil, uint64(exp)), value...)
}

// live returns the value of a stored record, or false when it has expired.
func (b *Bolt) live(raw []byte) ([]byte, bool) {
	if len(raw) < 8 {
		return nil, false
	}
	exp := int64(binary.BigEndian.Uint64(raw))
	if exp != 0 && b.now().UnixNano() >= exp {
		return nil, false
	}
	return bytes.Clone(raw[8:]), true
}

// Get implements Store.
func (b *Bolt) Get(ctx context.Context, key string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var (
		v  []byte
		ok bool
	)
	err := b.db.View(func(tx *bolt.Tx) error {
		if bk := tx.Bucket(kvBucket); bk != nil {
			v, ok = b.live(bk.Get([]byte(key)))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("bolt get: %w", err)
	}
	if !ok {
		return nil, ErrNotFound
	}
	return v, nil
}

// Set implements Store.
func (b *Bolt) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	_, err := b.write(ctx, key, value, ttl, false)
	return err
}

// SetNX implements Store.
func (b *Bolt) SetNX(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	return b.write(ctx, key, value, ttl, true)
}

func (b *Bolt) write(ctx context.Context, key string, value []byte, ttl time.Duration, onlyNew bool) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	stored := false
	sweep := b.writes.Add(1)%sweepEvery == 0
	err := b.db.Update(func(tx *bolt.Tx) error {
		bk, err := tx.CreateBucketIfNotExists(kvBucket)
		if err != nil {
			return err
		}
		if sweep {
			if err := b.sweep(bk); err != nil {
				return err
			}
		}
		if onlyNew {
			if _, ok := b.live(bk.Get([]byte(key))); ok {
				return nil
			}
		}
		stored = true
		return bk.Put([]byte(key), b.encode(value, ttl))
	})
	if err != nil {
		return false, fmt.Errorf("bolt set: %w", err)
	}
	return stored, nil
}

// sweep deletes every expired key.
func (b *Bolt) sweep(bk *bolt.Bucket) error {
	var dead [][]byte
	if err := bk.ForEach(func(k, v []byte) error {
		if _, ok := b.live(v); !ok {
			dead = append(dead, bytes.Clone(k))
		}
		return nil
	}); err != nil {
		return err
	}
	for _, k := range dead {
		if err := bk.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// Delete implements Store.
func (b *Bolt) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := b.db.Update(func(tx *bolt.Tx) error {
		if bk := tx.Bucket(kvBucket); bk != nil {
			return bk.Delete([]byte(key))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("bolt delete: %w", err)
	}
	return nil
}
