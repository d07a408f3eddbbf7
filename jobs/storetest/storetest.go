// Package storetest is the contract every jobs.Store and jobs.SubscriptionStore passes: the
// same cases run against the Redis and the embedded store, so the two cannot drift apart
// (storetest.go for openings and sources, subscriptions.go for subscriptions). It also holds
// the benchmarks both stores run (bench.go) and the realistic openings they store.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

// Run runs the contract. newStore returns an empty store for one subtest, which sees nothing of
// another subtest's store: change numbers and Changes are store-wide.
func Run(t *testing.T, newStore func(t *testing.T) jobs.Store) {
	runCases(t, newStore, []contractCase[jobs.Store]{
		{"RoundTrip", testRoundTrip},
		{"NotFound", testNotFound},
		{"ReplaceByID", testReplace},
		{"SourceOpenings", testSourceOpenings},
		{"ChangesOrder", testChangesOrder},
		{"ChangesAfter", testChangesAfter},
		{"RewrittenTwiceVisitedOnce", testRewrittenTwice},
		{"Delete", testDelete},
		{"FnErrorStopsChanges", testFnError},
		{"CancelledContext", testCancelled},
		{"LargeBatches", testLargeBatches},
		{"ConcurrentWriters", testConcurrentWriters},
		{"Sources", testSources},
		{"EmptyInputs", testEmptyInputs},
		{"EmptyIDRejected", testEmptyID},
	})
}

// contractCase is one case of a contract, run on a store of type S.
type contractCase[S any] struct {
	name string
	fn   func(t *testing.T, s S)
}

// runCases runs each case as a parallel subtest on a store of its own.
func runCases[S any](t *testing.T, newStore func(t *testing.T) S, cases []contractCase[S]) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.fn(t, newStore(t))
		})
	}
}

// at is a fixed base time with nanoseconds, which stores keep.
var at = time.Date(2026, 11, 1, 9, 0, 0, 123456789, time.UTC)

// opening returns an opening with every field set; n varies its content.
func opening(id, source string, n int) jobs.Opening {
	return jobs.Opening{
		ID: id, Title: fmt.Sprintf("Backend Engineer %d", n), Company: "Acme " + source,
		Locations: []string{"Berlin", fmt.Sprintf("Office %d", n)}, Remote: jobs.RemoteHybrid,
		Seniority: jobs.SenioritySenior, EmploymentType: jobs.TypeFullTime,
		Salary: &jobs.Salary{Min: int64(80000 + n), Max: int64(100000 + n), Currency: "EUR", Period: jobs.PerYear},
		Visa:   jobs.VisaNo, URL: "https://jobs.example.com/" + id, Posted: at.Add(-48 * time.Hour),
		Closes: at.Add(30 * 24 * time.Hour), Description: fmt.Sprintf("Version %d of %s.", n, id), Source: source,
		FirstSeen: at, LastSeen: at.Add(time.Duration(n) * time.Minute),
	}
}

func put(t *testing.T, s jobs.Store, openings ...jobs.Opening) {
	t.Helper()
	if err := s.PutOpenings(t.Context(), openings); err != nil {
		t.Fatalf("PutOpenings: %v", err)
	}
}

// changes returns what Changes(after) visits and the number it returns.
func changes(t *testing.T, s jobs.Store, after int64) ([]jobs.Opening, int64) {
	t.Helper()
	var seen []jobs.Opening
	last, err := s.Changes(t.Context(), after, func(o jobs.Opening) error {
		seen = append(seen, o)
		return nil
	})
	if err != nil {
		t.Fatalf("Changes(%d): %v", after, err)
	}
	return seen, last
}

func ids(openings []jobs.Opening) []string {
	out := make([]string, len(openings))
	for i, o := range openings {
		out[i] = o.ID
	}
	return out
}

func show(o jobs.Opening) string {
	s := fmt.Sprintf("%+v", o)
	if o.Salary != nil {
		s += fmt.Sprintf(" salary %+v", *o.Salary)
	}
	return s
}

func same(t *testing.T, what string, got, want jobs.Opening) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %s\nwant %s", what, show(got), show(want))
	}
}

func sameIDs(t *testing.T, what string, got []jobs.Opening, want ...string) {
	t.Helper()
	if g := ids(got); !slices.Equal(g, want) {
		t.Errorf("%s: ids %v, want %v", what, g, want)
	}
}

