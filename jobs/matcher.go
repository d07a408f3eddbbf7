package jobs

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Matcher finds the subscriptions a new opening matches without trying every subscription:
// each subscription is filed under one term its query cannot match without (its rarest
// required word, skill, topic or field value), and an opening is tried only against the
// subscriptions filed under the terms it has. A query with no such term (an OR at the top, only
// exclusions, only salary: or posted:) is tried against every opening. Filing never changes an
// answer: every candidate is checked with Query.MatchDoc.
type Matcher struct {
	// Freq, when set, estimates how many openings have a term (Catalog.Frequency): the rarest
	// term of a query files it. Without it, words and skills come before field values.
	Freq func(term string) int

	mu     sync.RWMutex
	subs   map[subID]*filed
	byTerm map[string]map[subID]*filed
	always map[subID]*filed
}

type subID struct {
	workspace string
	id        int64
}

type filed struct {
	sub   Subscription
	q     *Query
	terms []string // an opening must have one of them to match; none: tried against every opening
	exact bool     // having one of terms is matching: no check needed
}

// NewMatcher returns an empty matcher.
func NewMatcher() *Matcher {
	return &Matcher{subs: map[subID]*filed{}, byTerm: map[string]map[subID]*filed{}, always: map[subID]*filed{}}
}

// Add files an active subscription, replacing one with the same workspace and id. A query that
// no longer parses is an error (the caller disables the subscription with it); a disabled
// subscription is removed instead.
func (m *Matcher) Add(s Subscription) error {
	k := subID{s.Workspace, s.ID}
	if !s.Active() {
		m.Remove(s.Workspace, s.ID)
		return nil
	}
	q, err := ParseQuery(s.Query)
	if err != nil {
		m.Remove(s.Workspace, s.ID)
		return fmt.Errorf("the query %q no longer reads: %w", s.Query, err)
	}
	f := &filed{sub: s, q: q, terms: m.rarest(q.root), exact: exactly(q.root)}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.remove(k)
	m.subs[k] = f
	if len(f.terms) == 0 {
		m.always[k] = f
		return nil
	}
	for _, t := range f.terms {
		bucket := m.byTerm[t]
		if bucket == nil {
			bucket = map[subID]*filed{}
			m.byTerm[t] = bucket
		}
		bucket[k] = f
	}
	return nil
}

// Remove takes a subscription out; an unknown one is ignored.
func (m *Matcher) Remove(workspace string, id int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.remove(subID{workspace, id})
}

func (m *Matcher) remove(k subID) {
	f, ok := m.subs[k]
	if !ok {
		return
	}
	delete(m.subs, k)
	delete(m.always, k)
	for _, t := range f.terms {
		delete(m.byTerm[t], k)
		if len(m.byTerm[t]) == 0 {
			delete(m.byTerm, t)
		}
	}
}

// Len is the number of subscriptions filed.
func (m *Matcher) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.subs)
}

// Match returns the subscriptions that d matches at now, in no particular order; they are the
// matcher's own, not to be changed. It prepares d's set of words for the checks, so one Doc is
// matched by one goroutine at a time.
func (m *Matcher) Match(d *Doc, now time.Time) []*Subscription {
	d.prepareWords()
	m.mu.RLock()
	defer m.mu.RUnlock()
	var out []*Subscription
	var tried map[*filed]bool // for subscriptions filed under several of d's terms
	try := func(f *filed) {
		if len(f.terms) > 1 {
			if tried == nil {
				tried = map[*filed]bool{}
			}
			if tried[f] {
				return
			}
			tried[f] = true
		}
		if f.exact || f.q.MatchDoc(d, now) {
			out = append(out, &f.sub)
		}
	}
	for _, f := range m.always {
		try(f)
	}
	var key []byte // "w:" + word, made without a string per word
	for w := range d.words {
		key = append(append(key[:0], "w:"...), w...)
		for _, f := range m.byTerm[string(key)] {
			try(f)
		}
	}
	for _, t := range otherTerms(d) {
		for _, f := range m.byTerm[t] {
			try(f)
		}
	}
	return out
}

