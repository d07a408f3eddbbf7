package boltstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/careerbot/careerbot/jobs"
	bolt "go.etcd.io/bbolt"
)

var (
	subsBucket        = []byte("subs")
	subChannelsBucket = []byte("subchannels")
)

// subKey is a subscription's key in its workspace's buckets: the id, 8 bytes big-endian, so
// that byte order is id order, which is the order of subscribing.
func subKey(id int64) []byte { return binary.BigEndian.AppendUint64(nil, uint64(id)) }

// subBuckets are one workspace's subscription buckets within a transaction; either may be nil
// in a read when the workspace has never subscribed.
type subBuckets struct {
	subs, channels *bolt.Bucket
}

func openSubs(tx *bolt.Tx, workspace string) subBuckets {
	root, name := tx.Bucket(rootBucket), []byte(workspace)
	return subBuckets{subs: root.Bucket(subsBucket).Bucket(name), channels: root.Bucket(subChannelsBucket).Bucket(name)}
}

// get decodes the subscription stored under id, or returns jobs.ErrNoSubscription.
func (b subBuckets) get(id int64) (jobs.Subscription, error) {
	if b.subs == nil {
		return jobs.Subscription{}, jobs.ErrNoSubscription
	}
	data := b.subs.Get(subKey(id))
	if data == nil {
		return jobs.Subscription{}, jobs.ErrNoSubscription
	}
	return jobs.UnmarshalSubscription(data)
}

// Subscribe implements jobs.SubscriptionStore: the checks and the write are one transaction,
// which bbolt runs one at a time.
func (s *Store) Subscribe(ctx context.Context, sub jobs.Subscription) (jobs.Subscription, error) {
	err := jobs.CheckNew(sub)
	if err == nil {
		err = ctx.Err()
	}
	var out jobs.Subscription
	if err == nil {
		err = s.db.Update(func(tx *bolt.Tx) error {
			out, err = subscribe(tx, sub)
			return err
		})
	}
	if err != nil {
		return out, fmt.Errorf("boltstore: subscribe %s %s: %w", sub.Workspace, sub.Channel, err)
	}
	return out, nil
}

func subscribe(tx *bolt.Tx, sub jobs.Subscription) (jobs.Subscription, error) {
	root, name := tx.Bucket(rootBucket), []byte(sub.Workspace)
	subs, err := root.Bucket(subsBucket).CreateBucketIfNotExists(name)
	if err != nil {
		return jobs.Subscription{}, err
	}
	channels, err := root.Bucket(subChannelsBucket).CreateBucketIfNotExists(name)
	if err != nil {
		return jobs.Subscription{}, err
	}
	channel, err := channels.CreateBucketIfNotExists([]byte(sub.Channel))
	if err != nil {
		return jobs.Subscription{}, err
	}
	n := 0
	c := channel.Cursor()
	for k, query := c.First(); k != nil; k, query = c.Next() {
		if string(query) == sub.Query {
			existing, err := jobs.UnmarshalSubscription(subs.Get(k))
			if err != nil {
				return jobs.Subscription{}, err
			}
			return existing, jobs.ErrDuplicateQuery
		}
		n++
	}
	if n >= jobs.MaxPerChannel {
		return jobs.Subscription{}, jobs.ErrChannelFull
	}
	id, err := subs.NextSequence()
	if err != nil {
		return jobs.Subscription{}, err
	}
	sub.ID = int64(id)
	data, err := jobs.MarshalSubscription(sub)
	if err != nil {
		return jobs.Subscription{}, err
	}
	key := subKey(sub.ID)
	if err := subs.Put(key, data); err != nil {
		return jobs.Subscription{}, err
	}
	if err := channel.Put(key, []byte(sub.Query)); err != nil {
		return jobs.Subscription{}, err
	}
	return jobs.UnmarshalSubscription(data)
}

// Unsubscribe implements jobs.SubscriptionStore in one transaction.
func (s *Store) Unsubscribe(ctx context.Context, workspace string, id int64) (jobs.Subscription, error) {
	err := ctx.Err()
	var out jobs.Subscription
	if err == nil {
		err = s.db.Update(func(tx *bolt.Tx) error {
			b := openSubs(tx, workspace)
			if out, err = b.get(id); err != nil {
				return err
			}
			key := subKey(id)
			if err := b.subs.Delete(key); err != nil {
				return err
			}
			name := []byte(out.Channel)
			channel := b.channels.Bucket(name)
			if channel == nil {
				return fmt.Errorf("subscription %d is missing from the index of channel %s", id, out.Channel)
			}
			if err := channel.Delete(key); err != nil {
				return err
			}
			if k, _ := channel.Cursor().First(); k == nil {
				return b.channels.DeleteBucket(name)
			}
			return nil
		})
	}
	if err != nil {
		return jobs.Subscription{}, fmt.Errorf("boltstore: unsubscribe %s %d: %w", workspace, id, err)
	}
	return out, nil
}

