package knowledge_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/knowledge"
	"github.com/careerbot/careerbot/knowledge/boltstore"
	bolt "go.etcd.io/bbolt"
)

func newLibrary(t *testing.T) *knowledge.Library {
	t.Helper()
	kb, err := knowledge.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	db, err := bolt.Open(filepath.Join(t.TempDir(), "lib.db"), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return knowledge.NewLibrary(boltstore.New(db), kb)
}

const ws = "slack:T1"

func TestShareTopics(t *testing.T) {
	lib := newLibrary(t)
	tests := []struct {
		name, url, topic, note, want string
	}{
		{"explicit id", "https://raft.github.io/", "raft", "", "raft"},
		{"explicit alias", "https://example.org/1", "2pc", "", "two-phase-commit"},
		{"explicit typo", "https://example.org/2", "kuberentes", "", "kubernetes"},
		{"guessed from the note", "https://example.org/3", "", "great talk on vector clocks", "vector-clocks"},
		{"guessed from the path", "https://example.org/blog/consistent-hashing-explained", "", "", "consistent-hashing"},
		{"host names no topic", "https://raft.example.org/", "", "", ""},
		{"nothing to guess from", "https://example.org/4", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, created, err := lib.Share(context.Background(), knowledge.Share{Workspace: ws, User: "U1", URL: tt.url, Topic: tt.topic, Note: tt.note})
			if err != nil || !created {
				t.Fatalf("Share: %v created=%v", err, created)
			}
			if m.Topic != tt.want {
				t.Errorf("topic %q, want %q", m.Topic, tt.want)
			}
		})
	}
}

func TestShareBadInputStoresNothing(t *testing.T) {
	lib := newLibrary(t)
	tests := []struct {
		name string
		s    knowledge.Share
		msg  string
	}{
		{"javascript url", knowledge.Share{URL: "javascript:alert(1)"}, "only http and https"},
		{"file url", knowledge.Share{URL: "file:///etc/passwd"}, "only http and https"},
		{"credentials", knowledge.Share{URL: "https://bob:hunter2@example.org/"}, "user name or password"},
		{"control characters", knowledge.Share{URL: "https://example.org/\x1b[31m"}, "invisible characters"},
		{"10 KB note", knowledge.Share{URL: "https://example.org/n", Note: strings.Repeat("long note ", 1024)}, "keep it to 500"},
		{"unknown topic", knowledge.Share{URL: "https://example.org/t", Topic: "banana bread"}, "no topic matches"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.s.Workspace, tt.s.User = ws, "U1"
			_, _, err := lib.Share(context.Background(), tt.s)
			var ie *knowledge.InputError
			if !errors.As(err, &ie) || !strings.Contains(ie.Msg, tt.msg) {
				t.Errorf("Share = %v, want an input error with %q", err, tt.msg)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Error("the error repeats the password")
			}
		})
	}
	if _, total, err := lib.List(context.Background(), ws, knowledge.ListQuery{Limit: 10}); err != nil || total != 0 {
		t.Errorf("bad input stored %d entries (%v)", total, err)
	}
}

func TestShareCleansNotes(t *testing.T) {
	lib := newLibrary(t)
	m, _, err := lib.Share(context.Background(), knowledge.Share{Workspace: ws, User: "U1", UserName: "ann\u202e",
		URL: "https://example.org/n", Note: "good\x00 read\r\n\u200bon raft"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Note != "good read on raft" || m.SharerName != "ann" {
		t.Errorf("note %q, name %q", m.Note, m.SharerName)
	}
}

func TestShareTwiceNamesTheFirstSharer(t *testing.T) {
	lib := newLibrary(t)
	ctx := context.Background()
	first, _, err := lib.Share(ctx, knowledge.Share{Workspace: ws, User: "U1", UserName: "ann", URL: "https://Example.org/a?utm_source=slack#top"})
	if err != nil {
		t.Fatal(err)
	}
	again, created, err := lib.Share(ctx, knowledge.Share{Workspace: ws, User: "U2", UserName: "bob", URL: "https://example.org:443/a"})
	if err != nil || created || again.ID != first.ID || again.SharerName != "ann" {
		t.Errorf("second share: %+v created=%v err=%v", again, created, err)
	}
}

func TestRemovePermissions(t *testing.T) {
	lib := newLibrary(t)
	ctx := context.Background()
	share := func(url string) int64 {
		m, _, err := lib.Share(ctx, knowledge.Share{Workspace: ws, User: "U1", URL: url})
		if err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	a, b := share("https://example.org/a"), share("https://example.org/b")
	if _, err := lib.Remove(ctx, ws, a, "U2", false); !errors.Is(err, knowledge.ErrForbidden) {
		t.Errorf("another member removed the entry: %v", err)
	}
	if _, err := lib.Remove(ctx, ws, a, "U1", false); err != nil {
		t.Errorf("the sharer could not remove: %v", err)
	}
	if _, err := lib.Remove(ctx, ws, b, "U2", true); err != nil {
		t.Errorf("an admin could not remove: %v", err)
	}
	if _, err := lib.Remove(ctx, ws, 99, "U1", true); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
	if _, err := lib.Remove(ctx, "slack:T2", share("https://example.org/c"), "U1", true); !errors.Is(err, knowledge.ErrNotFound) {
		t.Errorf("an admin of another workspace removed an entry: %v", err)
	}
}