// prepareWords makes the set of d's words, once.
func (d *Doc) prepareWords() {
	if d.words != nil {
		return
	}
	d.words = map[string]bool{}
	eachRun(d.text, func(start, end int) {
		if end-start <= maxTerm {
			d.words[d.text[start:end]] = true
		}
	})
}

// otherTerms are the terms an opening files under besides its words ("w:" and each word):
// its skills, topics and field values. A subscription filed under a term the opening lacks
// cannot match it.
func otherTerms(d *Doc) []string {
	o := d.Opening
	out := make([]string, 0, len(d.skills)+len(d.topics)+5)
	for _, s := range d.skills {
		out = append(out, "s:"+s)
	}
	for _, t := range d.topics {
		out = append(out, "t:"+t)
	}
	for _, f := range []struct{ name, value string }{{"remote", string(o.Remote)}, {"level", string(o.Seniority)},
		{"type", string(o.EmploymentType)}, {"visa", string(o.Visa)}, {"source", o.Source}} {
		if f.value != "" {
			out = append(out, "f:"+f.name+"="+f.value)
		}
	}
	return out
}

// rarest is the set of terms q is filed under: an opening that has none of them cannot match
// q; empty when q implies no such set. For an AND, the cheapest of its kids' sets; for an OR,
// the union of its kids' sets, when each has one.
func (m *Matcher) rarest(n node) []string {
	switch n := n.(type) {
	case *andNode:
		var best []string
		bestN := 0
		for _, k := range n.kids {
			if ts := m.rarest(k); len(ts) > 0 {
				if c := m.cost(ts); best == nil || c < bestN {
					best, bestN = ts, c
				}
			}
		}
		return best
	case *orNode:
		var all []string
		for _, k := range n.kids {
			ts := m.rarest(k)
			if len(ts) == 0 {
				return nil
			}
			for _, t := range ts {
				if !slices.Contains(all, t) {
					all = append(all, t)
				}
			}
		}
		return all
	}
	if t := nodeTerm(n); t != "" {
		return []string{t}
	}
	return nil
}

// exactly says whether an opening matches n as soon as it has one of n's terms: a word, a
// skill, a topic or a field value, or an OR of them. The commonest subscriptions ("kafka",
// "kubernetes OR nomad") then cost a lookup and no check.
func exactly(n node) bool {
	switch n := n.(type) {
	case *wordNode:
		return n.skill != "" || n.single
	case *skillNode, *topicNode, *remoteNode, *levelNode, *typeNode, *visaNode, *sourceNode:
		return true
	case *orNode:
		for _, k := range n.kids {
			if !exactly(k) {
				return false
			}
		}
		return true
	}
	return false
}

// cost is how many openings have one of terms, at most.
func (m *Matcher) cost(terms []string) int {
	n := 0
	for _, t := range terms {
		if m.Freq != nil {
			n += m.Freq(t)
		} else {
			n += termRank(t)
		}
	}
	return n
}

// termRank orders terms when no frequencies are known: words and skills first, field values
// (which a quarter or more of all openings share) last.
func termRank(t string) int {
	if strings.HasPrefix(t, "f:") {
		return 2
	}
	return 1
}

// nodeTerm is the term an opening must have to match n, or "".
func nodeTerm(n node) string {
	firstWord := func(s string) string {
		t := ""
		eachRun(s, func(start, end int) {
			if t == "" && end-start <= maxTerm {
				t = "w:" + s[start:end]
			}
		})
		return t
	}
	switch n := n.(type) {
	case *wordNode:
		if n.skill != "" {
			return "s:" + n.skill
		}
		return firstWord(n.word)
	case *phraseNode:
		return firstWord(n.text)
	case *skillNode:
		return "s:" + n.skill
	case *topicNode:
		return "t:" + n.topic
	case *textNode:
		if n.field == "location" && n.value == "remote" {
			return "" // also a remote opening whose locations never say so
		}
		return firstWord(n.value)
	case *remoteNode:
		return "f:remote=" + string(n.remote)
	case *levelNode:
		return "f:level=" + string(n.level)
	case *typeNode:
		return "f:type=" + string(n.typ)
	case *visaNode:
		return "f:visa=" + string(n.visa)
	case *sourceNode:
		return "f:source=" + n.source
	}
	return "" // OR, exclusions, salary:, posted:
}
