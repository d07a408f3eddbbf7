package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

// RunSubscriptions runs the contract of jobs.SubscriptionStore. newStore returns an empty
// store for one subtest, which sees nothing of another subtest's store: AllSubscriptions is
// store-wide.
func RunSubscriptions(t *testing.T, newStore func(t *testing.T) jobs.SubscriptionStore) {
	runCases(t, newStore, []contractCase[jobs.SubscriptionStore]{
		{"IDsPerWorkspace", testSubscribeIDs},
		{"RoundTrip", testSubscriptionRoundTrip},
		{"ChannelSubscriptions", testChannelSubscriptions},
		{"ChannelFull", testChannelFull},
		{"DuplicateQuery", testDuplicateQuery},
		{"ConcurrentChannelFull", testConcurrentChannelFull},
		{"ConcurrentDuplicate", testConcurrentDuplicate},
		{"Unsubscribe", testUnsubscribe},
		{"WorkspacesApart", testWorkspacesApart},
		{"Disable", testDisable},
		{"CountPost", testCountPost},
		{"AllSubscriptions", testAllSubscriptions},
		{"AllSubscriptionsMany", testAllSubscriptionsMany},
		{"FnErrorStopsAllSubscriptions", testAllSubscriptionsFnError},
		{"MissingFieldsRefused", testSubscribeMissing},
		{"CancelledContext", testSubscriptionsCancelled},
	})
}

// subscription returns a new subscription of the channel with the query; the store gives
// its id.
func subscription(workspace, channel, query string) jobs.Subscription {
	return jobs.Subscription{
		Workspace: workspace, Channel: channel, Query: query, Creator: "U1", CreatorName: "Ada", Created: at,
	}
}

func subscribe(t *testing.T, s jobs.SubscriptionStore, sub jobs.Subscription) jobs.Subscription {
	t.Helper()
	got, err := s.Subscribe(t.Context(), sub)
	if err != nil {
		t.Fatalf("Subscribe(%s %s %q): %v", sub.Workspace, sub.Channel, sub.Query, err)
	}
	return got
}

func stored(t *testing.T, s jobs.SubscriptionStore, workspace string, id int64) jobs.Subscription {
	t.Helper()
	got, err := s.Subscription(t.Context(), workspace, id)
	if err != nil {
		t.Fatalf("Subscription(%s, %d): %v", workspace, id, err)
	}
	return got
}

func noSubscription(t *testing.T, s jobs.SubscriptionStore, workspace string, id int64) {
	t.Helper()
	if _, err := s.Subscription(t.Context(), workspace, id); !errors.Is(err, jobs.ErrNoSubscription) {
		t.Errorf("Subscription(%s, %d): %v, want ErrNoSubscription", workspace, id, err)
	}
}

func sameSubscription(t *testing.T, what string, got, want jobs.Subscription) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// channelIDs returns the ids ChannelSubscriptions lists, in its order.
func channelIDs(t *testing.T, s jobs.SubscriptionStore, workspace, channel string) []int64 {
	t.Helper()
	subs, err := s.ChannelSubscriptions(t.Context(), workspace, channel)
	if err != nil {
		t.Fatalf("ChannelSubscriptions(%s, %s): %v", workspace, channel, err)
	}
	out := make([]int64, len(subs))
	for i, sub := range subs {
		if sub.Workspace != workspace || sub.Channel != channel {
			t.Errorf("ChannelSubscriptions(%s, %s) lists %+v", workspace, channel, sub)
		}
		out[i] = sub.ID
	}
	return out
}

func sameIDList(t *testing.T, what string, got []int64, want ...int64) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: ids %v, want %v", what, got, want)
	}
}

