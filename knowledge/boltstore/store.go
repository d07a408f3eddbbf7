// Package boltstore keeps the knowledge base's shared study material in an embedded bbolt file,
// for a careerbot that runs alone with no Redis: one process, one file, ACID transactions.
//
// # Layout
//
// One top-level bucket, "material", holds a bucket per workspace ("slack:T123"), which holds:
//
//	items   id (8-byte big-endian) -> JSON entry
//	urls    normalised URL -> id
//	voters  id (8 bytes) + user id -> empty
//
// Ids come from the workspace bucket's sequence. Each call is one bbolt transaction, so a write
// is all or nothing; bbolt allows one writer at a time, which also makes concurrent shares of
// one URL produce one entry.
package boltstore

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/careerbot/careerbot/knowledge"
	bolt "go.etcd.io/bbolt"
)

var (
	rootBucket   = []byte("material")
	itemsBucket  = []byte("items")
	urlsBucket   = []byte("urls")
	votersBucket = []byte("voters")
)

// Store implements knowledge.MaterialStore on bbolt.
type Store struct {
	db *bolt.DB
}

// New returns a store on an open database; the caller owns and closes db.
func New(db *bolt.DB) *Store { return &Store{db: db} }

// entry is the stored form of a Material.
type entry struct {
	URL        string    `json:"url"`
	Topic      string    `json:"topic,omitempty"`
	Note       string    `json:"note,omitempty"`
	SharedBy   string    `json:"by"`
	SharerName string    `json:"name,omitempty"`
	SharedAt   time.Time `json:"at"`
	Votes      int       `json:"votes"`
}

func (e entry) material(id int64) knowledge.Material {
	return knowledge.Material{ID: id, URL: e.URL, Topic: e.Topic, Note: e.Note, SharedBy: e.SharedBy,
		SharerName: e.SharerName, SharedAt: e.SharedAt, Votes: e.Votes}
}

func idKey(id int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(id)) }

// workspace returns the workspace's bucket, creating it (and its sub-buckets) when create is set;
// without create it returns nil for a workspace that has stored nothing.
func workspace(tx *bolt.Tx, ws string, create bool) (*bolt.Bucket, error) {
	if !create {
		root := tx.Bucket(rootBucket)
		if root == nil {
			return nil, nil
		}
		return root.Bucket([]byte(ws)), nil
	}
	root, err := tx.CreateBucketIfNotExists(rootBucket)
	if err != nil {
		return nil, err
	}
	b, err := root.CreateBucketIfNotExists([]byte(ws))
	if err != nil {
		return nil, err
	}
	for _, name := range [][]byte{itemsBucket, urlsBucket, votersBucket} {
		if _, err := b.CreateBucketIfNotExists(name); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func get(b *bolt.Bucket, id int64) (entry, bool, error) {
	raw := b.Bucket(itemsBucket).Get(idKey(id))
	if raw == nil {
		return entry{}, false, nil
	}
	var e entry
	if err := json.Unmarshal(raw, &e); err != nil {
		return entry{}, false, fmt.Errorf("material %d: %w", id, err)
	}
	return e, true, nil
}

// find returns the workspace's bucket and the entry id, or knowledge.ErrNotFound.
func find(tx *bolt.Tx, ws string, id int64) (*bolt.Bucket, entry, error) {
	b, err := workspace(tx, ws, false)
	if err != nil || b == nil {
		return nil, entry{}, cmp.Or(err, knowledge.ErrNotFound)
	}
	e, ok, err := get(b, id)
	if err != nil {
		return nil, entry{}, err
	}
	if !ok {
		return nil, entry{}, knowledge.ErrNotFound
	}
	return b, e, nil
}

// wrap names the operation on an error, leaving knowledge.ErrNotFound as callers compare it.
func wrap(op string, err error) error {
	if err == nil || errors.Is(err, knowledge.ErrNotFound) {
		return err
	}
	return fmt.Errorf("bolt %s: %w", op, err)
}

func put(b *bolt.Bucket, id int64, e entry) error {
	raw, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return b.Bucket(itemsBucket).Put(idKey(id), raw)
}

// Share implements knowledge.MaterialStore.
func (s *Store) Share(ctx context.Context, ws string, m knowledge.Material) (knowledge.Material, bool, error) {
	if err := ctx.Err(); err != nil {
		return knowledge.Material{}, false, err
	}
	var (
		out     knowledge.Material
		created bool
	)
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, err := workspace(tx, ws, true)
		if err != nil {
			return err
		}
		if raw := b.Bucket(urlsBucket).Get([]byte(m.URL)); raw != nil {
			id := int64(binary.BigEndian.Uint64(raw))
			e, ok, err := get(b, id)
			if err != nil {
				return err
			}
			if !ok {
				return fmt.Errorf("url index points at missing material %d", id)
			}
			out = e.material(id)
			return nil
		}
		seq, err := b.NextSequence()
		if err != nil {
			return err
		}
		id := int64(seq)
		e := entry{URL: m.URL, Topic: m.Topic, Note: m.Note, SharedBy: m.SharedBy, SharerName: m.SharerName, SharedAt: m.SharedAt.UTC()}
		if err := put(b, id, e); err != nil {
			return err
		}
		if err := b.Bucket(urlsBucket).Put([]byte(m.URL), idKey(id)); err != nil {
			return err
		}
		out, created = e.material(id), true
		return nil
	})
	if err != nil {
		return knowledge.Material{}, false, fmt.Errorf("bolt share: %w", err)
	}
	return out, created, nil
}