func get(t *testing.T, s jobs.Store, id string) jobs.Opening {
	t.Helper()
	o, err := s.Opening(t.Context(), id)
	if err != nil {
		t.Fatalf("Opening(%s): %v", id, err)
	}
	return o
}

func gone(t *testing.T, s jobs.Store, id string) {
	t.Helper()
	if _, err := s.Opening(t.Context(), id); !errors.Is(err, jobs.ErrNotFound) {
		t.Errorf("Opening(%s): %v, want ErrNotFound", id, err)
	}
}

func sourceOpenings(t *testing.T, s jobs.Store, source string) []jobs.Opening {
	t.Helper()
	got, err := s.SourceOpenings(t.Context(), source)
	if err != nil {
		t.Fatalf("SourceOpenings(%s): %v", source, err)
	}
	slices.SortFunc(got, func(a, b jobs.Opening) int { return strings.Compare(a.ID, b.ID) })
	return got
}

func testRoundTrip(t *testing.T, s jobs.Store) {
	full := opening("greenhouse:1", "greenhouse", 1)
	full.Closed, full.MissingSince, full.Misses = at.Add(time.Hour), at.Add(30*time.Minute), 3
	bare := jobs.Opening{ID: "bare:1"}

	// Times in another zone come back as the same instants in UTC.
	zone := time.FixedZone("UTC+5", 5*3600)
	zoned := opening("zoned:1", "zoned", 2)
	zoned.Posted, zoned.FirstSeen, zoned.MissingSince = zoned.Posted.In(zone), zoned.FirstSeen.In(zone), at.In(zone)
	wantZoned := opening("zoned:1", "zoned", 2)
	wantZoned.MissingSince = at

	put(t, s, full, bare, zoned)
	same(t, "every field", get(t, s, full.ID), full)
	same(t, "no optional field", get(t, s, bare.ID), bare)
	same(t, "times in UTC", get(t, s, zoned.ID), wantZoned)
	if got := get(t, s, zoned.ID); got.Posted.Location() != time.UTC {
		t.Errorf("Posted in %v, want UTC", got.Posted.Location())
	}
}

func testNotFound(t *testing.T, s jobs.Store) {
	gone(t, s, "greenhouse:1")
	if _, err := s.Source(t.Context(), "greenhouse"); !errors.Is(err, jobs.ErrNotFound) {
		t.Errorf("Source of an empty store: %v, want ErrNotFound", err)
	}
	put(t, s, opening("greenhouse:1", "greenhouse", 1))
	if err := s.PutSource(t.Context(), jobs.SourceStatus{Name: "greenhouse"}); err != nil {
		t.Fatal(err)
	}
	gone(t, s, "greenhouse:2")
	gone(t, s, "greenhouse")
	if _, err := s.Source(t.Context(), "lever"); !errors.Is(err, jobs.ErrNotFound) {
		t.Errorf("Source(lever): %v, want ErrNotFound", err)
	}
}

func testReplace(t *testing.T, s jobs.Store) {
	first := opening("lever:7", "lever", 1)
	put(t, s, first)
	second := opening("lever:7", "lever", 2)
	second.Salary, second.Locations, second.Title = nil, []string{"Lisbon"}, "Renamed"
	second.Closed, second.Misses = at.Add(time.Hour), 2
	put(t, s, second)
	same(t, "replaced whole", get(t, s, "lever:7"), second)
	sameIDs(t, "one record", sourceOpenings(t, s, "lever"), "lever:7")
}

func testSourceOpenings(t *testing.T, s jobs.Store) {
	a1, a2, b1 := opening("a:1", "a", 1), opening("a:2", "a", 2), opening("b:1", "b", 3)
	a2.Closed = at.Add(time.Hour)
	put(t, s, a1, a2, b1)
	got := sourceOpenings(t, s, "a")
	sameIDs(t, "open and closed of a", got, "a:1", "a:2")
	if len(got) == 2 {
		same(t, "a:2 as stored", got[1], a2)
	}
	sameIDs(t, "b", sourceOpenings(t, s, "b"), "b:1")
	sameIDs(t, "unknown source", sourceOpenings(t, s, "c"))

	// An opening whose source changes leaves the old source's list.
	a2.Source = "c"
	put(t, s, a2)
	sameIDs(t, "a after a:2 moved", sourceOpenings(t, s, "a"), "a:1")
	sameIDs(t, "c after a:2 moved", sourceOpenings(t, s, "c"), "a:2")
}

