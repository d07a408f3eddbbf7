package study

import (
	"bytes"
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/internal/redistest"
	"github.com/careerbot/careerbot/knowledge"
	"github.com/careerbot/careerbot/knowledge/boltstore"
	"github.com/careerbot/careerbot/knowledge/redisstore"
	bolt "go.etcd.io/bbolt"
)

// newMaterialsRouter routes the study commands over a real store.
func newMaterialsRouter(t *testing.T, store knowledge.MaterialStore) *bot.Router {
	t.Helper()
	kb, err := knowledge.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(&bytes.Buffer{}, nil))
	r := bot.NewRouter(log, nil)
	Register(r, kb, knowledge.NewLibrary(store, kb), log)
	return r
}

func boltStore(t *testing.T) knowledge.MaterialStore {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "t.db"), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return boltstore.New(db)
}

// as runs a command as a user of a Slack workspace.
func as(r *bot.Router, team, user string, admin bool, name, text string) bot.Reply {
	return r.Dispatch(context.Background(), bot.Command{Platform: bot.PlatformSlack, Workspace: team, Channel: "C1",
		User: user, UserName: "name-" + user, IsAdmin: admin, Name: name, Text: text}).Full()
}

func TestShareAndMaterials(t *testing.T) {
	r := newMaterialsRouter(t, boltStore(t))

	got := as(r, "T1", "U1", false, "share", "https://raft.github.io/?utm_source=x raft the visualisation helps")
	if got.Title != "Shared as #1" || !strings.Contains(got.Text, "under Raft consensus algorithm") {
		t.Fatalf("share: %q %q", got.Title, got.Text)
	}
	if got.Fields[0].Value != "the visualisation helps" {
		t.Errorf("note %q", got.Fields[0].Value)
	}
	again := as(r, "T1", "U2", false, "share", "HTTPS://raft.github.io:443/#intro")
	if again.Title != "Already shared as #1" || !strings.Contains(again.Text, "name-U1 shared") {
		t.Errorf("second share: %q %q", again.Title, again.Text)
	}
	as(r, "T1", "U2", false, "share", "https://example.org/paxos-made-simple paxos")
	as(r, "T1", "U2", false, "share", "https://example.org/ddia-ch9 linearizability and consensus chapter")

	up := as(r, "T1", "U3", false, "materials", "upvote 2")
	if up.Title != "Upvoted #2" || up.Text != "1 upvote now." {
		t.Errorf("upvote: %q %q", up.Title, up.Text)
	}
	if dup := as(r, "T1", "U3", false, "materials", "upvote #2"); dup.Title != "You already upvoted #2" {
		t.Errorf("second upvote: %q", dup.Title)
	}

	list := as(r, "T1", "U9", false, "materials", "")
	if list.Title != "Shared material" || !strings.HasPrefix(list.Text, "3 links, newest first · page 1 of 1") {
		t.Errorf("list: %q %q", list.Title, list.Text)
	}
	if len(list.Sections) != 3 || !strings.HasPrefix(list.Sections[0].Heading, "#3 ") {
		t.Errorf("list sections %+v", list.Sections)
	}
	if !strings.Contains(list.Sections[2].Body, "shared by name-U1") {
		t.Errorf("entry lacks its sharer: %q", list.Sections[2].Body)
	}
	top := as(r, "T1", "U9", false, "materials", "top")
	if !strings.HasPrefix(top.Sections[0].Heading, "#2 ") {
		t.Errorf("top list starts with %q", top.Sections[0].Heading)
	}
	byTopic := as(r, "T1", "U9", false, "materials", "paxos")
	if byTopic.Title != "Shared material: Paxos" || len(byTopic.Sections) != 1 {
		t.Errorf("topic list: %q with %d entries", byTopic.Title, len(byTopic.Sections))
	}

	// /explain lists the workspace's links on its topic, after the topic's own sections.
	ex := as(r, "T1", "U9", false, "explain", "raft")
	var found bool
	for i, s := range ex.Sections {
		if s.Heading == "Shared in this workspace" {
			found = strings.Contains(s.Body, "https://raft.github.io/") && i == len(ex.Sections)-1
		}
	}
	if !found {
		t.Errorf("/explain raft lacks the shared link: %+v", ex.Sections)
	}
}