// all returns what AllSubscriptions visits, by workspace and id, failing on a second visit.
func all(t *testing.T, s jobs.SubscriptionStore) map[string]jobs.Subscription {
	t.Helper()
	seen := make(map[string]jobs.Subscription)
	err := s.AllSubscriptions(t.Context(), func(sub jobs.Subscription) error {
		key := fmt.Sprintf("%s/%d", sub.Workspace, sub.ID)
		if _, ok := seen[key]; ok {
			t.Errorf("AllSubscriptions visited %s twice", key)
		}
		seen[key] = sub
		return nil
	})
	if err != nil {
		t.Fatalf("AllSubscriptions: %v", err)
	}
	return seen
}

func testSubscribeIDs(t *testing.T, s jobs.SubscriptionStore) {
	for i, want := range []int64{1, 2, 3} {
		if got := subscribe(t, s, subscription("slack:T1", "C1", fmt.Sprint("go ", i))); got.ID != want {
			t.Errorf("subscription %d of slack:T1 has id %d, want %d", i+1, got.ID, want)
		}
	}
	if got := subscribe(t, s, subscription("discord:G1", "C1", "go 0")); got.ID != 1 {
		t.Errorf("the first subscription of discord:G1 has id %d, want 1", got.ID)
	}
	if got := subscribe(t, s, subscription("slack:T1", "C2", "go 0")); got.ID != 4 {
		t.Errorf("the fourth subscription of slack:T1 has id %d, want 4", got.ID)
	}
}

func testSubscriptionRoundTrip(t *testing.T, s jobs.SubscriptionStore) {
	zone := time.FixedZone("UTC-3", -3*3600)
	full := jobs.Subscription{
		ID: 99, Workspace: "slack:T1", Channel: "C1", Query: `"site reliability" remote:yes -php`, Creator: "U1",
		CreatorName: "Ada Lovelace", Created: at.In(zone), Digest: true, Posts: 5,
		Disabled: at.Add(time.Hour).In(zone), DisabledReason: "The channel was archived.",
	}
	want := full
	want.ID, want.Created, want.Disabled = 1, at, at.Add(time.Hour)
	got := subscribe(t, s, full)
	sameSubscription(t, "Subscribe's answer, every field", got, want)
	sameSubscription(t, "stored, every field", stored(t, s, "slack:T1", 1), want)
	if got := stored(t, s, "slack:T1", 1); got.Created.Location() != time.UTC {
		t.Errorf("Created in %v, want UTC", got.Created.Location())
	}

	bare := jobs.Subscription{Workspace: "slack:T1", Channel: "C1", Query: "go"}
	subscribe(t, s, bare)
	bare.ID = 2
	sameSubscription(t, "stored, no optional field", stored(t, s, "slack:T1", 2), bare)
}

func testChannelSubscriptions(t *testing.T, s jobs.SubscriptionStore) {
	for i := range 5 {
		subscribe(t, s, subscription("slack:T1", []string{"C1", "C2"}[i%2], fmt.Sprint("go ", i)))
	}
	subscribe(t, s, subscription("slack:T2", "C1", "go 9"))
	sameIDList(t, "C1, oldest first", channelIDs(t, s, "slack:T1", "C1"), 1, 3, 5)
	sameIDList(t, "C2", channelIDs(t, s, "slack:T1", "C2"), 2, 4)
	sameIDList(t, "a channel with none", channelIDs(t, s, "slack:T1", "C3"))
	sameIDList(t, "an unknown workspace", channelIDs(t, s, "slack:T9", "C1"))
	if _, err := s.Unsubscribe(t.Context(), "slack:T1", 3); err != nil {
		t.Fatal(err)
	}
	sameIDList(t, "C1 after unsubscribing 3", channelIDs(t, s, "slack:T1", "C1"), 1, 5)
	subs, err := s.ChannelSubscriptions(t.Context(), "slack:T1", "C2")
	if err != nil || len(subs) != 2 {
		t.Fatalf("ChannelSubscriptions(C2): %v, %v", subs, err)
	}
	sameSubscription(t, "listed as stored", subs[1], stored(t, s, "slack:T1", 4))
}

