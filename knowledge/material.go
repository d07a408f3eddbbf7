package knowledge

import (
	"context"
	"errors"
	"github.com/careerbot/careerbot/internal/workspace"
	"time"
)

// Material is one study link a workspace shared: a URL, the topic it is about, a note.
type Material struct {
	ID         int64 // per workspace, from 1, as users type it: /materials remove 42
	URL        string
	Topic      string // topic id, "" when none was given or guessed
	Note       string
	SharedBy   string // platform user id
	SharerName string // display name when shared, for listing without a platform call
	SharedAt   time.Time
	Votes      int
}

// Order is how a list of material is sorted.
type Order int

// Orders of a material list.
const (
	Newest Order = iota // newest first
	Top                 // most upvoted first, newest first among equals
)

// ListQuery selects a page of a workspace's material.
type ListQuery struct {
	Topic  string // "" for every topic
	Order  Order
	Offset int
	Limit  int
}

// MaterialStore keeps the material of every workspace. Each method acts on one workspace and
// must make nothing of one workspace visible or changeable from another. Every write is atomic:
// after an error the store holds either the whole change or none of it.
//
// Workspace keys look like "slack:T123" or "discord:81384788765712384" (see WorkspaceKey).
type MaterialStore interface {
	// Share stores m under a new id unless the workspace already has m.URL; then it returns the
	// existing entry and created=false. m.ID and m.Votes are ignored.
	Share(ctx context.Context, workspace string, m Material) (stored Material, created bool, err error)
	// Get returns one entry or ErrNotFound.
	Get(ctx context.Context, workspace string, id int64) (Material, error)
	// List returns one page and the number of entries the query matches in all.
	List(ctx context.Context, workspace string, q ListQuery) (page []Material, total int, err error)
	// Upvote records user's vote once: added is false when the user had voted already.
	// It returns the entry's votes after the call, or ErrNotFound.
	Upvote(ctx context.Context, workspace string, id int64, user string) (votes int, added bool, err error)
	// Remove deletes an entry with its votes, or returns ErrNotFound.
	Remove(ctx context.Context, workspace string, id int64) error
	// Ping reports whether the store can serve requests.
	Ping(ctx context.Context) error
}

// ErrNotFound is returned for an id the workspace does not have.
var ErrNotFound = errors.New("no such material")

// WorkspaceKey names a workspace in stores: "platform:id"; see workspace.Key.
func WorkspaceKey(platform, id string) (string, error) { return workspace.Key(platform, id) }
