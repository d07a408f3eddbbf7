package knowledge

import (
	"context"
	"errors"
	"fmt"
	"github.com/careerbot/careerbot/internal/sanitize"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxNote is the longest note, in characters, a shared link may carry.
const MaxNote = 500

// ErrForbidden is returned when a user may not change an entry: only its sharer or an admin may.
var ErrForbidden = errors.New("only the sharer or an admin may do that")

// Library is the shared-material feature: the rules of /share and /materials on top of a
// MaterialStore. It is safe for concurrent use.
type Library struct {
	store MaterialStore
	kb    *Base
	now   func() time.Time
}

// NewLibrary returns a library over store that tags material with kb's topics.
func NewLibrary(store MaterialStore, kb *Base) *Library {
	return &Library{store: store, kb: kb, now: time.Now}
}

// Share is one /share request.
type Share struct {
	Workspace string
	User      string
	UserName  string
	URL       string
	Topic     string // what the user typed as the topic; "" to guess it
	Note      string
}

// Share validates and stores a link. It returns the entry and whether it is new; when the link
// was shared before, the existing entry (with its first sharer) comes back and nothing changes.
// Mistakes in the input are *InputError; nothing is stored then.
func (l *Library) Share(ctx context.Context, s Share) (Material, bool, error) {
	u, err := NormalizeURL(s.URL)
	if err != nil {
		return Material{}, false, err
	}
	note := sanitize.Text(s.Note)
	if n := utf8.RuneCountInString(note); n > MaxNote {
		return Material{}, false, inputErrorf("the note is %d characters; keep it to %d", n, MaxNote)
	}
	topic := ""
	if strings.TrimSpace(s.Topic) != "" {
		res := l.kb.Resolve(s.Topic)
		if res.Topic == nil {
			return Material{}, false, inputErrorf("no topic matches %q; /topics lists them", truncate(s.Topic, 60))
		}
		topic = res.Topic.ID
	} else if t := l.GuessTopic(u, note); t != nil {
		topic = t.ID
	}
	m := Material{
		URL: u, Topic: topic, Note: note,
		SharedBy: s.User, SharerName: sanitize.Text(s.UserName), SharedAt: l.now().UTC().Truncate(time.Millisecond),
	}
	stored, created, err := l.store.Share(ctx, s.Workspace, m)
	if err != nil {
		return Material{}, false, fmt.Errorf("share in %s: %w", s.Workspace, err)
	}
	return stored, created, nil
}

// GuessTopic finds the topic a link is about from the words of its URL's path and its note: the
// topic whose name they mention (see Base.Mentioned), or nil when they name none. The host is
// left out (it names a site, not a subject), and so are numbers and file extensions.
func (l *Library) GuessTopic(link, note string) *Topic {
	var words []string
	if u, err := url.Parse(link); err == nil {
		for _, w := range splitWords(u.Path) {
			if !urlNoise[w] && strings.ContainsFunc(w, unicode.IsLetter) {
				words = append(words, w)
			}
		}
	}
	text := strings.TrimSpace(note + " " + strings.Join(words, " "))
	if text == "" {
		return nil
	}
	return l.kb.Mentioned(text)
}

// urlNoise are path words that say nothing about a link's subject.
var urlNoise = map[string]bool{
	"html": true, "htm": true, "pdf": true, "php": true, "aspx": true, "index": true,
	"www": true, "blog": true, "post": true, "posts": true, "article": true, "watch": true,
}

// List returns a page of a workspace's material; topic may be any form Resolve understands, and
// is matched to its id.
func (l *Library) List(ctx context.Context, workspace string, q ListQuery) ([]Material, int, error) {
	if q.Limit <= 0 {
		q.Limit = 5
	}
	page, total, err := l.store.List(ctx, workspace, q)
	if err != nil {
		return nil, 0, fmt.Errorf("list material of %s: %w", workspace, err)
	}
	return page, total, nil
}

// Upvote records one user's vote for an entry.
func (l *Library) Upvote(ctx context.Context, workspace string, id int64, user string) (int, bool, error) {
	votes, added, err := l.store.Upvote(ctx, workspace, id, user)
	if err != nil {
		return 0, false, fmt.Errorf("upvote %d in %s: %w", id, workspace, err)
	}
	return votes, added, nil
}

// Remove deletes an entry when user shared it or is an admin, and returns what was removed.
func (l *Library) Remove(ctx context.Context, workspace string, id int64, user string, isAdmin bool) (Material, error) {
	m, err := l.store.Get(ctx, workspace, id)
	if err != nil {
		return Material{}, fmt.Errorf("remove %d in %s: %w", id, workspace, err)
	}
	if m.SharedBy != user && !isAdmin {
		return m, ErrForbidden
	}
	if err := l.store.Remove(ctx, workspace, id); err != nil {
		return Material{}, fmt.Errorf("remove %d in %s: %w", id, workspace, err)
	}
	return m, nil
}

// Ping reports the store's health, for /readyz.
func (l *Library) Ping(ctx context.Context) error { return l.store.Ping(ctx) }
