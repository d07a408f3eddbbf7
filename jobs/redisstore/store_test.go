package redisstore_test

import (
	"context"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/redistest"
	"github.com/careerbot/careerbot/jobs"
	"github.com/careerbot/careerbot/jobs/redisstore"
	"github.com/careerbot/careerbot/jobs/storetest"
	"github.com/redis/go-redis/v9"
)

// prefixes gives every store of a test run a key prefix of its own, so that stores on one
// Redis (REDIS_URL's included) see nothing of each other.
func prefixes() func() string {
	run := time.Now().UnixNano()
	var n atomic.Int64
	return func() string { return fmt.Sprintf("careerbot:test%d-%d:", run, n.Add(1)) }
}

func TestContract(t *testing.T) {
	rdb := redistest.Client(t)
	prefix := prefixes()
	storetest.Run(t, func(*testing.T) jobs.Store { return redisstore.NewWithPrefix(rdb, prefix()) })
}

func TestSubscriptionContract(t *testing.T) {
	rdb := redistest.Client(t)
	prefix := prefixes()
	storetest.RunSubscriptions(t, func(*testing.T) jobs.SubscriptionStore { return redisstore.NewWithPrefix(rdb, prefix()) })
}

// TestCluster runs the contract on a three-node Redis Cluster, and checks that the records
// spread over its nodes while the index keys share one slot.
func TestCluster(t *testing.T) {
	rdb := redistest.StartCluster(t).Client(t)
	prefix := prefixes()
	t.Run("Contract", func(t *testing.T) {
		storetest.Run(t, func(*testing.T) jobs.Store { return redisstore.NewWithPrefix(rdb, prefix()) })
	})
	t.Run("SubscriptionContract", func(t *testing.T) {
		storetest.RunSubscriptions(t, func(*testing.T) jobs.SubscriptionStore { return redisstore.NewWithPrefix(rdb, prefix()) })
	})
	t.Run("DeliveryContract", func(t *testing.T) {
		storetest.RunDeliveries(t, func(*testing.T) storetest.DeliveryStore { return redisstore.NewWithPrefix(rdb, prefix()) })
	})
	t.Run("LockContract", func(t *testing.T) {
		storetest.RunLock(t, func(*testing.T) jobs.Lock { return redisstore.NewWithPrefix(rdb, prefix()).Lock("poller") })
	})
	t.Run("Fenced", func(t *testing.T) { testFenced(t, rdb, prefix()) })
	t.Run("RecordsSpread", func(t *testing.T) {
		p := prefix()
		if err := redisstore.NewWithPrefix(rdb, p).PutOpenings(t.Context(), storetest.Openings("spread", 100)); err != nil {
			t.Fatal(err)
		}
		var nodes atomic.Int64
		err := rdb.ForEachMaster(t.Context(), func(ctx context.Context, node *redis.Client) error {
			keys, _, err := node.Scan(ctx, 0, p+"job:*", 1000).Result()
			if len(keys) > 0 {
				nodes.Add(1)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if nodes.Load() != 3 {
			t.Errorf("100 records live on %d of 3 nodes", nodes.Load())
		}
	})
}

// sortedKeys returns the keys that match pattern, sorted.
func sortedKeys(t *testing.T, rdb redis.UniversalClient, pattern string) []string {
	t.Helper()
	keys, err := rdb.Keys(t.Context(), pattern).Result()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(keys)
	return keys
}

// TestKeyLayout pins the keys the package doc promises, on a server of its own.
func TestKeyLayout(t *testing.T) {
	rdb := redistest.Start(t).Client(t)
	s := redisstore.New(rdb)
	o := storetest.Openings("greenhouse", 1)[0]
	if err := s.PutOpenings(t.Context(), []jobs.Opening{o}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutSource(t.Context(), jobs.SourceStatus{Name: "greenhouse"}); err != nil {
		t.Fatal(err)
	}
	keys := sortedKeys(t, rdb, "*")
	want := []string{
		"careerbot:job:{greenhouse:0}", "careerbot:{jobs}:changes", "careerbot:{jobs}:seq",
		"careerbot:{jobs}:source:greenhouse", "careerbot:{jobs}:sourceof", "careerbot:{jobs}:sources",
	}
	if !slices.Equal(keys, want) {
		t.Errorf("keys\n%q\nwant\n%q", keys, want)
	}
}

// TestHalfWrites stands for a crash between a write's two steps, records and index, and
// checks what the package doc says readers see.
func TestHalfWrites(t *testing.T) {
	rdb := redistest.Client(t)
	p := prefixes()()
	s := redisstore.NewWithPrefix(rdb, p)
	ctx := t.Context()
	openings := storetest.Openings("half", 3)
	if err := s.PutOpenings(ctx, openings[:2]); err != nil {
		t.Fatal(err)
	}
	visit := func(after int64) ([]string, int64) {
		t.Helper()
		var ids []string
		last, err := s.Changes(ctx, after, func(o jobs.Opening) error { ids = append(ids, o.ID); return nil })
		if err != nil {
			t.Fatal(err)
		}
		return ids, last
	}
	_, before := visit(0)

	// A record written, its index not: readable by ID, not yet a change.
	data, err := jobs.MarshalOpening(openings[2])
	if err != nil {
		t.Fatal(err)
	}
	if err := rdb.Set(ctx, p+"job:{"+openings[2].ID+"}", data, 0).Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Opening(ctx, openings[2].ID); err != nil {
		t.Errorf("Opening of a record with no index entry: %v", err)
	}
	if ids, last := visit(before); len(ids) != 0 || last != before {
		t.Errorf("Changes sees %v (last %d) before the index, want nothing", ids, last)
	}

	// A record deleted, its index not: skipped, and passed.
	if err := rdb.Del(ctx, p+"job:{"+openings[0].ID+"}").Err(); err != nil {
		t.Fatal(err)
	}
	if ids, _ := visit(0); !slices.Equal(ids, []string{openings[1].ID}) {
		t.Errorf("Changes(0) with a dangling index entry: %v, want only %s", ids, openings[1].ID)
	}
	got, err := s.SourceOpenings(ctx, "half")
	if err != nil || len(got) != 1 || got[0].ID != openings[1].ID {
		t.Errorf("SourceOpenings with a dangling index entry: %d openings, %v", len(got), err)
	}

	// A record rewritten under another source, its index not: the old source lists it no more.
	moved := openings[1]
	moved.Source = "elsewhere"
	if data, err = jobs.MarshalOpening(moved); err != nil {
		t.Fatal(err)
	}
	if err := rdb.Set(ctx, p+"job:{"+moved.ID+"}", data, 0).Err(); err != nil {
		t.Fatal(err)
	}
	if got, err := s.SourceOpenings(ctx, "half"); err != nil || len(got) != 0 {
		t.Errorf("SourceOpenings of the old source: %d openings, %v; want none", len(got), err)
	}

	// The next put repairs all three.
	if err := s.PutOpenings(ctx, []jobs.Opening{openings[2], openings[0], moved}); err != nil {
		t.Fatal(err)
	}
	if ids, _ := visit(before); !slices.Equal(ids, []string{openings[2].ID, openings[0].ID, moved.ID}) {
		t.Errorf("Changes after the repairing put: %v", ids)
	}
	for source, want := range map[string]int{"half": 2, "elsewhere": 1} {
		if got, err := s.SourceOpenings(ctx, source); err != nil || len(got) != want {
			t.Errorf("SourceOpenings(%s) after the repairing put: %d openings, %v; want %d", source, len(got), err, want)
		}
	}
}

// TestIndexCleanup checks that moving an opening to another source and deleting it leave no
// index entry behind: readers would skip a stale one, but it would stay in Redis for good.
func TestIndexCleanup(t *testing.T) {
	rdb := redistest.Client(t)
	p := prefixes()()
	s := redisstore.NewWithPrefix(rdb, p)
	ctx := t.Context()
	o := storetest.Openings("first", 1)[0]
	if err := s.PutOpenings(ctx, []jobs.Opening{o}); err != nil {
		t.Fatal(err)
	}
	o.Source = "second"
	if err := s.PutOpenings(ctx, []jobs.Opening{o}); err != nil {
		t.Fatal(err)
	}
	keys := func() []string { t.Helper(); return sortedKeys(t, rdb, p+"*") }
	index := p + "{jobs}:"
	if got, want := keys(), []string{p + "job:{" + o.ID + "}", index + "changes", index + "seq", index + "source:second", index + "sourceof"}; !slices.Equal(got, want) {
		t.Errorf("keys after the move\n%q\nwant\n%q", got, want)
	}
	if err := s.DeleteOpenings(ctx, []string{o.ID}); err != nil {
		t.Fatal(err)
	}
	if got, want := keys(), []string{index + "seq"}; !slices.Equal(got, want) {
		t.Errorf("keys after the delete\n%q\nwant\n%q", got, want)
	}
}

func TestDeliveryContract(t *testing.T) {
	rdb := redistest.Client(t)
	prefix := prefixes()
	storetest.RunDeliveries(t, func(*testing.T) storetest.DeliveryStore { return redisstore.NewWithPrefix(rdb, prefix()) })
}

func TestLockContract(t *testing.T) {
	rdb := redistest.Client(t)
	prefix := prefixes()
	storetest.RunLock(t, func(*testing.T) jobs.Lock { return redisstore.NewWithPrefix(rdb, prefix()).Lock("poller") })
}
