package kv

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/redistest"
	bolt "go.etcd.io/bbolt"
)

// clock is a settable time for the bolt backend; Redis expiry is tested with real short TTLs.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type backend struct {
	store Store
	// expire makes a key with the given ttl expire.
	expire func(t *testing.T, ttl time.Duration)
}

func backends(t *testing.T) map[string]backend {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "kv.db"), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	b := NewBolt(db)
	b.now = c.now
	return map[string]backend{
		"bolt":  {store: b, expire: func(_ *testing.T, ttl time.Duration) { c.add(ttl) }},
		"redis": {store: NewRedis(redistest.Client(t)), expire: func(_ *testing.T, ttl time.Duration) { time.Sleep(ttl + 50*time.Millisecond) }},
		"redis-cluster": {store: NewRedis(redistest.StartCluster(t).Client(t)),
			expire: func(_ *testing.T, ttl time.Duration) { time.Sleep(ttl + 50*time.Millisecond) }},
	}
}

func TestContract(t *testing.T) {
	ctx := context.Background()
	for name, be := range backends(t) {
		t.Run(name, func(t *testing.T) {
			s := be.store
			prefix := fmt.Sprintf("careerbot:{test:%d}:", time.Now().UnixNano())
			if _, err := s.Get(ctx, prefix+"missing"); !errors.Is(err, ErrNotFound) {
				t.Errorf("Get of a missing key: %v", err)
			}
			if err := s.Set(ctx, prefix+"a", []byte("1"), 0); err != nil {
				t.Fatal(err)
			}
			if v, err := s.Get(ctx, prefix+"a"); err != nil || string(v) != "1" {
				t.Errorf("Get = %q, %v", v, err)
			}
			if ok, err := s.SetNX(ctx, prefix+"a", []byte("2"), 0); ok || err != nil {
				t.Errorf("SetNX over an existing key = %v, %v", ok, err)
			}
			if ok, err := s.SetNX(ctx, prefix+"b", []byte("x"), 200*time.Millisecond); !ok || err != nil {
				t.Errorf("SetNX of a new key = %v, %v", ok, err)
			}
			be.expire(t, 200*time.Millisecond)
			if _, err := s.Get(ctx, prefix+"b"); !errors.Is(err, ErrNotFound) {
				t.Errorf("Get after expiry: %v", err)
			}
			if ok, err := s.SetNX(ctx, prefix+"b", []byte("y"), 0); !ok || err != nil {
				t.Errorf("SetNX over an expired key = %v, %v", ok, err)
			}
			if err := s.Delete(ctx, prefix+"a"); err != nil {
				t.Fatal(err)
			}
			if err := s.Delete(ctx, prefix+"never"); err != nil {
				t.Errorf("Delete of a missing key: %v", err)
			}
			if _, err := s.Get(ctx, prefix+"a"); !errors.Is(err, ErrNotFound) {
				t.Errorf("Get after Delete: %v", err)
			}

			// Many replicas racing for one key: exactly one wins.
			var wins atomic.Int64
			var wg sync.WaitGroup
			for range 32 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if ok, err := s.SetNX(ctx, prefix+"race", []byte("x"), time.Minute); err != nil {
						t.Error(err)
					} else if ok {
						wins.Add(1)
					}
				}()
			}
			wg.Wait()
			if wins.Load() != 1 {
				t.Errorf("%d SetNX calls won, want 1", wins.Load())
			}
		})
	}
}

func TestBoltSweepsExpiredKeys(t *testing.T) {
	db, err := bolt.Open(filepath.Join(t.TempDir(), "kv.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := &clock{t: time.Unix(1_700_000_000, 0)}
	b := NewBolt(db)
	b.now = c.now
	ctx := context.Background()
	for i := range sweepEvery - 1 {
		if _, err := b.SetNX(ctx, fmt.Sprint("event:", i), nil, time.Hour); err != nil {
			t.Fatal(err)
		}
	}
	c.add(2 * time.Hour)
	if _, err := b.SetNX(ctx, "event:last", nil, time.Hour); err != nil { // the sweeping write
		t.Fatal(err)
	}
	var n int
	_ = db.View(func(tx *bolt.Tx) error { n = tx.Bucket(kvBucket).Stats().KeyN; return nil })
	if n != 1 {
		t.Errorf("%d keys after the sweep, want 1", n)
	}
}
