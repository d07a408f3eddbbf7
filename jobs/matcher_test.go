package jobs

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// The matcher must find exactly the subscriptions that trying every one of them finds.

func naiveMatch(subs []parsedSub, d *Doc, now time.Time) []string {
	var out []string
	for _, s := range subs {
		if s.q.MatchDoc(d, now) {
			out = append(out, subKey(s.sub))
		}
	}
	slices.Sort(out)
	return out
}

type parsedSub struct {
	sub Subscription
	q   *Query
}

// parseSubs are the active subscriptions whose queries parse, parsed.
func parseSubs(subs []Subscription) []parsedSub {
	var out []parsedSub
	for _, s := range subs {
		if q, err := ParseQuery(s.Query); err == nil && s.Active() {
			out = append(out, parsedSub{s, q})
		}
	}
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
	for i := range 1500 { // the whole language, nested
		subs = append(subs, Subscription{Workspace: "slack:T9", ID: int64(i + 1), Channel: "C2", Query: randTreeQuery(r, 3)})
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
		for i := range 800 {
			o := randMatchOpening(r, i)
			docs = append(docs, Index(&o))
			c.Put(testNow, o)
		}
		if withFreq {
			m.Freq = c.Frequency
		}
		for _, s := range subs {
			if _, perr := ParseQuery(s.Query); m.Add(s) != nil && perr == nil {
				t.Fatalf("%q: Add fails, ParseQuery does not", s.Query)
			}
		}
		if want := len(subs) - 1 - unparsed(subs); m.Len() != want {
			t.Errorf("%d filed, want %d (the disabled one left out)", m.Len(), want)
		}
		parsed := parseSubs(subs)
		for _, d := range docs {
			if got, want := keys(m.Match(d, testNow)), naiveMatch(parsed, d, testNow); !slices.Equal(got, want) {
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

func unparsed(subs []Subscription) int {
	n := 0
	for _, s := range subs {
		if _, err := ParseQuery(s.Query); err != nil && s.Active() {
			n++
		}
	}
	return n
}

// randMatchOpening is randOpening with the fields qualifiers read spread over their values
// and words from randTreeQuery's vocabulary in its text.
func randMatchOpening(r *rand.Rand, i int) Opening {
	o := randOpening(r, i, testNow)
	o.EmploymentType = []EmploymentType{TypeUnknown, TypeFullTime, TypePartTime, TypeContract, TypeInternship}[r.IntN(5)]
	o.Seniority = []Seniority{SeniorityUnknown, SeniorityIntern, SeniorityJunior, SeniorityMid, SenioritySenior,
		SeniorityStaff, SeniorityPrincipal, SeniorityLead}[r.IntN(8)]
	var extra []string
	for range r.IntN(6) {
		extra = append(extra, treeWords[r.IntN(len(treeWords))])
	}
	o.Description += " " + strings.Join(extra, " ")
	if r.IntN(3) == 0 {
		o.Title += " " + treeWords[r.IntN(len(treeWords))]
	}
	return o
}

// treeWords are words and phrases of queries and openings: skills under their ids, names and
// aliases, words that are not skills, words with punctuation inside or around them, runs
// longer than the longest indexed word, letters beyond ASCII, operators' look-alikes.
var treeWords = []string{"kafka", "go", "golang", "Go", "rust", "k8s", "kubernetes", "python", "c++", "c#",
	".net", "node.js", "ci/cd", "on-call", "site", "reliability", "engineer", "berlin", "zürich", "münchen",
	"remote", "acme", "globex", "jane", "street", "x", "é", "sre", "raft", "etcd", "pulsar", "nats", "php",
	"terraform", "aws", "postgresql", "postgres", "live", "market", "to", "distributed", "systems", "m/w/d",
	strings.Repeat("y", 49), strings.Repeat("z", 48), "senior", "staff", "eur", "usd", "or", "and", "not"}

// randTreeQuery is a random query over the whole language: words, phrases, every qualifier,
// exclusions, OR and parentheses, nested up to depth. Some do not parse; callers skip those.
func randTreeQuery(r *rand.Rand, depth int) string {
	word := func() string { return treeWords[r.IntN(len(treeWords))] }
	leaf := func() string {
		switch r.IntN(20) {
		case 0, 1:
			return `"` + word() + `"`
		case 2, 3:
			return `"` + word() + " " + word() + `"`
		case 4:
			return "company:" + []string{"acme", `"jane street"`, "globex", "initech", "acme,"}[r.IntN(5)]
		case 5:
			return "location:" + []string{"berlin", "remote", "zürich", `"new york"`, "eu", "germany"}[r.IntN(6)]
		case 6:
			return "remote:" + []string{"yes", "no", "hybrid", "onsite"}[r.IntN(4)]
		case 7:
			return "level:" + []string{"intern", "junior", "mid", "senior", "staff", "principal", "lead", "sr"}[r.IntN(8)]
		case 8:
			return "type:" + []string{"full-time", "part-time", "contract", "internship"}[r.IntN(4)]
		case 9:
			return "salary:" + []string{">=100k", "<50k usd", ">120k eur", "<=90000", "=75k", ">=$80k"}[r.IntN(6)]
		case 10:
			return "posted:" + []string{"<7d", ">30d", "<=48h", ">=2w", "14d"}[r.IntN(5)]
		case 11:
			return "visa:" + []string{"yes", "no"}[r.IntN(2)]
		case 12:
			return "skill:" + []string{"kubernetes", "go", "kafka", "rust", "python", "k8s"}[r.IntN(6)]
		case 13:
			return "topic:" + []string{"consensus", "raft", "containers", "streaming"}[r.IntN(4)]
		case 14:
			return "source:" + []string{"a", "b", "c", "lever"}[r.IntN(4)]
		}
		return word()
	}
	var expr func(depth int) string
	expr = func(depth int) string {
		if depth == 0 || r.IntN(3) == 0 {
			t := leaf()
			if r.IntN(6) == 0 {
				t = "-" + t
			}
			return t
		}
		n := 1 + r.IntN(3)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = expr(depth - 1)
		}
		sep := " "
		switch r.IntN(3) {
		case 0:
			sep = " OR "
		case 1:
			if r.IntN(3) == 0 {
				sep = " AND "
			}
		}
		e := strings.Join(parts, sep)
		switch r.IntN(4) {
		case 0:
			return "(" + e + ")"
		case 1:
			return "-(" + e + ")"
		}
		return e
	}
	return expr(depth)
}

// The matcher keeps agreeing through replacements and removals, which move entries around.
func TestMatcherAgreesAfterChurn(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(21, 22))
	m := NewMatcher()
	live := map[int64]Subscription{}
	for round := range 6 {
		for range 400 {
			id := int64(r.IntN(300))
			if r.IntN(4) == 0 {
				m.Remove("w", id)
				delete(live, id)
				continue
			}
			s := Subscription{Workspace: "w", ID: id, Query: randTreeQuery(r, 2)}
			if m.Add(s) != nil {
				delete(live, id)
				continue
			}
			live[id] = s
		}
		if m.Len() != len(live) {
			t.Fatalf("round %d: %d filed, want %d", round, m.Len(), len(live))
		}
		var subs []Subscription
		for _, s := range live {
			subs = append(subs, s)
		}
		parsed := parseSubs(subs)
		for i := range 150 {
			o := randMatchOpening(r, i)
			d := Index(&o)
			if got, want := keys(m.Match(d, testNow)), naiveMatch(parsed, d, testNow); !slices.Equal(got, want) {
				t.Fatalf("round %d, opening %s: matcher %v, every subscription %v", round, o.ID, got, want)
			}
		}
	}
}

// Match runs from several goroutines at once, on the same openings, while subscriptions
// are added (go test -race checks it).
func TestMatcherConcurrentMatch(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(31, 32))
	m := NewMatcher()
	var subs []Subscription
	for i := range 300 {
		s := Subscription{Workspace: "w", ID: int64(i), Query: randTreeQuery(r, 2)}
		if m.Add(s) == nil {
			subs = append(subs, s)
		}
	}
	var docs []*Doc
	for i := range 100 {
		o := randMatchOpening(r, i)
		docs = append(docs, Index(&o))
	}
	want := make([][]string, len(docs))
	for i, d := range docs {
		want[i] = naiveMatch(parseSubs(subs), d, testNow)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i, d := range docs {
				if got := keys(m.Match(d, testNow)); !slices.Equal(got, want[i]) {
					t.Errorf("opening %s: matcher %v, every subscription %v", d.Opening.ID, got, want[i])
				}
			}
		})
	}
	wg.Go(func() {
		for i := range 200 { // queries that match nothing, so that want stays right
			m.Add(Subscription{Workspace: "other", ID: int64(i), Query: "zzzunmatched" + fmt.Sprint(i)})
		}
	})
	wg.Wait()
}

