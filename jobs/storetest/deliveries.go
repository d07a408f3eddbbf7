package storetest

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

// DeliveryStore is what RunDeliveries holds to the contract: the queue, and the subscriptions
// whose Posts its Sent counts.
type DeliveryStore interface {
	jobs.DeliveryQueue
	jobs.SubscriptionStore
}

// RunDeliveries runs the contract of jobs.DeliveryQueue. newStore returns an empty store for
// one subtest, which sees nothing of another subtest's store: the queue is store-wide.
func RunDeliveries(t *testing.T, newStore func(t *testing.T) DeliveryStore) {
	runCases(t, newStore, []contractCase[DeliveryStore]{
		{"EnqueueDedupe", testEnqueueDedupe},
		{"ReplayQueued", testReplayQueued},
		{"ClaimOutcomes", testClaimOutcomes},
		{"ConcurrentClaim", testConcurrentClaim},
		{"NotClaimed", testNotClaimed},
		{"RetryLater", testRetryLater},
		{"Reclaim", testReclaim},
		{"Release", testReleaseCopies},
		{"Ack", testAck},
		{"SentCountsPost", testSentCountsPost},
		{"DigestRoundTrip", testDigestRoundTrip},
		{"DeadLetters", testDeadLetters},
		{"WorkspacesApart", testDeliveryWorkspacesApart},
		{"Stats", testDeliveryStats},
		{"FanoutCursor", testFanoutCursor},
		{"IncompleteRefused", testIncompleteRefused},
		{"CancelledContext", testDeliveriesCancelled},
	})
}

// The durations of the queue's tests: short, so that the tests are quick, and only ever
// lower bounds of what a test asserts.
const (
	block   = 20 * time.Millisecond // how long a Next waits for copies
	never   = time.Hour             // a reclaim that does not happen during a test
	lease   = time.Minute
	patient = 10 * time.Second // how long a test polls for what must come
)

func delivery(workspace, channel, key string) jobs.Delivery {
	return jobs.Delivery{Workspace: workspace, Channel: channel, Key: key, Subscription: 1, Enqueued: at}
}

// queued is d as Enqueue records it.
func queued(d jobs.Delivery) jobs.Delivery {
	return jobs.Delivery{
		Workspace: d.Workspace, Channel: d.Channel, Key: d.Key, Subscription: d.Subscription,
		Openings: d.Openings, Enqueued: d.Enqueued, State: jobs.Queued,
	}
}

func enqueue(t *testing.T, q DeliveryStore, ds ...jobs.Delivery) int {
	t.Helper()
	n, err := q.Enqueue(t.Context(), ds)
	if err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	return n
}

func next(t *testing.T, q DeliveryStore, consumer string, max int, reclaim time.Duration) []jobs.Delivery {
	t.Helper()
	got, err := q.Next(t.Context(), consumer, max, block, reclaim)
	if err != nil {
		t.Fatalf("Next(%s): %v", consumer, err)
	}
	for _, d := range got {
		if d.Receipt == "" {
			t.Errorf("Next(%s) handed out a copy of %s with no receipt", consumer, d.Key)
		}
	}
	return got
}

// drain takes every copy Next hands consumer until it hands none.
func drain(t *testing.T, q DeliveryStore, consumer string) []jobs.Delivery {
	t.Helper()
	var out []jobs.Delivery
	for {
		got := next(t, q, consumer, 10, never)
		if len(got) == 0 {
			return out
		}
		out = append(out, got...)
	}
}

func keys(ds []jobs.Delivery) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Key
	}
	return out
}

func sortedKeys(ds []jobs.Delivery) []string {
	out := keys(ds)
	slices.Sort(out)
	return out
}

func claim(t *testing.T, q DeliveryStore, d jobs.Delivery, consumer string, now time.Time) (jobs.Delivery, jobs.ClaimOutcome) {
	t.Helper()
	got, outcome, err := q.Claim(t.Context(), d, consumer, lease, now)
	if err != nil {
		t.Fatalf("Claim(%s, %s): %v", d.Key, consumer, err)
	}
	return got, outcome
}

func wantClaim(t *testing.T, q DeliveryStore, d jobs.Delivery, consumer string, now time.Time, want jobs.ClaimOutcome) jobs.Delivery {
	t.Helper()
	got, outcome := claim(t, q, d, consumer, now)
	if outcome != want {
		t.Errorf("Claim(%s, %s) = %v (%+v), want %v", d.Key, consumer, outcome, got, want)
	}
	return got
}