func testChangesOrder(t *testing.T, s jobs.Store) {
	put(t, s, opening("x:a", "x", 1))
	put(t, s, opening("x:b", "x", 1), opening("x:c", "x", 1))
	a2 := opening("x:a", "x", 2)
	put(t, s, a2)
	seen, last := changes(t, s, 0)
	sameIDs(t, "Changes(0)", seen, "x:b", "x:c", "x:a")
	if len(seen) == 3 {
		same(t, "rewritten opening", seen[2], a2)
	}
	if last <= 0 {
		t.Errorf("Changes(0) returned %d, want a positive change number", last)
	}
	again, next := changes(t, s, last)
	sameIDs(t, "Changes(last)", again)
	if next != last {
		t.Errorf("Changes(%d) with nothing new returned %d, want %[1]d", last, next)
	}
}

func testChangesAfter(t *testing.T, s jobs.Store) {
	put(t, s, opening("y:1", "y", 1), opening("y:2", "y", 1), opening("y:3", "y", 1))
	_, first := changes(t, s, 0)
	rewritten := opening("y:2", "y", 2)
	put(t, s, rewritten)
	seen, second := changes(t, s, first)
	sameIDs(t, "after the rewrite", seen, "y:2")
	if len(seen) == 1 {
		same(t, "rewritten content", seen[0], rewritten)
	}
	if second <= first {
		t.Errorf("Changes after a write returned %d, want more than %d", second, first)
	}
	seen, _ = changes(t, s, second)
	sameIDs(t, "nothing new", seen)
}

func testRewrittenTwice(t *testing.T, s jobs.Store) {
	put(t, s, opening("z:x", "z", 1))
	x2 := opening("z:x", "z", 2)
	put(t, s, x2)
	// The same ID twice in one batch: the later one wins.
	y, w2 := opening("z:y", "z", 1), opening("z:w", "z", 2)
	put(t, s, opening("z:w", "z", 1), y, w2)
	seen, _ := changes(t, s, 0)
	sameIDs(t, "each once, in change order", seen, "z:x", "z:y", "z:w")
	if len(seen) == 3 {
		same(t, "x, rewritten", seen[0], x2)
		same(t, "w, twice in one batch", seen[2], w2)
	}
	same(t, "Opening(w)", get(t, s, "z:w"), w2)
}

func testDelete(t *testing.T, s jobs.Store) {
	put(t, s, opening("d:a", "d", 1), opening("d:b", "d", 1), opening("d:c", "d", 1))
	if err := s.DeleteOpenings(t.Context(), []string{"d:a", "d:missing", "d:c"}); err != nil {
		t.Fatalf("DeleteOpenings: %v", err)
	}
	gone(t, s, "d:a")
	gone(t, s, "d:c")
	seen, _ := changes(t, s, 0)
	sameIDs(t, "Changes after delete", seen, "d:b")
	sameIDs(t, "SourceOpenings after delete", sourceOpenings(t, s, "d"), "d:b")
	if err := s.DeleteOpenings(t.Context(), []string{"d:a"}); err != nil {
		t.Errorf("deleting again: %v", err)
	}

	// A deleted ID can be written again, as new.
	put(t, s, opening("d:a", "d", 2))
	seen, _ = changes(t, s, 0)
	sameIDs(t, "Changes after re-put", seen, "d:b", "d:a")
	sameIDs(t, "SourceOpenings after re-put", sourceOpenings(t, s, "d"), "d:a", "d:b")
}

var errStop = errors.New("stop here")

func testFnError(t *testing.T, s jobs.Store) {
	var batch []jobs.Opening
	for i := range 5 {
		batch = append(batch, opening(fmt.Sprintf("e:%d", i), "e", i))
	}
	put(t, s, batch...)
	calls := 0
	last, err := s.Changes(t.Context(), 0, func(jobs.Opening) error {
		calls++
		if calls == 3 {
			return errStop
		}
		return nil
	})
	if !errors.Is(err, errStop) {
		t.Errorf("Changes: %v, want fn's error", err)
	}
	if calls != 3 {
		t.Errorf("fn called %d times after it failed on the third, want 3", calls)
	}
	// The number returned is that of the last opening fn accepted: resuming there revisits
	// the one it refused.
	rest, _ := changes(t, s, last)
	sameIDs(t, "resumed", rest, "e:2", "e:3", "e:4")
}

