package boltstore_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/careerbot/careerbot/knowledge"
	"github.com/careerbot/careerbot/knowledge/boltstore"
	"github.com/careerbot/careerbot/knowledge/storetest"
	bolt "go.etcd.io/bbolt"
)

func open(t testing.TB) *bolt.DB {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "careerbot.db"), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func TestContract(t *testing.T) {
	db := open(t)
	storetest.Run(t, func(*testing.T) knowledge.MaterialStore { return boltstore.New(db) })
}

func TestQuizContract(t *testing.T) {
	db := open(t)
	storetest.RunQuiz(t, func(*testing.T) knowledge.QuizStore { return boltstore.New(db) })
}