func record(t *testing.T, q DeliveryStore, d jobs.Delivery) jobs.Delivery {
	t.Helper()
	got, err := q.Delivery(t.Context(), d.Workspace, d.Channel, d.Key)
	if err != nil {
		t.Fatalf("Delivery(%s, %s, %s): %v", d.Workspace, d.Channel, d.Key, err)
	}
	if got.Receipt != "" {
		t.Errorf("the record of %s has a receipt %q", d.Key, got.Receipt)
	}
	return got
}

func noDelivery(t *testing.T, q DeliveryStore, workspace, channel, key string) {
	t.Helper()
	if got, err := q.Delivery(t.Context(), workspace, channel, key); !errors.Is(err, jobs.ErrNoDelivery) {
		t.Errorf("Delivery(%s, %s, %s) = %+v, %v; want ErrNoDelivery", workspace, channel, key, got, err)
	}
}

// sameDelivery compares two deliveries, their receipts aside: times by the instant.
func sameDelivery(t *testing.T, what string, got, want jobs.Delivery) {
	t.Helper()
	norm := func(d jobs.Delivery) jobs.Delivery {
		d.Receipt = ""
		for _, tm := range []*time.Time{&d.Enqueued, &d.ClaimedAt, &d.NotBefore, &d.Done} {
			*tm = tm.UTC().Round(0)
		}
		return d
	}
	if g, w := norm(got), norm(want); !reflect.DeepEqual(g, w) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, g, w)
	}
}

func sent(t *testing.T, q DeliveryStore, d jobs.Delivery, consumer, messageID string, now time.Time) {
	t.Helper()
	if err := q.Sent(t.Context(), d, consumer, messageID, now); err != nil {
		t.Fatalf("Sent(%s, %s): %v", d.Key, consumer, err)
	}
}

func stats(t *testing.T, q DeliveryStore) jobs.DeliveryStats {
	t.Helper()
	st, err := q.DeliveryStats(t.Context())
	if err != nil {
		t.Fatalf("DeliveryStats: %v", err)
	}
	return st
}

func wantStats(t *testing.T, q DeliveryStore, what string, want jobs.DeliveryStats) {
	t.Helper()
	if got := stats(t, q); got != want {
		t.Errorf("DeliveryStats %s: %+v, want %+v", what, got, want)
	}
}

func testEnqueueDedupe(t *testing.T, q DeliveryStore) {
	d1, d2 := delivery("slack:T1", "C1", "greenhouse:1"), delivery("slack:T1", "C1", "greenhouse:2")
	if n := enqueue(t, q, d1, d2); n != 2 {
		t.Errorf("Enqueue of two new deliveries counted %d", n)
	}
	if n := enqueue(t, q, d1); n != 0 {
		t.Errorf("Enqueue of a known delivery counted %d", n)
	}
	d3 := delivery("slack:T1", "C1", "greenhouse:3")
	if n := enqueue(t, q, d3, d3); n != 1 {
		t.Errorf("Enqueue of one delivery twice in a batch counted %d", n)
	}
	// The same key in another channel, or another workspace, is another delivery.
	if n := enqueue(t, q, delivery("slack:T1", "C2", d1.Key), delivery("slack:T2", "C1", d1.Key)); n != 2 {
		t.Errorf("Enqueue of the same key elsewhere counted %d, want 2", n)
	}
	changed := d1
	changed.Subscription, changed.Enqueued = 9, at.Add(time.Hour)
	if n := enqueue(t, q, changed); n != 0 {
		t.Errorf("Enqueue of a known delivery with other fields counted %d", n)
	}
	sameDelivery(t, "the record of the first enqueue", record(t, q, d1), queued(d1))

	// Every copy, duplicates included, is handed out; one send, and the rest find it done.
	copies := drain(t, q, "a")
	for _, c := range copies {
		if c.Key == d1.Key && c.Channel == "C1" && c.Workspace == "slack:T1" {
			if _, outcome := claim(t, q, c, "a", at); outcome == jobs.ClaimNew {
				sent(t, q, c, "a", "M1", at)
			}
		}
		if err := q.Ack(t.Context(), c); err != nil {
			t.Fatalf("Ack: %v", err)
		}
	}
	if got := record(t, q, d1); got.State != jobs.Sent || got.Attempts != 1 {
		t.Errorf("after handling every copy, %s is %s after %d attempts, want sent after 1", d1.Key, got.State, got.Attempts)
	}

	// A sent delivery enqueued again is not new and gets no copy.
	if n := enqueue(t, q, d1); n != 0 {
		t.Errorf("Enqueue of a sent delivery counted %d", n)
	}
	if got := next(t, q, "a", 10, never); len(got) != 0 {
		t.Errorf("Next after enqueueing a sent delivery again handed out %v", keys(got))
	}
	if got := record(t, q, d1); got.State != jobs.Sent || got.MessageID != "M1" {
		t.Errorf("a sent delivery enqueued again: %+v", got)
	}
}