func testCancelled(t *testing.T, s jobs.Store) {
	stored := opening("c:1", "c", 1)
	put(t, s, stored)
	cctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := s.PutOpenings(cctx, []jobs.Opening{opening("c:2", "c", 1)}); err == nil {
		t.Error("PutOpenings with a cancelled context succeeded")
	}
	gone(t, s, "c:2")
	visited := 0
	if _, err := s.Changes(cctx, 0, func(jobs.Opening) error { visited++; return nil }); err == nil || visited != 0 {
		t.Errorf("Changes with a cancelled context: %v after %d visits, want an error and none", err, visited)
	}
	calls := []struct {
		name string
		call func() error
	}{
		{"Opening", func() error { _, err := s.Opening(cctx, stored.ID); return err }},
		{"SourceOpenings", func() error { _, err := s.SourceOpenings(cctx, "c"); return err }},
		{"DeleteOpenings", func() error { return s.DeleteOpenings(cctx, []string{stored.ID}) }},
		{"PutSource", func() error { return s.PutSource(cctx, jobs.SourceStatus{Name: "c"}) }},
		{"Source", func() error { _, err := s.Source(cctx, "c"); return err }},
		{"Sources", func() error { _, err := s.Sources(cctx); return err }},
	}
	for _, c := range calls {
		if err := c.call(); err == nil {
			t.Errorf("%s with a cancelled context succeeded", c.name)
		}
	}
	same(t, "after a cancelled delete", get(t, s, stored.ID), stored)

	// A context cancelled while Changes runs stops it.
	put(t, s, opening("c:3", "c", 1), opening("c:4", "c", 1))
	mid, stop := context.WithCancel(t.Context())
	defer stop()
	visited = 0
	_, err := s.Changes(mid, 0, func(jobs.Opening) error { visited++; stop(); return nil })
	if !errors.Is(err, context.Canceled) || visited != 1 {
		t.Errorf("Changes cancelled by its first visit: %v after %d visits, want context.Canceled after 1", err, visited)
	}
}

func testLargeBatches(t *testing.T, s jobs.Store) {
	first := Openings("big", 1000)
	put(t, s, first...)
	second := Openings("other", 500)
	put(t, s, second...)
	seen, last := changes(t, s, 0)
	want := ids(append(first, second...))
	sameIDs(t, "Changes over two batches", seen, want...)
	if len(seen) == len(want) {
		same(t, "a realistic opening", seen[999], first[999])
	}
	if n := len(sourceOpenings(t, s, "big")); n != 1000 {
		t.Errorf("SourceOpenings(big): %d openings, want 1000", n)
	}
	rest, _ := changes(t, s, last)
	sameIDs(t, "nothing new", rest)
}

// testConcurrentWriters writes from 8 goroutines while a reader follows Changes as a replica
// would: every opening is stored, and the reader sees each exactly once, each writer's in the
// order it wrote them.
func testConcurrentWriters(t *testing.T, s jobs.Store) {
	const writers, batches, size = 8, 20, 5
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for b := range batches {
				batch := make([]jobs.Opening, size)
				for i := range batch {
					n := b*size + i
					batch[i] = opening(fmt.Sprintf("w%d:%03d", w, n), fmt.Sprintf("w%d", w), n)
				}
				if err := s.PutOpenings(t.Context(), batch); err != nil {
					t.Errorf("writer %d: %v", w, err)
					return
				}
			}
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	var (
		seen  []jobs.Opening
		after int64
	)
	follow := func() bool {
		last, err := s.Changes(t.Context(), after, func(o jobs.Opening) error {
			seen = append(seen, o)
			return nil
		})
		if err != nil || last < after {
			t.Errorf("Changes(%d) = %d, %v", after, last, err)
			return false
		}
		after = last
		return true
	}
	// Follow until a call that began after the last write has returned.
	for following := true; following; {
		select {
		case <-done:
			following = false
		default:
		}
		if !follow() {
			<-done // the writers still report to t
			return
		}
	}

	if len(seen) != writers*batches*size {
		t.Errorf("the reader saw %d writes, want %d", len(seen), writers*batches*size)
	}
	next := make(map[string]int) // per writer, the number of its next opening
	for _, o := range seen {
		writer, n, _ := strings.Cut(o.ID, ":")
		if want := fmt.Sprintf("%03d", next[writer]); n != want {
			t.Fatalf("the reader saw %s after %d of %s's openings, want %s:%s next", o.ID, next[writer], writer, writer, want)
		}
		next[writer]++
	}
	all, _ := changes(t, s, 0)
	if len(all) != writers*batches*size {
		t.Errorf("Changes(0) visits %d openings, want %d", len(all), writers*batches*size)
	}
}

