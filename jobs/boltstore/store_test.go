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
