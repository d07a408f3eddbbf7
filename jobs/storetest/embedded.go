package storetest

import (
	"path/filepath"
	"testing"

	"github.com/careerbot/careerbot/jobs"
	"github.com/careerbot/careerbot/jobs/boltstore"
	bolt "go.etcd.io/bbolt"
)

// Embedded returns an empty embedded store in a file of the test's own, closed when the test
// ends: the real store for tests of what uses one (the poller, the catalogue).
func Embedded(t testing.TB) jobs.Store {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "jobs.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	s, err := boltstore.New(db)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