// fill subscribes the channel to jobs.MaxPerChannel queries "q 0" to "q 24".
func fill(t *testing.T, s jobs.SubscriptionStore, workspace, channel string) {
	t.Helper()
	for i := range jobs.MaxPerChannel {
		subscribe(t, s, subscription(workspace, channel, fmt.Sprint("q ", i)))
	}
}

func testChannelFull(t *testing.T, s jobs.SubscriptionStore) {
	fill(t, s, "slack:T1", "C1")
	got, err := s.Subscribe(t.Context(), subscription("slack:T1", "C1", "one too many"))
	if !errors.Is(err, jobs.ErrChannelFull) {
		t.Errorf("the 26th subscription of a channel: %+v, %v; want ErrChannelFull", got, err)
	}
	if n := len(channelIDs(t, s, "slack:T1", "C1")); n != jobs.MaxPerChannel {
		t.Errorf("the full channel lists %d subscriptions, want %d", n, jobs.MaxPerChannel)
	}
	if n := len(all(t, s)); n != jobs.MaxPerChannel {
		t.Errorf("the store holds %d subscriptions after the refusal, want %d", n, jobs.MaxPerChannel)
	}
	// The refused call took no id; another channel of the workspace has room.
	if got := subscribe(t, s, subscription("slack:T1", "C2", "one too many")); got.ID != jobs.MaxPerChannel+1 {
		t.Errorf("the next subscription has id %d, want %d", got.ID, jobs.MaxPerChannel+1)
	}
}

func testDuplicateQuery(t *testing.T, s jobs.SubscriptionStore) {
	first := subscribe(t, s, subscription("slack:T1", "C1", "go remote:yes"))
	again := subscription("slack:T1", "C1", "go remote:yes")
	again.Creator, again.Digest = "U2", true
	got, err := s.Subscribe(t.Context(), again)
	if !errors.Is(err, jobs.ErrDuplicateQuery) {
		t.Errorf("the same query twice in a channel: %v, want ErrDuplicateQuery", err)
	}
	sameSubscription(t, "the duplicate's answer", got, first)
	sameIDList(t, "the channel", channelIDs(t, s, "slack:T1", "C1"), first.ID)
	if other := subscribe(t, s, subscription("slack:T1", "C2", "go remote:yes")); other.ID != 2 {
		t.Errorf("the same query in another channel has id %d, want 2 (the duplicate took none)", other.ID)
	}

	// The duplicate is found before the channel is full.
	fill(t, s, "slack:T1", "C3")
	if got, err := s.Subscribe(t.Context(), subscription("slack:T1", "C3", "q 3")); !errors.Is(err, jobs.ErrDuplicateQuery) || got.Query != "q 3" {
		t.Errorf("a duplicate in a full channel: %+v, %v; want ErrDuplicateQuery and the existing one", got, err)
	}
}

// concurrently calls Subscribe with the n subscriptions sub(i) at once and returns what each
// call returned.
func concurrently(ctx context.Context, s jobs.SubscriptionStore, n int, sub func(i int) jobs.Subscription) ([]jobs.Subscription, []error) {
	subs, errs := make([]jobs.Subscription, n), make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			subs[i], errs[i] = s.Subscribe(ctx, sub(i))
		})
	}
	close(start)
	wg.Wait()
	return subs, errs
}