// Subscription implements jobs.SubscriptionStore.
func (s *Store) Subscription(ctx context.Context, workspace string, id int64) (jobs.Subscription, error) {
	err := ctx.Err()
	var out jobs.Subscription
	if err == nil {
		err = s.db.View(func(tx *bolt.Tx) error {
			out, err = openSubs(tx, workspace).get(id)
			return err
		})
	}
	if err != nil {
		return jobs.Subscription{}, fmt.Errorf("boltstore: subscription %s %d: %w", workspace, id, err)
	}
	return out, nil
}

// ChannelSubscriptions implements jobs.SubscriptionStore: the channel's bucket holds its ids in
// byte order, which is the order they were given.
func (s *Store) ChannelSubscriptions(ctx context.Context, workspace, channel string) ([]jobs.Subscription, error) {
	err := ctx.Err()
	var out []jobs.Subscription
	if err == nil {
		err = s.db.View(func(tx *bolt.Tx) error {
			b := openSubs(tx, workspace)
			if b.channels == nil || b.channels.Bucket([]byte(channel)) == nil {
				return nil
			}
			return b.channels.Bucket([]byte(channel)).ForEach(func(k, _ []byte) error {
				sub, err := b.get(int64(binary.BigEndian.Uint64(k)))
				if err != nil {
					return fmt.Errorf("channel index names subscription %x: %w", k, err)
				}
				out = append(out, sub)
				return nil
			})
		})
	}
	if err != nil {
		return nil, fmt.Errorf("boltstore: subscriptions of %s %s: %w", workspace, channel, err)
	}
	return out, nil
}

// subPage is a page of AllSubscriptions and where the next one starts.
type subPage struct {
	subs      []jobs.Subscription
	workspace []byte // the workspace of the last subscription read
	id        uint64 // and its id
}

// subsPage reads up to pageSize subscriptions after the subscription id of workspace, in
// workspace and id order.
func (s *Store) subsPage(workspace []byte, id uint64) (subPage, error) {
	page := subPage{workspace: workspace, id: id}
	err := s.db.View(func(tx *bolt.Tx) error {
		all := tx.Bucket(rootBucket).Bucket(subsBucket)
		c := all.Cursor()
		for name, _ := c.Seek(workspace); name != nil; name, _ = c.Next() {
			from := uint64(0)
			if bytes.Equal(name, workspace) {
				from = id
			}
			sc := all.Bucket(name).Cursor()
			for k, data := sc.Seek(binary.BigEndian.AppendUint64(nil, from+1)); k != nil; k, data = sc.Next() {
				if len(page.subs) == pageSize {
					return nil
				}
				sub, err := jobs.UnmarshalSubscription(data)
				if err != nil {
					return err
				}
				page.subs = append(page.subs, sub)
				page.workspace, page.id = bytes.Clone(name), binary.BigEndian.Uint64(k)
			}
		}
		return nil
	})
	return page, err
}

// AllSubscriptions implements jobs.SubscriptionStore, a page of subscriptions per read
// transaction, calling fn outside it: a write in fn while a read transaction of the same
// goroutine is open could deadlock bbolt, which must remap its file.
func (s *Store) AllSubscriptions(ctx context.Context, fn func(jobs.Subscription) error) error {
	page := subPage{workspace: []byte{}}
	for {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("boltstore: all subscriptions: %w", err)
		}
		var err error
		if page, err = s.subsPage(page.workspace, page.id); err != nil {
			return fmt.Errorf("boltstore: all subscriptions: %w", err)
		}
		for _, sub := range page.subs {
			if err := fn(sub); err != nil {
				return err
			}
		}
		if len(page.subs) < pageSize {
			return nil
		}
	}
}

// update rewrites the workspace's subscription id as change leaves it, in one transaction.
func (s *Store) update(ctx context.Context, workspace string, id int64, change func(*jobs.Subscription)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		b := openSubs(tx, workspace)
		sub, err := b.get(id)
		if err != nil {
			return err
		}
		change(&sub)
		data, err := jobs.MarshalSubscription(sub)
		if err != nil {
			return err
		}
		return b.subs.Put(subKey(id), data)
	})
}

// Disable implements jobs.SubscriptionStore.
func (s *Store) Disable(ctx context.Context, workspace string, id int64, reason string, at time.Time) error {
	change, err := jobs.DisableChange(reason, at)
	if err == nil {
		err = s.update(ctx, workspace, id, change)
	}
	if err != nil {
		return fmt.Errorf("boltstore: disable %s %d: %w", workspace, id, err)
	}
	return nil
}

// CountPost implements jobs.SubscriptionStore.
func (s *Store) CountPost(ctx context.Context, workspace string, id int64, n int64) error {
	if err := s.update(ctx, workspace, id, jobs.PostsChange(n)); err != nil {
		return fmt.Errorf("boltstore: count posts of %s %d: %w", workspace, id, err)
	}
	return nil
}
