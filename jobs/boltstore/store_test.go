package boltstore_test

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
	"github.com/careerbot/careerbot/jobs/boltstore"
	"github.com/careerbot/careerbot/jobs/storetest"
	bolt "go.etcd.io/bbolt"
)

// openDB opens the bbolt file at path, closed when the test ends.
func openDB(t testing.TB, path string, opts *bolt.Options) *bolt.DB {
	t.Helper()
	db, err := bolt.Open(path, 0o600, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// newStore returns a store on a bbolt file of its own.
func newStore(t testing.TB) *boltstore.Store {
	t.Helper()
	s, err := boltstore.New(openDB(t, filepath.Join(t.TempDir(), "careerbot.db"), &bolt.Options{Timeout: time.Second}))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) jobs.Store { return newStore(t) })
}

func TestSubscriptionContract(t *testing.T) {
	storetest.RunSubscriptions(t, func(t *testing.T) jobs.SubscriptionStore { return newStore(t) })
}

// TestReopen proves that what one store wrote is what a store on the reopened file reads.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "careerbot.db")
	db := openDB(t, path, nil)
	s, err := boltstore.New(db)
	if err != nil {
		t.Fatal(err)
	}
	want := storetest.Openings("reopen", 3)
	if err := s.PutOpenings(t.Context(), want); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if s, err = boltstore.New(openDB(t, path, nil)); err != nil {
		t.Fatal(err)
	}
	var got []string
	last, err := s.Changes(t.Context(), 0, func(o jobs.Opening) error { got = append(got, o.ID); return nil })
	if err != nil || !slices.Equal(got, []string{want[0].ID, want[1].ID, want[2].ID}) || last != 3 {
		t.Errorf("Changes after reopening: %v, last %d, %v; want the three openings, last 3", got, last, err)
	}
}

func TestNewOnReadOnlyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "careerbot.db")
	if err := openDB(t, path, nil).Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := boltstore.New(openDB(t, path, &bolt.Options{ReadOnly: true})); err == nil {
		t.Error("New on a read-only database without the store's buckets succeeded")
	}
}

func TestDeliveryContract(t *testing.T) {
	storetest.RunDeliveries(t, func(t *testing.T) storetest.DeliveryStore { return newStore(t) })
}

func TestLockContract(t *testing.T) {
	storetest.RunLock(t, func(t *testing.T) jobs.Lock { return newStore(t).Lock("poller") })
}

// TestQueueReopen checks what the package doc says of a restart: the leases and the
// handouts are gone, so every copy not taken off the queue is handed out again, while the
// records and the lock's tokens stay.
func TestQueueReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "careerbot.db")
	db := openDB(t, path, nil)
	s, err := boltstore.New(db)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	d := jobs.Delivery{Workspace: "slack:T1", Channel: "C1", Key: "reopen:1"}
	if _, err := s.Enqueue(ctx, []jobs.Delivery{d}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Next(ctx, "a", 10, 0, time.Hour); err != nil || len(got) != 1 {
		t.Fatalf("Next before the restart: %v, %v", got, err)
	}
	first, _, err := s.Lock("poller").Acquire(ctx, "a", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	if s, err = boltstore.New(openDB(t, path, nil)); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Next(ctx, "b", 10, 0, time.Hour); err != nil || len(got) != 1 || got[0].Key != d.Key {
		t.Errorf("Next after the restart: %v, %v; want the copy a never took off the queue", got, err)
	}
	token, held, err := s.Lock("poller").Acquire(ctx, "b", time.Hour)
	if err != nil || !held || token <= first {
		t.Errorf("Acquire after the restart: %d, %v, %v; want the lock with a token greater than %d", token, held, err, first)
	}
}
