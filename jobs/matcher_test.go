package jobs

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// The matcher must find exactly the subscriptions that trying every one of them finds.

func naiveMatch(subs []Subscription, d *Doc, now time.Time) []string {
	var out []string
	for _, s := range subs {
		if q, err := ParseQuery(s.Query); err == nil && s.Active() && q.MatchDoc(d, now) {
			out = append(out, subKey(s))
		}
	}
	slices.Sort(out)
	return out
}

func subKey(s Subscription) string { return fmt.Sprintf("%s/%d", s.Workspace, s.ID) }

func keys(subs []*Subscription) []string {
	out := make([]string, len(subs))
	for i, s := range subs {
		out[i] = subKey(*s)
	}
	slices.Sort(out)
	return out
}

func TestMatcherAgreesWithTryingEverySubscription(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	var subs []Subscription
	for i := range 400 {
		subs = append(subs, Subscription{Workspace: fmt.Sprintf("slack:T%d", i%7), ID: int64(i + 1), Channel: "C1", Query: randQuery(r)})
	}
	subs = append(subs,
		Subscription{Workspace: "slack:T1", ID: 1000, Query: "location:remote"},
		Subscription{Workspace: "slack:T1", ID: 1001, Query: "-kafka"},
		Subscription{Workspace: "slack:T1", ID: 1002, Query: "salary:>=100k"},
		Subscription{Workspace: "slack:T1", ID: 1003, Query: "kafka", Disabled: testNow, DisabledReason: "gone"},
	)
	for _, withFreq := range []bool{false, true} {
		m := NewMatcher()
		var docs []*Doc
		c := NewCatalog()
		for i := range 500 {
			o := randOpening(r, i, testNow)
			docs = append(docs, Index(&o))
			c.Put(testNow, o)
		}
		if withFreq {
			m.Freq = c.Frequency
		}
		for _, s := range subs {
			if err := m.Add(s); err != nil {
				t.Fatal(err)
			}
		}
		if m.Len() != len(subs)-1 {
			t.Errorf("%d filed, want %d (the disabled one left out)", m.Len(), len(subs)-1)
		}
		for _, d := range docs {
			if got, want := keys(m.Match(d, testNow)), naiveMatch(subs, d, testNow); !slices.Equal(got, want) {
				t.Fatalf("freq %v, opening %s: matcher %v, every subscription %v", withFreq, d.Opening.ID, got, want)
			}
		}
	}
}

func TestMatcherAddRemoveAndBadQueries(t *testing.T) {
	t.Parallel()
	m := NewMatcher()
	d := Index(testOpenings["sre"])
	if err := m.Add(Subscription{Workspace: "w", ID: 1, Query: "kafka"}); err != nil {
		t.Fatal(err)
	}
	if got := keys(m.Match(d, testNow)); !slices.Equal(got, []string{"w/1"}) {
		t.Errorf("match %v", got)
	}
	if err := m.Add(Subscription{Workspace: "w", ID: 1, Query: "rust"}); err != nil { // replaced
		t.Fatal(err)
	}
	if got := m.Match(d, testNow); len(got) != 0 || m.Len() != 1 {
		t.Errorf("after replacing the query: %v, %d filed", got, m.Len())
	}
	if err := m.Add(Subscription{Workspace: "w", ID: 1, Query: "kafka OR"}); err == nil || !strings.Contains(err.Error(), "no longer reads") {
		t.Errorf("a query that does not parse: %v", err)
	}
	if m.Len() != 0 {
		t.Errorf("a subscription whose query no longer reads is still filed")
	}
	m.Add(Subscription{Workspace: "w", ID: 2, Query: "kafka"})
	m.Remove("w", 2)
	m.Remove("w", 99)
	if m.Len() != 0 || len(m.Match(d, testNow)) != 0 {
		t.Errorf("after remove: %d filed", m.Len())
	}
}

func TestQueryTerms(t *testing.T) {
	t.Parallel()
	for q, want := range map[string][]string{
		"kafka go remote:yes":          {"s:kafka", "s:go", "f:remote=remote"}, // kafka is a skill
		`"site reliability" -php`:      {"w:site"},
		"company:\"jane street\"":      {"w:jane"},
		"location:remote level:staff":  {"f:level=staff"},
		"kafka OR pulsar":              nil,
		"salary:>=100k posted:<7d":     nil,
		"topic:consensus source:lever": {"t:consensus", "f:source=lever"},
	} {
		parsed, err := ParseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		if got := queryTerms(parsed); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", q, queryTerms(parsed), want)
		}
	}
}

// queryTerms are the terms an opening must have to match q: one for each part of its
// top-level AND that implies one.
func queryTerms(q *Query) []string {
	kids := []node{q.root}
	if a, ok := q.root.(*andNode); ok {
		kids = a.kids
	}
	var out []string
	for _, k := range kids {
		if t := nodeTerm(k); t != "" {
			out = append(out, t)
		}
	}
	return out
}