func testConcurrentChannelFull(t *testing.T, s jobs.SubscriptionStore) {
	const callers = 40
	subs, errs := concurrently(t.Context(), s, callers, func(i int) jobs.Subscription {
		return subscription("slack:T1", "C1", fmt.Sprint("query ", i))
	})
	ids := make(map[int64]bool)
	full := 0
	for i, err := range errs {
		switch {
		case err == nil:
			if ids[subs[i].ID] {
				t.Errorf("id %d given twice", subs[i].ID)
			}
			ids[subs[i].ID] = true
		case errors.Is(err, jobs.ErrChannelFull):
			full++
		default:
			t.Errorf("Subscribe %d: %v", i, err)
		}
	}
	if len(ids) != jobs.MaxPerChannel || full != callers-jobs.MaxPerChannel {
		t.Errorf("%d concurrent subscriptions of one channel: %d stored and %d refused as full, want %d and %d",
			callers, len(ids), full, jobs.MaxPerChannel, callers-jobs.MaxPerChannel)
	}
	listed := channelIDs(t, s, "slack:T1", "C1")
	if len(listed) != jobs.MaxPerChannel || !slices.IsSorted(listed) {
		t.Errorf("the channel lists %v", listed)
	}
	for _, id := range listed {
		if !ids[id] {
			t.Errorf("the channel lists id %d, which no call returned", id)
		}
	}
}

func testConcurrentDuplicate(t *testing.T, s jobs.SubscriptionStore) {
	const callers = 10
	subs, errs := concurrently(t.Context(), s, callers, func(int) jobs.Subscription {
		return subscription("slack:T1", "C1", "go remote:yes")
	})
	listed := channelIDs(t, s, "slack:T1", "C1")
	if len(listed) != 1 {
		t.Fatalf("%d concurrent subscriptions of one query: the channel lists %v, want one", callers, listed)
	}
	created := 0
	for i, err := range errs {
		switch {
		case err == nil:
			created++
		case !errors.Is(err, jobs.ErrDuplicateQuery):
			t.Errorf("Subscribe %d: %v", i, err)
		}
		if subs[i].ID != listed[0] {
			t.Errorf("Subscribe %d returned id %d, want the stored %d", i, subs[i].ID, listed[0])
		}
	}
	if created != 1 {
		t.Errorf("%d of %d concurrent calls stored the query, want 1", created, callers)
	}
}

func testUnsubscribe(t *testing.T, s jobs.SubscriptionStore) {
	fill(t, s, "slack:T1", "C1")
	want := stored(t, s, "slack:T1", 3)
	got, err := s.Unsubscribe(t.Context(), "slack:T1", 3)
	if err != nil {
		t.Fatal(err)
	}
	sameSubscription(t, "Unsubscribe's answer", got, want)
	noSubscription(t, s, "slack:T1", 3)
	if _, err := s.Unsubscribe(t.Context(), "slack:T1", 3); !errors.Is(err, jobs.ErrNoSubscription) {
		t.Errorf("Unsubscribe twice: %v, want ErrNoSubscription", err)
	}
	for _, id := range []int64{0, -1, 999} {
		if _, err := s.Unsubscribe(t.Context(), "slack:T1", id); !errors.Is(err, jobs.ErrNoSubscription) {
			t.Errorf("Unsubscribe(%d): %v, want ErrNoSubscription", id, err)
		}
	}
	if n := len(channelIDs(t, s, "slack:T1", "C1")); n != jobs.MaxPerChannel-1 {
		t.Errorf("the channel lists %d after the unsubscribe, want %d", n, jobs.MaxPerChannel-1)
	}

	// The slot and the query are free again, and the query comes back with a new id.
	again := subscribe(t, s, subscription("slack:T1", "C1", want.Query))
	if again.ID != jobs.MaxPerChannel+1 {
		t.Errorf("the query subscribed again has id %d, want %d: ids are never given twice", again.ID, jobs.MaxPerChannel+1)
	}
	if _, err := s.Subscribe(t.Context(), subscription("slack:T1", "C1", "one too many")); !errors.Is(err, jobs.ErrChannelFull) {
		t.Errorf("the 26th subscription after a free slot was taken again: %v, want ErrChannelFull", err)
	}

	// Emptying the channel and the workspace does not reset the ids either.
	for _, id := range channelIDs(t, s, "slack:T1", "C1") {
		if _, err := s.Unsubscribe(t.Context(), "slack:T1", id); err != nil {
			t.Fatalf("Unsubscribe(%d): %v", id, err)
		}
	}
	sameIDList(t, "the emptied channel", channelIDs(t, s, "slack:T1", "C1"))
	if n := len(all(t, s)); n != 0 {
		t.Errorf("AllSubscriptions visits %d after every unsubscribe, want none", n)
	}
	if got := subscribe(t, s, subscription("slack:T1", "C1", "q 0")); got.ID != jobs.MaxPerChannel+2 {
		t.Errorf("the first subscription of an emptied workspace has id %d, want %d", got.ID, jobs.MaxPerChannel+2)
	}
}