func testReplayQueued(t *testing.T, q DeliveryStore) {
	d := delivery("slack:T1", "C1", "lever:1")
	enqueue(t, q, d)
	if n := enqueue(t, q, d); n != 0 {
		t.Errorf("the replay counted %d", n)
	}
	copies := drain(t, q, "a")
	if got := keys(copies); !slices.Equal(got, []string{d.Key, d.Key}) {
		t.Fatalf("copies after a replay: %v, want two of %s", got, d.Key)
	}
	news := 0
	for i, c := range copies {
		switch _, outcome := claim(t, q, c, []string{"a", "b"}[i], at); outcome {
		case jobs.ClaimNew:
			news++
		case jobs.ClaimBusy:
		default:
			t.Errorf("Claim of copy %d: %v, want ClaimNew or ClaimBusy", i, outcome)
		}
	}
	if news != 1 {
		t.Errorf("two copies of one delivery claimed new %d times, want once", news)
	}
}

func testClaimOutcomes(t *testing.T, q DeliveryStore) {
	wantClaim(t, q, delivery("slack:T1", "C1", "unknown:1"), "a", at, jobs.ClaimDone)

	d := delivery("slack:T1", "C1", "ashby:1")
	enqueue(t, q, d)
	want := queued(d)
	want.State, want.Attempts, want.ClaimedAt, want.Consumer = jobs.Sending, 1, at, "a"
	sameDelivery(t, "ClaimNew's answer", wantClaim(t, q, d, "a", at, jobs.ClaimNew), want)
	sameDelivery(t, "the record after ClaimNew", record(t, q, d), want)

	// While a's lease runs, another consumer, or a itself, is told busy.
	sameDelivery(t, "ClaimBusy's answer", wantClaim(t, q, d, "b", at.Add(lease/2), jobs.ClaimBusy), want)
	wantClaim(t, q, d, "a", at.Add(lease-time.Millisecond), jobs.ClaimBusy)
	sameDelivery(t, "the record after ClaimBusy", record(t, q, d), want)

	// After it, the delivery is in doubt: b takes it with a's ClaimedAt.
	later := at.Add(2 * lease)
	got := wantClaim(t, q, d, "b", later, jobs.ClaimInDoubt)
	want.Attempts, want.Consumer = 2, "b"
	sameDelivery(t, "ClaimInDoubt's answer", got, want)
	want.ClaimedAt = later
	sameDelivery(t, "the record after ClaimInDoubt", record(t, q, d), want)

	sent(t, q, d, "b", "M1", later.Add(time.Second))
	want.State, want.MessageID, want.Done = jobs.Sent, "M1", later.Add(time.Second)
	sameDelivery(t, "ClaimDone's answer for a sent delivery", wantClaim(t, q, d, "c", later.Add(lease), jobs.ClaimDone), want)
	sameDelivery(t, "the record after ClaimDone", record(t, q, d), want)

	dead := delivery("slack:T1", "C1", "ashby:2")
	enqueue(t, q, dead)
	wantClaim(t, q, dead, "a", at, jobs.ClaimNew)
	if err := q.Dead(t.Context(), dead, "a", "The channel is gone.", at.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if got := wantClaim(t, q, dead, "b", at.Add(2*lease), jobs.ClaimDone); got.State != jobs.Dead {
		t.Errorf("ClaimDone of a dead delivery answers %+v", got)
	}

	retry := delivery("slack:T1", "C1", "ashby:3")
	enqueue(t, q, retry)
	wantClaim(t, q, retry, "a", at, jobs.ClaimNew)
	due := at.Add(time.Hour)
	if err := q.Retry(t.Context(), retry, "a", due, "Slack answered 503."); err != nil {
		t.Fatal(err)
	}
	want = queued(retry)
	want.Attempts, want.ClaimedAt, want.Consumer, want.NotBefore, want.LastError = 1, at, "a", due, "Slack answered 503."
	sameDelivery(t, "the record after Retry", record(t, q, retry), want)
	sameDelivery(t, "ClaimDone's answer before the retry is due", wantClaim(t, q, retry, "b", due.Add(-time.Millisecond), jobs.ClaimDone), want)
	got = wantClaim(t, q, retry, "b", due, jobs.ClaimNew)
	if got.Attempts != 2 || got.Consumer != "b" || !got.ClaimedAt.Equal(due) {
		t.Errorf("the claim of a due retry: %+v", got)
	}
}

func testConcurrentClaim(t *testing.T, q DeliveryStore) {
	d := delivery("slack:T1", "C1", "workable:1")
	enqueue(t, q, d)
	const claimers = 8
	outcomes := make([]jobs.ClaimOutcome, claimers)
	errs := make([]error, claimers)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range claimers {
		wg.Go(func() {
			<-start
			_, outcomes[i], errs[i] = q.Claim(t.Context(), d, string(rune('a'+i)), lease, at)
		})
	}
	close(start)
	wg.Wait()
	news := 0
	for i, outcome := range outcomes {
		switch {
		case errs[i] != nil:
			t.Errorf("Claim %d: %v", i, errs[i])
		case outcome == jobs.ClaimNew:
			news++
		case outcome != jobs.ClaimBusy:
			t.Errorf("Claim %d: %v, want ClaimNew or ClaimBusy", i, outcome)
		}
	}
	if news != 1 {
		t.Errorf("%d concurrent claims: %d ClaimNew, want 1", claimers, news)
	}
	if got := record(t, q, d); got.Attempts != 1 {
		t.Errorf("after %d concurrent claims, Attempts is %d, want 1", claimers, got.Attempts)
	}
}

func testNotClaimed(t *testing.T, q DeliveryStore) {
	ctx := t.Context()
	unclaimed := delivery("slack:T1", "C1", "never:1")
	enqueue(t, q, unclaimed)
	d := delivery("slack:T1", "C1", "taken:1")
	enqueue(t, q, d)
	wantClaim(t, q, d, "a", at, jobs.ClaimNew)
	wantClaim(t, q, d, "b", at.Add(2*lease), jobs.ClaimInDoubt)
	before := record(t, q, d)

	outcomes := []struct {
		name string
		call func(d jobs.Delivery, consumer string) error
	}{
		{"Sent", func(d jobs.Delivery, consumer string) error { return q.Sent(ctx, d, consumer, "M1", at.Add(3*lease)) }},
		{"Retry", func(d jobs.Delivery, consumer string) error {
			return q.Retry(ctx, d, consumer, at.Add(4*lease), "Later.")
		}},
		{"Dead", func(d jobs.Delivery, consumer string) error {
			return q.Dead(ctx, d, consumer, "Gone.", at.Add(3*lease))
		}},
	}
	for _, o := range outcomes {
		t.Run(o.name, func(t *testing.T) {
			if err := o.call(d, "a"); !errors.Is(err, jobs.ErrNotClaimed) {
				t.Errorf("%s by the consumer whose claim was taken over: %v, want ErrNotClaimed", o.name, err)
			}
			sameDelivery(t, "the record after the refused "+o.name, record(t, q, d), before)
			if err := o.call(unclaimed, "a"); !errors.Is(err, jobs.ErrNotClaimed) {
				t.Errorf("%s of a delivery never claimed: %v, want ErrNotClaimed", o.name, err)
			}
			sameDelivery(t, "the unclaimed record after the refused "+o.name, record(t, q, unclaimed), queued(unclaimed))
		})
	}
	if got := record(t, q, d); got.State != jobs.Sending || got.Consumer != "b" {
		t.Errorf("the taken-over delivery: %+v, want sending for b", got)
	}
	if st := stats(t, q); st.Dead != 0 || st.Sent != 0 {
		t.Errorf("the refused outcomes counted: %+v", st)
	}
}

// await calls Next for consumer until it hands out a copy of key, or fails the test after a
// while; it returns the copy and when Next returned it.
func await(t *testing.T, q DeliveryStore, consumer, key string, reclaim time.Duration) (jobs.Delivery, time.Time) {
	t.Helper()
	deadline := time.Now().Add(patient)
	for time.Now().Before(deadline) {
		for _, c := range next(t, q, consumer, 10, reclaim) {
			if c.Key == key {
				return c, time.Now()
			}
		}
	}
	t.Fatalf("Next(%s) never handed out %s", consumer, key)
	return jobs.Delivery{}, time.Time{}
}

func testRetryLater(t *testing.T, q DeliveryStore) {
	d := delivery("slack:T1", "C1", "retry:1")
	enqueue(t, q, d)
	c, _ := await(t, q, "a", d.Key, never)
	wantClaim(t, q, c, "a", time.Now(), jobs.ClaimNew)
	due := time.Now().Add(200 * time.Millisecond)
	if err := q.Retry(t.Context(), c, "a", due, "Discord answered 429."); err != nil {
		t.Fatal(err)
	}
	c, handed := await(t, q, "b", d.Key, never)
	if handed.Before(due) {
		t.Errorf("the retry due at %v was handed out at %v", due, handed)
	}
	got := wantClaim(t, q, c, "b", time.Now(), jobs.ClaimNew)
	if got.Attempts != 2 || got.LastError != "Discord answered 429." {
		t.Errorf("the retried delivery claimed again: %+v", got)
	}
	sent(t, q, c, "b", "M1", time.Now())
	if got := next(t, q, "c", 10, never); len(got) != 0 {
		t.Errorf("after the retry was sent Next hands out %v", keys(got))
	}
}

func testReclaim(t *testing.T, q DeliveryStore) {
	const reclaim = 300 * time.Millisecond
	enqueue(t, q, delivery("slack:T1", "C1", "reclaim:1"), delivery("slack:T1", "C1", "reclaim:2"))
	start := time.Now()
	if got := next(t, q, "a", 10, never); len(got) != 2 {
		t.Fatalf("Next(a) handed out %v, want both", keys(got))
	}
	var reclaimed []jobs.Delivery
	deadline := time.Now().Add(patient)
	for len(reclaimed) < 2 && time.Now().Before(deadline) {
		got := next(t, q, "b", 10, reclaim)
		if len(got) > 0 && time.Since(start) < reclaim {
			t.Errorf("Next(b) took %v over from a %v after a got them, before the reclaim of %v", keys(got), time.Since(start), reclaim)
		}
		reclaimed = append(reclaimed, got...)
	}
	if got := sortedKeys(reclaimed); !slices.Equal(got, []string{"reclaim:1", "reclaim:2"}) {
		t.Fatalf("b reclaimed %v, want both", got)
	}
	for _, c := range reclaimed {
		if c.State != jobs.Queued || c.Workspace != "slack:T1" {
			t.Errorf("a reclaimed copy carries %+v", c)
		}
	}
	// Taken over, they are b's: a's next call does not get them back before the reclaim.
	if got := next(t, q, "a", 10, never); len(got) != 0 {
		t.Errorf("Next(a) after b's reclaim handed out %v", keys(got))
	}
}

// testReleaseCopies: copies a consumer hands back are handed to another at once, without waiting
// for a reclaim, and are claimed as new.
func testReleaseCopies(t *testing.T, q DeliveryStore) {
	enqueue(t, q, delivery("slack:T1", "C1", "release:1"), delivery("slack:T1", "C1", "release:2"))
	got := next(t, q, "a", 10, never)
	if len(got) != 2 {
		t.Fatalf("Next(a) handed out %v, want both", keys(got))
	}
	for _, c := range got {
		if err := q.Release(t.Context(), c); err != nil {
			t.Fatal(err)
		}
	}
	var again []jobs.Delivery
	for deadline := time.Now().Add(patient); len(again) < 2 && time.Now().Before(deadline); {
		again = append(again, next(t, q, "b", 10, never)...)
	}
	if got := sortedKeys(again); !slices.Equal(got, []string{"release:1", "release:2"}) {
		t.Fatalf("b got %v after the release, want both", got)
	}
	for _, c := range again {
		wantClaim(t, q, c, "b", time.Now(), jobs.ClaimNew)
	}
}

func testAck(t *testing.T, q DeliveryStore) {
	d := delivery("slack:T1", "C1", "ack:1")
	enqueue(t, q, d)
	c, _ := await(t, q, "a", d.Key, never)
	if err := q.Ack(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	if err := q.Ack(t.Context(), c); err != nil {
		t.Errorf("Ack of a copy already acked: %v", err)
	}
	time.Sleep(2 * block)
	if got := next(t, q, "b", 10, block); len(got) != 0 {
		t.Errorf("Next after the Ack handed out %v", keys(got))
	}
	sameDelivery(t, "the record after the Ack", record(t, q, d), queued(d))
	wantStats(t, q, "after the Ack", jobs.DeliveryStats{})
}

func testSentCountsPost(t *testing.T, q DeliveryStore) {
	sub := subscribe(t, q, subscription("slack:T1", "C1", "go"))
	d := delivery("slack:T1", "C1", "count:1")
	d.Subscription = sub.ID
	orphan := delivery("slack:T1", "C1", "count:2")
	orphan.Subscription = sub.ID + 1 // never existed
	enqueue(t, q, d, orphan)
	for _, x := range []jobs.Delivery{d, orphan} {
		wantClaim(t, q, x, "a", at, jobs.ClaimNew)
		sent(t, q, x, "a", "M-"+x.Key, at)
	}
	if got := stored(t, q, "slack:T1", sub.ID); got.Posts != 1 {
		t.Errorf("after one post the subscription counts %d", got.Posts)
	}
	if got := record(t, q, orphan); got.State != jobs.Sent || got.MessageID != "M-count:2" {
		t.Errorf("the delivery of a subscription that is gone: %+v, want sent", got)
	}
	if st := stats(t, q); st.Sent != 2 {
		t.Errorf("DeliveryStats counts %d sent, want 2", st.Sent)
	}
}

func testDigestRoundTrip(t *testing.T, q DeliveryStore) {
	sub := subscription("discord:G1", "4242", "rust")
	sub.Digest = true
	sub = subscribe(t, q, sub)
	d := jobs.Delivery{
		Workspace: "discord:G1", Channel: "4242", Key: jobs.DigestKey(sub.ID, at), Subscription: sub.ID,
		Openings: []string{"greenhouse:3", "lever:1", "ashby:7"}, Enqueued: at.In(time.FixedZone("UTC+2", 7200)),
		// What Enqueue records of these is its own.
		State: jobs.Sent, Attempts: 5, MessageID: "M0", Receipt: "1-1",
	}
	enqueue(t, q, d)
	want := queued(d)
	sameDelivery(t, "the digest's record", record(t, q, d), want)
	c, _ := await(t, q, "a", d.Key, never)
	sameDelivery(t, "the digest's copy", c, want)
	got := wantClaim(t, q, c, "a", at, jobs.ClaimNew)
	if !slices.Equal(got.Openings, d.Openings) {
		t.Errorf("the claimed digest lists %v, want %v", got.Openings, d.Openings)
	}
	sent(t, q, got, "a", "M1", at.Add(time.Second))
	want.State, want.Attempts, want.ClaimedAt, want.Consumer, want.MessageID, want.Done = jobs.Sent, 1, at, "a", "M1", at.Add(time.Second)
	sameDelivery(t, "the sent digest", record(t, q, d), want)
	if got := stored(t, q, sub.Workspace, sub.ID); got.Posts != 1 {
		t.Errorf("the digest's subscription counts %d posts, want 1", got.Posts)
	}
}

// kill enqueues d and gives up on it at done.
func kill(t *testing.T, q DeliveryStore, d jobs.Delivery, reason string, done time.Time) {
	t.Helper()
	enqueue(t, q, d)
	wantClaim(t, q, d, "a", done.Add(-time.Second), jobs.ClaimNew)
	if err := q.Dead(t.Context(), d, "a", reason, done); err != nil {
		t.Fatalf("Dead(%s): %v", d.Key, err)
	}
}

func deadKeys(t *testing.T, q DeliveryStore, workspace, channel string, limit int) []string {
	t.Helper()
	got, err := q.DeadLetters(t.Context(), workspace, channel, limit)
	if err != nil {
		t.Fatalf("DeadLetters(%s, %s, %d): %v", workspace, channel, limit, err)
	}
	for _, d := range got {
		if d.Workspace != workspace || (channel != "" && d.Channel != channel) || d.State != jobs.Dead {
			t.Errorf("DeadLetters(%s, %s) lists %+v", workspace, channel, d)
		}
	}
	return keys(got)
}

func testDeadLetters(t *testing.T, q DeliveryStore) {
	for i, c := range []string{"C1", "C2", "C1"} {
		kill(t, q, delivery("slack:T1", c, "dead:"+string(rune('1'+i))), "Reason "+string(rune('1'+i)), at.Add(time.Duration(i)*time.Minute))
	}
	kill(t, q, delivery("slack:T2", "C1", "dead:9"), "Elsewhere.", at.Add(time.Hour))

	cases := []struct {
		name, workspace, channel string
		limit                    int
		want                     []string
	}{
		{"whole workspace, newest first", "slack:T1", "", 10, []string{"dead:3", "dead:2", "dead:1"}},
		{"one channel", "slack:T1", "C1", 10, []string{"dead:3", "dead:1"}},
		{"limit", "slack:T1", "", 2, []string{"dead:3", "dead:2"}},
		{"limit within a channel", "slack:T1", "C1", 1, []string{"dead:3"}},
		{"a channel with none", "slack:T1", "C3", 10, []string{}},
		{"another workspace", "slack:T2", "", 10, []string{"dead:9"}},
		{"a workspace with none", "slack:T3", "", 10, []string{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := deadKeys(t, q, c.workspace, c.channel, c.limit); !slices.Equal(got, c.want) {
				t.Errorf("DeadLetters(%s, %q, %d) = %v, want %v", c.workspace, c.channel, c.limit, got, c.want)
			}
		})
	}
	got, err := q.DeadLetters(t.Context(), "slack:T1", "C2", 1)
	if err != nil || len(got) != 1 {
		t.Fatalf("DeadLetters(C2): %v, %v", got, err)
	}
	want := queued(delivery("slack:T1", "C2", "dead:2"))
	want.State, want.Attempts, want.ClaimedAt, want.Consumer = jobs.Dead, 1, at.Add(time.Minute-time.Second), "a"
	want.LastError, want.Done = "Reason 2", at.Add(time.Minute)
	sameDelivery(t, "the dead letter", got[0], want)
	if st := stats(t, q); st.Dead != 4 {
		t.Errorf("DeliveryStats counts %d dead, want 4", st.Dead)
	}
}

func testDeliveryWorkspacesApart(t *testing.T, q DeliveryStore) {
	ctx := t.Context()
	mine := delivery("slack:T1", "C1", "apart:1")
	enqueue(t, q, mine)
	wantClaim(t, q, mine, "a", at, jobs.ClaimNew)
	before := record(t, q, mine)

	theirs := mine
	theirs.Workspace = "slack:T2"
	noDelivery(t, q, theirs.Workspace, theirs.Channel, theirs.Key)
	wantClaim(t, q, theirs, "b", at.Add(2*lease), jobs.ClaimDone)
	if err := q.Sent(ctx, theirs, "a", "M1", at); err == nil {
		t.Error("Sent of a delivery the workspace does not have succeeded")
	}
	if err := q.Retry(ctx, theirs, "a", at, "Later."); err == nil {
		t.Error("Retry of a delivery the workspace does not have succeeded")
	}
	if err := q.Dead(ctx, theirs, "a", "Gone.", at); err == nil {
		t.Error("Dead of a delivery the workspace does not have succeeded")
	}
	sameDelivery(t, "the record after the other workspace's calls", record(t, q, mine), before)
	if got := deadKeys(t, q, "slack:T2", "", 10); len(got) != 0 {
		t.Errorf("the other workspace has dead letters %v", got)
	}

	// The other workspace's own delivery with the same channel and key is another one.
	if n := enqueue(t, q, theirs); n != 1 {
		t.Fatalf("Enqueue of the other workspace's delivery counted %d", n)
	}
	wantClaim(t, q, theirs, "b", at, jobs.ClaimNew)
	if err := q.Dead(ctx, theirs, "b", "Gone.", at); err != nil {
		t.Fatal(err)
	}
	sameDelivery(t, "the record after the other workspace's dead letter", record(t, q, mine), before)
	if got := deadKeys(t, q, "slack:T1", "", 10); len(got) != 0 {
		t.Errorf("the first workspace has dead letters %v", got)
	}
	if got := deadKeys(t, q, "slack:T2", "", 10); !slices.Equal(got, []string{theirs.Key}) {
		t.Errorf("the other workspace's dead letters: %v", got)
	}
}

func testDeliveryStats(t *testing.T, q DeliveryStore) {
	ctx := t.Context()
	wantStats(t, q, "of an empty store", jobs.DeliveryStats{})
	var ds []jobs.Delivery
	for _, k := range []string{"stats:1", "stats:2", "stats:3", "stats:4"} {
		ds = append(ds, delivery("slack:T1", "C1", k))
	}
	enqueue(t, q, ds...)
	wantStats(t, q, "after four enqueued", jobs.DeliveryStats{Queued: 4})
	copies := next(t, q, "a", 3, never)
	if len(copies) != 3 {
		t.Fatalf("Next(3) handed out %v", keys(copies))
	}
	wantStats(t, q, "after three handed out", jobs.DeliveryStats{Queued: 1, Pending: 3})

	now := time.Now()
	wantClaim(t, q, copies[0], "a", now, jobs.ClaimNew)
	sent(t, q, copies[0], "a", "M1", now)
	wantStats(t, q, "after one sent", jobs.DeliveryStats{Queued: 1, Pending: 2, Sent: 1})

	wantClaim(t, q, copies[1], "a", now.Add(-time.Hour), jobs.ClaimNew) // its lease ran out long ago
	wantStats(t, q, "with one in doubt", jobs.DeliveryStats{Queued: 1, Pending: 2, InDoubt: 1, Sent: 1})

	wantClaim(t, q, copies[2], "a", now, jobs.ClaimNew)
	if err := q.Retry(ctx, copies[2], "a", now.Add(time.Hour), "Later."); err != nil {
		t.Fatal(err)
	}
	wantStats(t, q, "after one retried", jobs.DeliveryStats{Queued: 2, Pending: 1, InDoubt: 1, Sent: 1})

	last := ds[3]
	wantClaim(t, q, last, "a", now, jobs.ClaimNew)
	if err := q.Dead(ctx, last, "a", "Gone.", now); err != nil {
		t.Fatal(err)
	}
	wantStats(t, q, "after one dead", jobs.DeliveryStats{Queued: 2, Pending: 1, InDoubt: 1, Dead: 1, Sent: 1})

	if err := q.Ack(ctx, copies[1]); err != nil {
		t.Fatal(err)
	}
	wantStats(t, q, "after the in-doubt copy's ack", jobs.DeliveryStats{Queued: 2, InDoubt: 1, Dead: 1, Sent: 1})
	wantClaim(t, q, copies[1], "b", now, jobs.ClaimInDoubt)
	sent(t, q, copies[1], "b", "M2", now)
	wantStats(t, q, "after the in-doubt one was sent", jobs.DeliveryStats{Queued: 2, Dead: 1, Sent: 2})
}

func testFanoutCursor(t *testing.T, q DeliveryStore) {
	ctx := t.Context()
	cursor := func() int64 {
		t.Helper()
		n, err := q.FanoutCursor(ctx)
		if err != nil {
			t.Fatalf("FanoutCursor: %v", err)
		}
		return n
	}
	if n := cursor(); n != 0 {
		t.Errorf("the cursor of an empty store is %d", n)
	}
	for _, n := range []int64{42, 1000, 7} {
		if err := q.SetFanoutCursor(ctx, n); err != nil {
			t.Fatal(err)
		}
		if got := cursor(); got != n {
			t.Errorf("the cursor after SetFanoutCursor(%d) is %d", n, got)
		}
	}
}

func testIncompleteRefused(t *testing.T, q DeliveryStore) {
	good := delivery("slack:T1", "C1", "good:1")
	for _, bad := range []jobs.Delivery{
		{Channel: "C1", Key: "k"}, {Workspace: "slack:T1", Key: "k"}, {Workspace: "slack:T1", Channel: "C1"}, {},
	} {
		if n, err := q.Enqueue(t.Context(), []jobs.Delivery{good, bad}); err == nil || n != 0 {
			t.Errorf("Enqueue with %+v = %d, %v; want CheckDelivery's error", bad, n, err)
		}
	}
	noDelivery(t, q, good.Workspace, good.Channel, good.Key)
	if got := next(t, q, "a", 10, never); len(got) != 0 {
		t.Errorf("the refused batches queued %v", keys(got))
	}
	wantStats(t, q, "after the refused batches", jobs.DeliveryStats{})
	if n, err := q.Enqueue(t.Context(), nil); err != nil || n != 0 {
		t.Errorf("Enqueue(nil) = %d, %v", n, err)
	}
}

func testDeliveriesCancelled(t *testing.T, q DeliveryStore) {
	d := delivery("slack:T1", "C1", "cancel:1")
	enqueue(t, q, d)
	cctx, cancel := context.WithCancel(t.Context())
	cancel()
	calls := []struct {
		name string
		call func() error
	}{
		{"Enqueue", func() error {
			_, err := q.Enqueue(cctx, []jobs.Delivery{delivery("slack:T1", "C1", "cancel:2")})
			return err
		}},
		{"Next", func() error { _, err := q.Next(cctx, "a", 10, block, never); return err }},
		{"Claim", func() error { _, _, err := q.Claim(cctx, d, "a", lease, at); return err }},
		{"Sent", func() error { return q.Sent(cctx, d, "a", "M1", at) }},
		{"Retry", func() error { return q.Retry(cctx, d, "a", at, "Later.") }},
		{"Dead", func() error { return q.Dead(cctx, d, "a", "Gone.", at) }},
		{"Ack", func() error { return q.Ack(cctx, jobs.Delivery{Receipt: "1-1"}) }},
		{"Delivery", func() error { _, err := q.Delivery(cctx, d.Workspace, d.Channel, d.Key); return err }},
		{"DeadLetters", func() error { _, err := q.DeadLetters(cctx, d.Workspace, "", 10); return err }},
		{"DeliveryStats", func() error { _, err := q.DeliveryStats(cctx); return err }},
		{"FanoutCursor", func() error { _, err := q.FanoutCursor(cctx); return err }},
		{"SetFanoutCursor", func() error { return q.SetFanoutCursor(cctx, 9) }},
	}
	for _, c := range calls {
		if err := c.call(); err == nil {
			t.Errorf("%s with a cancelled context succeeded", c.name)
		}
	}
	sameDelivery(t, "after the cancelled calls", record(t, q, d), queued(d))
	noDelivery(t, q, "slack:T1", "C1", "cancel:2")
}
