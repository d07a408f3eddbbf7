package redisstore

import (
	"cmp"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/careerbot/careerbot/jobs"
	"github.com/redis/go-redis/v9"
)

var (
	//go:embed subscribe.lua
	subscribeSrc    string
	subscribeScript = redis.NewScript(subscribeSrc)

	//go:embed unsubscribe.lua
	unsubscribeSrc    string
	unsubscribeScript = redis.NewScript(unsubscribeSrc)

	//go:embed replace.lua
	replaceSrc    string
	replaceScript = redis.NewScript(replaceSrc)

	//go:embed channel.lua
	channelSrc    string
	channelScript = redis.NewScript(channelSrc)
)

// maxSwaps is how many times a read-modify-write of one subscription is tried before it gives
// up: each try loses only to a write of the same subscription that landed in between.
const maxSwaps = 100

// workspacesPerPipeline is how many workspaces' hashes AllSubscriptions reads per pipeline.
const workspacesPerPipeline = 100

var errContention = errors.New("the subscription kept changing while it was written")

// subKeys are one workspace's subscription keys.
type subKeys struct {
	subs string // hash id -> record; the others are named after it
}

func (s *Store) subKeys(workspace string) subKeys {
	return subKeys{subs: s.prefix + "{" + workspace + "}:subs"}
}

func (k subKeys) seq() string                   { return k.subs + ":seq" }
func (k subKeys) channel(channel string) string { return k.subs + ":channel:" + channel }

// Subscribe implements jobs.SubscriptionStore in two round trips: the workspace joins the
// registry, then one script checks and writes.
func (s *Store) Subscribe(ctx context.Context, sub jobs.Subscription) (jobs.Subscription, error) {
	sub.ID = 0 // the script gives it
	record, err := jobs.MarshalSubscription(sub)
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		// First, so that no stored subscription is ever missing from AllSubscriptions: see the
		// package doc.
		err = s.rdb.SAdd(ctx, s.subsRegistry, sub.Workspace).Err()
	}
	var out jobs.Subscription
	if err == nil {
		out, err = s.subscribe(ctx, sub, record)
	}
	if err != nil {
		return out, fmt.Errorf("redisstore: subscribe %s %s: %w", sub.Workspace, sub.Channel, err)
	}
	return out, nil
}

func (s *Store) subscribe(ctx context.Context, sub jobs.Subscription, record []byte) (jobs.Subscription, error) {
	k := s.subKeys(sub.Workspace)
	res, err := subscribeScript.Run(ctx, s.rdb, []string{k.seq(), k.subs, k.channel(sub.Channel)},
		sub.Query, record, jobs.MaxPerChannel).Slice()
	if err != nil {
		return jobs.Subscription{}, err
	}
	if len(res) == 0 {
		return jobs.Subscription{}, errors.New("the subscribe script answered nothing")
	}
	status, _ := res[0].(int64)
	if status < 0 {
		return jobs.Subscription{}, jobs.ErrChannelFull
	}
	var stored string
	ok := len(res) == 2
	if ok {
		stored, ok = res[1].(string)
	}
	if !ok {
		return jobs.Subscription{}, fmt.Errorf("the channel index names a subscription that is gone: %v", res)
	}
	out, err := jobs.UnmarshalSubscription([]byte(stored))
	if err == nil && status == 0 {
		err = jobs.ErrDuplicateQuery
	}
	return out, err
}

// read returns the workspace's subscription id and its stored form, or jobs.ErrNoSubscription.
func (s *Store) read(ctx context.Context, k subKeys, id int64) (jobs.Subscription, string, error) {
	if err := ctx.Err(); err != nil {
		return jobs.Subscription{}, "", err
	}
	record, err := s.rdb.HGet(ctx, k.subs, strconv.FormatInt(id, 10)).Result()
	if errors.Is(err, redis.Nil) {
		err = jobs.ErrNoSubscription
	}
	if err != nil {
		return jobs.Subscription{}, "", err
	}
	sub, err := jobs.UnmarshalSubscription([]byte(record))
	return sub, record, err
}

// swap reads the workspace's subscription id and calls write with it and its stored form,
// again while write reports that another write of the subscription came between (a script
// that compares the record with the one read and answers 0). It returns the subscription as
// write last got it.
func (s *Store) swap(ctx context.Context, k subKeys, id int64, write func(sub jobs.Subscription, record string) (int, error)) (jobs.Subscription, error) {
	for range maxSwaps {
		sub, record, err := s.read(ctx, k, id)
		if err != nil {
			return jobs.Subscription{}, err
		}
		done, err := write(sub, record)
		if err != nil || done == 1 {
			return sub, err
		}
	}
	return jobs.Subscription{}, errContention
}