func testWorkspacesApart(t *testing.T, s jobs.SubscriptionStore) {
	mine := subscribe(t, s, subscription("slack:T1", "C1", "go"))
	ctx := t.Context()
	noSubscription(t, s, "slack:T2", mine.ID)
	noSubscription(t, s, "discord:T1", mine.ID)
	if _, err := s.Unsubscribe(ctx, "slack:T2", mine.ID); !errors.Is(err, jobs.ErrNoSubscription) {
		t.Errorf("Unsubscribe from another workspace: %v, want ErrNoSubscription", err)
	}
	if err := s.Disable(ctx, "slack:T2", mine.ID, "Gone.", at); !errors.Is(err, jobs.ErrNoSubscription) {
		t.Errorf("Disable from another workspace: %v, want ErrNoSubscription", err)
	}
	if err := s.CountPost(ctx, "slack:T2", mine.ID, 3); !errors.Is(err, jobs.ErrNoSubscription) {
		t.Errorf("CountPost from another workspace: %v, want ErrNoSubscription", err)
	}
	sameIDList(t, "the same channel id in another workspace", channelIDs(t, s, "slack:T2", "C1"))

	// The other workspace's own id 1, with the same channel id and query, is another
	// subscription: changing it leaves the first alone.
	theirs := subscribe(t, s, subscription("slack:T2", "C1", "go"))
	if theirs.ID != mine.ID {
		t.Fatalf("the other workspace's first subscription has id %d, want %d", theirs.ID, mine.ID)
	}
	if err := s.Disable(ctx, "slack:T2", theirs.ID, "Gone.", at); err != nil {
		t.Fatal(err)
	}
	if err := s.CountPost(ctx, "slack:T2", theirs.ID, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Unsubscribe(ctx, "slack:T2", theirs.ID); err != nil {
		t.Fatal(err)
	}
	sameSubscription(t, "after the other workspace's calls", stored(t, s, "slack:T1", mine.ID), mine)
	sameIDList(t, "the first workspace's channel", channelIDs(t, s, "slack:T1", "C1"), mine.ID)
}

func testDisable(t *testing.T, s jobs.SubscriptionStore) {
	sub := subscribe(t, s, subscription("slack:T1", "C1", "go"))
	subscribe(t, s, subscription("slack:T1", "C1", "rust"))
	ctx := t.Context()
	if err := s.Disable(ctx, "slack:T1", sub.ID, "Nobody is there.", time.Time{}); err == nil {
		t.Error("Disable at the zero time succeeded")
	}
	if got := stored(t, s, "slack:T1", sub.ID); !got.Active() {
		t.Errorf("disabled at the zero time: %+v", got)
	}

	first := at.Add(time.Hour)
	if err := s.Disable(ctx, "slack:T1", sub.ID, "The channel was archived.", first.In(time.FixedZone("UTC+2", 7200))); err != nil {
		t.Fatal(err)
	}
	if err := s.Disable(ctx, "slack:T1", sub.ID, "The bot was removed.", first.Add(time.Hour)); err != nil {
		t.Errorf("Disable of a disabled subscription: %v", err)
	}
	want := sub
	want.Disabled, want.DisabledReason = first, "The channel was archived."
	got := stored(t, s, "slack:T1", sub.ID)
	sameSubscription(t, "disabled twice", got, want)
	if got.Active() {
		t.Error("a disabled subscription is active")
	}
	if got := stored(t, s, "slack:T1", 2); !got.Active() {
		t.Errorf("the other subscription of the channel: %+v, want active", got)
	}
	sameIDList(t, "a disabled subscription stays listed", channelIDs(t, s, "slack:T1", "C1"), 1, 2)
	if err := s.Disable(ctx, "slack:T1", 3, "Gone.", at); !errors.Is(err, jobs.ErrNoSubscription) {
		t.Errorf("Disable(3): %v, want ErrNoSubscription", err)
	}
}

func testCountPost(t *testing.T, s jobs.SubscriptionStore) {
	sub := subscribe(t, s, subscription("slack:T1", "C1", "go"))
	ctx := t.Context()
	for _, n := range []int64{3, 4} {
		if err := s.CountPost(ctx, "slack:T1", sub.ID, n); err != nil {
			t.Fatal(err)
		}
	}
	want := sub
	want.Posts = 7
	sameSubscription(t, "after 3 and 4 posts", stored(t, s, "slack:T1", sub.ID), want)

	const callers, calls = 10, 5
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			for range calls {
				if err := s.CountPost(ctx, "slack:T1", sub.ID, 1); err != nil {
					t.Errorf("CountPost: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
	if got := stored(t, s, "slack:T1", sub.ID); got.Posts != 7+callers*calls {
		t.Errorf("after %d concurrent posts Posts is %d, want %d", callers*calls, got.Posts, 7+callers*calls)
	}
	if err := s.CountPost(ctx, "slack:T1", 2, 1); !errors.Is(err, jobs.ErrNoSubscription) {
		t.Errorf("CountPost(2): %v, want ErrNoSubscription", err)
	}
}

func testAllSubscriptions(t *testing.T, s jobs.SubscriptionStore) {
	if n := len(all(t, s)); n != 0 {
		t.Errorf("AllSubscriptions of an empty store visits %d", n)
	}
	want := make(map[string]jobs.Subscription)
	for w := range 4 {
		workspace := fmt.Sprintf("slack:T%d", w)
		for i := range 10 * (w + 1) {
			sub := subscribe(t, s, subscription(workspace, fmt.Sprint("C", i%3), fmt.Sprint("go ", i)))
			want[fmt.Sprintf("%s/%d", workspace, sub.ID)] = sub
		}
	}
	if _, err := s.Unsubscribe(t.Context(), "slack:T2", 5); err != nil {
		t.Fatal(err)
	}
	delete(want, "slack:T2/5")
	if err := s.CountPost(t.Context(), "slack:T2", 6, 2); err != nil {
		t.Fatal(err)
	}
	counted := want["slack:T2/6"]
	counted.Posts = 2
	want["slack:T2/6"] = counted
	if got := all(t, s); !reflect.DeepEqual(got, want) {
		t.Errorf("AllSubscriptions visits %d subscriptions, want %d:\n got %v\nwant %v", len(got), len(want), got, want)
	}

	// fn may call the store.
	err := s.AllSubscriptions(t.Context(), func(sub jobs.Subscription) error {
		return s.CountPost(t.Context(), sub.Workspace, sub.ID, 1)
	})
	if err != nil {
		t.Fatalf("AllSubscriptions counting a post of each: %v", err)
	}
	if got := stored(t, s, "slack:T2", 6); got.Posts != 3 {
		t.Errorf("Posts after AllSubscriptions counted one: %d, want 3", got.Posts)
	}
}

// testAllSubscriptionsMany stores more subscriptions than a store reads at once (a thousand,
// for both), in workspaces of different sizes.
func testAllSubscriptionsMany(t *testing.T, s jobs.SubscriptionStore) {
	sizes := []int{1300, 1, 700, 250}
	total := 0
	for w, n := range sizes {
		workspace := fmt.Sprintf("discord:%d", w)
		for i := range n {
			subscribe(t, s, subscription(workspace, fmt.Sprint("C", i/jobs.MaxPerChannel), fmt.Sprint("go ", i)))
		}
		total += n
	}
	got := all(t, s)
	for w, n := range sizes {
		for id := range n {
			if _, ok := got[fmt.Sprintf("discord:%d/%d", w, id+1)]; !ok {
				t.Errorf("AllSubscriptions missed subscription %d of discord:%d", id+1, w)
			}
		}
	}
	if len(got) != total {
		t.Errorf("AllSubscriptions visits %d subscriptions, want %d", len(got), total)
	}
}

func testAllSubscriptionsFnError(t *testing.T, s jobs.SubscriptionStore) {
	for w := range 2 {
		for i := range 3 {
			subscribe(t, s, subscription(fmt.Sprintf("slack:T%d", w), "C1", fmt.Sprint("go ", i)))
		}
	}
	calls := 0
	err := s.AllSubscriptions(t.Context(), func(jobs.Subscription) error {
		calls++
		if calls == 3 {
			return errStop
		}
		return nil
	})
	if !errors.Is(err, errStop) || calls != 3 {
		t.Errorf("AllSubscriptions whose fn fails on the third: %v after %d calls, want fn's error after 3", err, calls)
	}
}

func testSubscribeMissing(t *testing.T, s jobs.SubscriptionStore) {
	for _, sub := range []jobs.Subscription{
		{Channel: "C1", Query: "go"},
		{Workspace: "slack:T1", Query: "go"},
		{Workspace: "slack:T1", Channel: "C1"},
		{},
	} {
		if got, err := s.Subscribe(t.Context(), sub); err == nil || errors.Is(err, jobs.ErrDuplicateQuery) || errors.Is(err, jobs.ErrChannelFull) {
			t.Errorf("Subscribe(%+v) = %+v, %v; want CheckNew's error", sub, got, err)
		}
	}
	if n := len(all(t, s)); n != 0 {
		t.Errorf("the refused subscriptions left %d stored", n)
	}
	if got := subscribe(t, s, subscription("slack:T1", "C1", "go")); got.ID != 1 {
		t.Errorf("the first stored subscription after refusals has id %d, want 1", got.ID)
	}
}

func testSubscriptionsCancelled(t *testing.T, s jobs.SubscriptionStore) {
	sub := subscribe(t, s, subscription("slack:T1", "C1", "go"))
	cctx, cancel := context.WithCancel(t.Context())
	cancel()
	calls := []struct {
		name string
		call func() error
	}{
		{"Subscribe", func() error { _, err := s.Subscribe(cctx, subscription("slack:T1", "C1", "rust")); return err }},
		{"Unsubscribe", func() error { _, err := s.Unsubscribe(cctx, "slack:T1", sub.ID); return err }},
		{"Subscription", func() error { _, err := s.Subscription(cctx, "slack:T1", sub.ID); return err }},
		{"ChannelSubscriptions", func() error { _, err := s.ChannelSubscriptions(cctx, "slack:T1", "C1"); return err }},
		{"AllSubscriptions", func() error { return s.AllSubscriptions(cctx, func(jobs.Subscription) error { return nil }) }},
		{"Disable", func() error { return s.Disable(cctx, "slack:T1", sub.ID, "Gone.", at) }},
		{"CountPost", func() error { return s.CountPost(cctx, "slack:T1", sub.ID, 1) }},
	}
	for _, c := range calls {
		if err := c.call(); err == nil {
			t.Errorf("%s with a cancelled context succeeded", c.name)
		}
	}
	sameSubscription(t, "after the cancelled calls", stored(t, s, "slack:T1", sub.ID), sub)
	sameIDList(t, "the channel after the cancelled calls", channelIDs(t, s, "slack:T1", "C1"), sub.ID)
}