func TestMaterialsPages(t *testing.T) {
	r := newMaterialsRouter(t, boltStore(t))
	for i := range 12 {
		as(r, "T1", "U1", false, "share", "https://example.org/"+string(rune('a'+i))+" cdn")
	}
	p1 := as(r, "T1", "U1", false, "materials", "cdn")
	if !strings.Contains(p1.Text, "page 1 of 3") || len(p1.Sections) != 5 {
		t.Fatalf("page 1: %q, %d entries", p1.Text, len(p1.Sections))
	}
	var next bot.Action
	for _, b := range p1.Buttons {
		if b.Label == "Next page" {
			next = b.Action
		}
	}
	if next.Args != "cdn new page 2" {
		t.Fatalf("next-page action %+v", next)
	}
	p2 := as(r, "T1", "U1", false, next.Command, next.Args)
	if !strings.Contains(p2.Text, "page 2 of 3") || !strings.HasPrefix(p2.Sections[0].Heading, "#7 ") {
		t.Errorf("page 2: %q, first %q", p2.Text, p2.Sections[0].Heading)
	}
	far := as(r, "T1", "U1", false, "materials", "cdn page 9")
	if !strings.Contains(far.Text, "only 3 pages") {
		t.Errorf("page 9: %q", far.Text)
	}
}

func TestRemoveRules(t *testing.T) {
	r := newMaterialsRouter(t, boltStore(t))
	as(r, "T1", "U1", false, "share", "https://example.org/a")
	as(r, "T2", "U1", false, "share", "https://example.org/other-workspace")

	tests := []struct {
		name, team, user string
		admin            bool
		text, title      string
	}{
		{"another member", "T1", "U2", false, "remove 1", "Not removed"},
		{"admin of another workspace", "T2", "U2", true, "remove 2", "No material #2"},
		{"no id", "T1", "U1", false, "remove", "How to use /materials"},
		{"bad id", "T1", "U1", false, "remove abc", "How to use /materials"},
		{"unknown id", "T1", "U1", false, "remove 99", "No material #99"},
		{"the sharer", "T1", "U1", false, "remove 1", "Removed #1"},
		{"already removed", "T1", "U1", false, "remove 1", "No material #1"},
		{"admin removes another's", "T2", "U7", true, "remove 1", "Removed #1"},
	}
	for _, tt := range tests {
		got := as(r, tt.team, tt.user, tt.admin, "materials", tt.text)
		if got.Title != tt.title {
			t.Errorf("%s: %q, want %q (%s)", tt.name, got.Title, tt.title, got.Text)
		}
	}
}

func TestShareBadInput(t *testing.T) {
	r := newMaterialsRouter(t, boltStore(t))
	for _, text := range []string{
		"", "javascript:alert(1) raft", "file:///etc/passwd", "https://u:p@example.org/",
		"https://example.org/" + strings.Repeat("x", 2100), "https://example.org/x raft " + strings.Repeat("note ", 2000),
		"not-a-link raft",
	} {
		got := as(r, "T1", "U1", false, "share", text)
		if !got.NotFound || strings.HasPrefix(got.Title, "Shared") {
			t.Errorf("share %.40q: %q %q", text, got.Title, got.Text)
		}
	}
	if list := as(r, "T1", "U1", false, "materials", ""); !strings.HasPrefix(list.Text, "Nothing shared yet") {
		t.Errorf("bad input was stored: %q", list.Text)
	}
}

// TestRedisOutage kills the Redis server while careerbot runs: /explain keeps answering,
// /share and /materials say storage is unavailable and store nothing, and service resumes by
// itself when Redis is back, with exactly what was acknowledged before the kill.
func TestRedisOutage(t *testing.T) {
	srv := redistest.Start(t)
	r := newMaterialsRouter(t, redisstore.New(srv.Client(t)))

	if got := as(r, "T1", "U1", false, "share", "https://example.org/before raft"); got.Title != "Shared as #1" {
		t.Fatalf("share before the outage: %q", got.Title)
	}
	srv.Stop()

	ex := as(r, "T1", "U1", false, "explain", "raft")
	if ex.Title != "Raft consensus algorithm" {
		t.Errorf("/explain during the outage: %q", ex.Title)
	}
	for _, s := range ex.Sections {
		if s.Heading == "Shared in this workspace" {
			t.Error("/explain showed shared links it could not have read")
		}
	}
	for _, c := range []struct{ name, text string }{
		{"share", "https://example.org/during raft"},
		{"materials", ""},
		{"materials", "upvote 1"},
		{"materials", "remove 1"},
	} {
		if got := as(r, "T1", "U1", false, c.name, c.text); got.Title != "Storage is unavailable" {
			t.Errorf("/%s %s during the outage: %q", c.name, c.text, got.Title)
		}
	}

	srv.Restart()
	if got := as(r, "T1", "U2", false, "share", "https://example.org/after"); got.Title != "Shared as #2" {
		t.Errorf("share after the outage: %q %q", got.Title, got.Text)
	}
	list := as(r, "T1", "U1", false, "materials", "")
	if !strings.HasPrefix(list.Text, "2 links") {
		t.Errorf("after the outage: %q", list.Text)
	}
	for _, s := range list.Sections {
		if strings.Contains(s.Heading, "during") {
			t.Error("a share made during the outage was stored")
		}
	}
}