// FuzzMatcher holds a matcher of one subscription to MatchDoc on fixed openings.
func FuzzMatcher(f *testing.F) {
	for _, s := range []string{"kafka go remote:yes", `"site reliability" -php`, "(a OR b) -(c d)", "salary:>=120k eur",
		"posted:<48h", `company:"jane street"`, "skill:k8s topic:raft", "location:remote OR level:staff",
		"-(kafka OR pulsar) golang", `(go kafka) OR ("go live" -rust)`, "c++ OR node.js", "-x"} {
		f.Add(s)
	}
	r := rand.New(rand.NewPCG(41, 42))
	var docs []*Doc
	for _, o := range testOpenings {
		docs = append(docs, Index(o))
	}
	for i := range 60 {
		o := randMatchOpening(r, i)
		docs = append(docs, Index(&o))
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuery(s)
		if err != nil {
			return
		}
		m := NewMatcher()
		if err := m.Add(Subscription{Workspace: "w", ID: 1, Query: s}); err != nil {
			t.Fatalf("%q parses, Add fails: %v", s, err)
		}
		for _, d := range docs {
			if got, want := len(m.Match(d, testNow)) == 1, q.MatchDoc(d, testNow); got != want {
				t.Fatalf("%q on %s: matcher %v, MatchDoc %v", s, d.Opening.ID, got, want)
			}
		}
	})
}