func testSources(t *testing.T, s jobs.Store) {
	status := func(name string, n int) jobs.SourceStatus {
		return jobs.SourceStatus{
			Name: name, Type: "greenhouse", Every: time.Duration(n)*time.Minute + 1500*time.Millisecond,
			LastAttempt: at.Add(time.Duration(n) * time.Second), LastSuccess: at, LastError: "The board answered 503.",
			LastErrorAt: at.Add(time.Minute), Failures: n, Successes: 10 * n, Listed: 100 + n, Open: 90 + n,
			NextPoll: at.Add(time.Hour), ETag: fmt.Sprintf(`W/"%d"`, n), LastModified: "Sun, 01 Nov 2026 09:00:00 GMT",
		}
	}
	for i, name := range []string{"lever", "ashby", "greenhouse"} {
		if err := s.PutSource(t.Context(), status(name, i+1)); err != nil {
			t.Fatalf("PutSource(%s): %v", name, err)
		}
	}
	replaced := jobs.SourceStatus{Name: "ashby", Type: "ashby", Every: 5 * time.Minute, Successes: 1}
	if err := s.PutSource(t.Context(), replaced); err != nil {
		t.Fatal(err)
	}
	if err := s.PutSource(t.Context(), jobs.SourceStatus{Type: "lever"}); err == nil {
		t.Error("PutSource with no name succeeded")
	}
	got, err := s.Sources(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := []jobs.SourceStatus{replaced, status("greenhouse", 3), status("lever", 1)}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Sources:\n got %+v\nwant %+v", got, want)
	}
	one, err := s.Source(t.Context(), "greenhouse")
	if err != nil || !reflect.DeepEqual(one, status("greenhouse", 3)) {
		t.Errorf("Source(greenhouse) = %+v, %v", one, err)
	}
}

func testEmptyInputs(t *testing.T, s jobs.Store) {
	for _, batch := range [][]jobs.Opening{nil, {}} {
		if err := s.PutOpenings(t.Context(), batch); err != nil {
			t.Errorf("PutOpenings(%#v): %v", batch, err)
		}
	}
	for _, del := range [][]string{nil, {}} {
		if err := s.DeleteOpenings(t.Context(), del); err != nil {
			t.Errorf("DeleteOpenings(%#v): %v", del, err)
		}
	}
	for _, after := range []int64{0, 42} {
		seen, last := changes(t, s, after)
		if len(seen) != 0 || last != after {
			t.Errorf("Changes(%d) of an empty store: %d visits, returned %d, want none and %[1]d", after, len(seen), last)
		}
	}
	if got := sourceOpenings(t, s, "none"); len(got) != 0 {
		t.Errorf("SourceOpenings of an empty store: %v", ids(got))
	}
	if got, err := s.Sources(t.Context()); err != nil || len(got) != 0 {
		t.Errorf("Sources of an empty store: %v, %v", got, err)
	}
}

func testEmptyID(t *testing.T, s jobs.Store) {
	good := opening("v:1", "v", 1)
	if err := s.PutOpenings(t.Context(), []jobs.Opening{good, {Title: "no id", Source: "v"}}); err == nil {
		t.Fatal("PutOpenings of an opening with no ID succeeded")
	}
	gone(t, s, good.ID)
	seen, _ := changes(t, s, 0)
	sameIDs(t, "Changes after the refused batch", seen)
	sameIDs(t, "SourceOpenings after the refused batch", sourceOpenings(t, s, "v"))
}
