package playground

import (
	"html/template"
	"strconv"
	"sync"
	"time"
)

// maxPosts is how many posts the feed keeps; older ones are dropped. The playground is for
// trying careerbot, not an archive.
const maxPosts = 200

// post is one message of the channel feed, rendered once when it is posted.
type post struct {
	ID   int64         `json:"id"`
	Key  string        `json:"key,omitempty"`
	Time time.Time     `json:"time"`
	HTML template.HTML `json:"html"` // the <article class="post"> of the feed
}

// postView is what the "post" template reads.
type postView struct {
	ID   int64
	Time time.Time
	Body template.HTML
}

// feed is the channel's posts in memory, newest last, with increasing ids from 1. Readers wait
// for the next post on a channel that add closes.
type feed struct {
	mu      sync.Mutex
	limit   int
	posts   []post
	last    int64
	changed chan struct{}
}

func newFeed(limit int) *feed { return &feed{limit: limit, changed: make(chan struct{})} }

// add appends a post rendered by render for its id and time, and wakes the readers. A post
// whose key is already in the feed is not added again: the id of the first one is returned, so
// a delivery that is retried appears once.
func (f *feed) add(key string, at time.Time, render func(id int64, at time.Time) (template.HTML, error)) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if id, ok := f.findLocked(key); ok {
		return id, nil
	}
	html, err := render(f.last+1, at)
	if err != nil {
		return 0, err
	}
	f.last++
	f.posts = append(f.posts, post{ID: f.last, Key: key, Time: at, HTML: html})
	if over := len(f.posts) - f.limit; over > 0 {
		f.posts = append(f.posts[:0:0], f.posts[over:]...)
	}
	close(f.changed)
	f.changed = make(chan struct{})
	return f.last, nil
}

// find returns the id of the post with key.
func (f *feed) find(key string) (int64, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.findLocked(key)
}

func (f *feed) findLocked(key string) (int64, bool) {
	if key == "" {
		return 0, false
	}
	for i := len(f.posts) - 1; i >= 0; i-- {
		if f.posts[i].Key == key {
			return f.posts[i].ID, true
		}
	}
	return 0, false
}

// after returns the posts whose id is greater than id, oldest first, and a channel that is
// closed when the next post is added.
func (f *feed) after(id int64) ([]post, <-chan struct{}) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []post
	for _, p := range f.posts {
		if p.ID > id {
			out = append(out, p)
		}
	}
	return out, f.changed
}

// lastID is the id of the newest post, 0 when there is none yet.
func (f *feed) lastID() int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last
}

func formatID(id int64) string { return strconv.FormatInt(id, 10) }