// Get implements knowledge.MaterialStore.
func (s *Store) Get(ctx context.Context, ws string, id int64) (knowledge.Material, error) {
	if err := ctx.Err(); err != nil {
		return knowledge.Material{}, err
	}
	var out knowledge.Material
	err := s.db.View(func(tx *bolt.Tx) error {
		_, e, err := find(tx, ws, id)
		if err != nil {
			return err
		}
		out = e.material(id)
		return nil
	})
	return out, wrap("get", err)
}

// List implements knowledge.MaterialStore. It reads the workspace's entries to sort them; a
// workspace's shared material is hundreds of links, not millions.
func (s *Store) List(ctx context.Context, ws string, q knowledge.ListQuery) ([]knowledge.Material, int, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	var all []knowledge.Material
	err := s.db.View(func(tx *bolt.Tx) error {
		b, err := workspace(tx, ws, false)
		if err != nil || b == nil {
			return err
		}
		return b.Bucket(itemsBucket).ForEach(func(k, v []byte) error {
			var e entry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("material %x: %w", k, err)
			}
			if q.Topic == "" || e.Topic == q.Topic {
				all = append(all, e.material(int64(binary.BigEndian.Uint64(k))))
			}
			return nil
		})
	})
	if err != nil {
		return nil, 0, fmt.Errorf("bolt list: %w", err)
	}
	// Newest first is descending id order (ids grow with time); Top sorts by votes, then newest.
	slices.SortFunc(all, func(a, b knowledge.Material) int {
		if q.Order == knowledge.Top && a.Votes != b.Votes {
			return cmp.Compare(b.Votes, a.Votes)
		}
		if q.Order == knowledge.Newest && !a.SharedAt.Equal(b.SharedAt) {
			return b.SharedAt.Compare(a.SharedAt)
		}
		return cmp.Compare(b.ID, a.ID)
	})
	total := len(all)
	lo := min(max(q.Offset, 0), total)
	hi := min(lo+max(q.Limit, 0), total)
	return all[lo:hi], total, nil
}

// Upvote implements knowledge.MaterialStore.
func (s *Store) Upvote(ctx context.Context, ws string, id int64, user string) (int, bool, error) {
	if err := ctx.Err(); err != nil {
		return 0, false, err
	}
	var (
		votes int
		added bool
	)
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, e, err := find(tx, ws, id)
		if err != nil {
			return err
		}
		voter := append(idKey(id), user...)
		voters := b.Bucket(votersBucket)
		if voters.Get(voter) != nil {
			votes = e.Votes
			return nil
		}
		if err := voters.Put(voter, []byte{}); err != nil {
			return err
		}
		e.Votes++
		votes, added = e.Votes, true
		return put(b, id, e)
	})
	return votes, added, wrap("upvote", err)
}

// Remove implements knowledge.MaterialStore.
func (s *Store) Remove(ctx context.Context, ws string, id int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		b, e, err := find(tx, ws, id)
		if err != nil {
			return err
		}
		if err := b.Bucket(itemsBucket).Delete(idKey(id)); err != nil {
			return err
		}
		if err := b.Bucket(urlsBucket).Delete([]byte(e.URL)); err != nil {
			return err
		}
		// Drop the entry's votes: keys id+user, so a prefix scan finds them all.
		prefix := idKey(id)
		c := b.Bucket(votersBucket).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
			if err := c.Delete(); err != nil {
				return err
			}
		}
		return nil
	})
	return wrap("remove", err)
}

// Ping implements knowledge.MaterialStore: a read transaction on the open file.
func (s *Store) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.View(func(*bolt.Tx) error { return nil })
}