// Unsubscribe implements jobs.SubscriptionStore: a read, then a script that removes the
// subscription and its channel entry if it has not changed since.
func (s *Store) Unsubscribe(ctx context.Context, workspace string, id int64) (jobs.Subscription, error) {
	k := s.subKeys(workspace)
	sub, err := s.swap(ctx, k, id, func(sub jobs.Subscription, record string) (int, error) {
		return unsubscribeScript.Run(ctx, s.rdb, []string{k.subs, k.channel(sub.Channel)}, id, record, sub.Query).Int()
	})
	if err != nil {
		return jobs.Subscription{}, fmt.Errorf("redisstore: unsubscribe %s %d: %w", workspace, id, err)
	}
	return sub, nil
}

// Subscription implements jobs.SubscriptionStore.
func (s *Store) Subscription(ctx context.Context, workspace string, id int64) (jobs.Subscription, error) {
	sub, _, err := s.read(ctx, s.subKeys(workspace), id)
	if err != nil {
		return jobs.Subscription{}, fmt.Errorf("redisstore: subscription %s %d: %w", workspace, id, err)
	}
	return sub, nil
}

// decodeSubscriptions decodes stored forms and appends them to out; a nil one (a subscription
// removed between two reads) is skipped.
func decodeSubscriptions(out []jobs.Subscription, records []any) ([]jobs.Subscription, error) {
	for _, r := range records {
		record, ok := r.(string)
		if !ok {
			continue
		}
		sub, err := jobs.UnmarshalSubscription([]byte(record))
		if err != nil {
			return out, err
		}
		out = append(out, sub)
	}
	return out, nil
}

// ChannelSubscriptions implements jobs.SubscriptionStore in one script; ids only grow, so id
// order is the order of subscribing.
func (s *Store) ChannelSubscriptions(ctx context.Context, workspace, channel string) ([]jobs.Subscription, error) {
	k := s.subKeys(workspace)
	err := ctx.Err()
	var records []any
	if err == nil {
		records, err = channelScript.Run(ctx, s.rdb, []string{k.channel(channel), k.subs}).Slice()
	}
	var out []jobs.Subscription
	if err == nil {
		out, err = decodeSubscriptions(make([]jobs.Subscription, 0, len(records)), records)
	}
	if err != nil {
		return nil, fmt.Errorf("redisstore: subscriptions of %s %s: %w", workspace, channel, err)
	}
	slices.SortFunc(out, func(a, b jobs.Subscription) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// AllSubscriptions implements jobs.SubscriptionStore: the registry of workspaces, then their
// hashes, a pipeline of workspaces at a time.
func (s *Store) AllSubscriptions(ctx context.Context, fn func(jobs.Subscription) error) error {
	err := ctx.Err()
	var workspaces []string
	if err == nil {
		workspaces, err = s.rdb.SMembers(ctx, s.subsRegistry).Result()
	}
	if err != nil {
		return fmt.Errorf("redisstore: all subscriptions: %w", err)
	}
	for chunk := range slices.Chunk(workspaces, workspacesPerPipeline) {
		subs, err := s.workspacesSubscriptions(ctx, chunk)
		if err != nil {
			return fmt.Errorf("redisstore: all subscriptions: %w", err)
		}
		for _, sub := range subs {
			if err := fn(sub); err != nil {
				return err
			}
		}
	}
	return nil
}

// workspacesSubscriptions reads every subscription of the workspaces in one pipeline.
func (s *Store) workspacesSubscriptions(ctx context.Context, workspaces []string) ([]jobs.Subscription, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cmds := make([]*redis.StringSliceCmd, len(workspaces))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, w := range workspaces {
			cmds[i] = p.HVals(ctx, s.subKeys(w).subs)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var out []jobs.Subscription
	for _, cmd := range cmds {
		for _, record := range cmd.Val() {
			sub, err := jobs.UnmarshalSubscription([]byte(record))
			if err != nil {
				return nil, err
			}
			out = append(out, sub)
		}
	}
	return out, nil
}

// update rewrites the workspace's subscription id as change leaves it: a read, then a script
// that writes the new record if the old one is still there. A change that changes nothing
// writes nothing.
func (s *Store) update(ctx context.Context, workspace string, id int64, change func(*jobs.Subscription)) error {
	k := s.subKeys(workspace)
	_, err := s.swap(ctx, k, id, func(sub jobs.Subscription, record string) (int, error) {
		change(&sub)
		next, err := jobs.MarshalSubscription(sub)
		if err != nil || string(next) == record {
			return 1, err
		}
		return replaceScript.Run(ctx, s.rdb, []string{k.subs}, id, record, next).Int()
	})
	return err
}

// Disable implements jobs.SubscriptionStore.
func (s *Store) Disable(ctx context.Context, workspace string, id int64, reason string, at time.Time) error {
	change, err := jobs.DisableChange(reason, at)
	if err == nil {
		err = s.update(ctx, workspace, id, change)
	}
	if err != nil {
		return fmt.Errorf("redisstore: disable %s %d: %w", workspace, id, err)
	}
	return nil
}

// CountPost implements jobs.SubscriptionStore.
func (s *Store) CountPost(ctx context.Context, workspace string, id int64, n int64) error {
	if err := s.update(ctx, workspace, id, jobs.PostsChange(n)); err != nil {
		return fmt.Errorf("redisstore: count posts of %s %d: %w", workspace, id, err)
	}
	return nil
}
