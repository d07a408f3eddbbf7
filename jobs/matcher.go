package jobs

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Matcher finds the subscriptions a new opening matches without trying every subscription.
//
// Each query is compiled once, when it is added, into a plan over terms (a word, a skill, a
// topic or a field value such as remote:yes), each interned as a small integer: the terms an
// opening must have, the terms it must not have, groups of terms it must have one of (an OR of
// terms), and the parts no term decides (a phrase, company:, salary:, posted:, an OR of
// conjunctions…), which are evaluated on the Doc as Query.MatchDoc does, after the terms.
// The subscription is filed under one term its query cannot match without (its rarest required
// term, or the terms of its cheapest OR).
//
// Matching an opening marks its terms in an array indexed by term, stamped with a generation so
// that it is never cleared (a bit filter spares most of its words the map lookup), and walks
// the subscriptions filed under them. Each entry holds its subscription and the plan's first
// terms inline, so most candidates are decided by a few array loads, without reading the plan;
// only then are the parts that need the text evaluated. A query with no term to be filed under
// (only exclusions, salary: or posted:) is tried against every opening. Filing and plans never change
// an answer: they agree with Query.MatchDoc on every query, which the tests check.
type Matcher struct {
	// Freq, when set, estimates how many openings have a term (Catalog.Frequency): the rarest
	// term of a query files it. Without it, words and skills come before field values.
	Freq func(term string) int

	mu       sync.RWMutex
	subs     map[subID]uint32        // the slot of each subscription
	slots    []*plan                 // nil where free
	free     []uint32                // free slots
	words    map[string]uint32       // interned words (the hot lookup: every word of every opening)
	wordBits [wordFilter / 64]uint64 // wordBit of every interned word: most of an opening's words need no lookup
	others   map[subTerm]uint32      // interned skills, topics and field values
	terms    []subTerm               // terms[id]; id 0 is no term
	buckets  [][]entry               // buckets[id]: the subscriptions filed under term id
	always   []uint32                // slots of subscriptions tried against every opening
	scratch  sync.Pool               // *matchScratch, one per concurrent Match
}

type subID struct {
	workspace string
	id        int64
}

// subTerm is what an opening may have: a word of its text, a skill, a topic or a field's value.
type subTerm struct {
	kind  termKind
	value string
}

type termKind uint8

const (
	termWord termKind = iota + 1
	termSkill
	termTopic
	termRemote
	termLevel
	termType
	termVisa
	termSource
)

// String is the term as Catalog.Frequency reads it ("w:kafka", "s:go", "f:remote=remote").
func (t subTerm) String() string {
	switch t.kind {
	case termWord:
		return "w:" + t.value
	case termSkill:
		return "s:" + t.value
	case termTopic:
		return "t:" + t.value
	case termRemote:
		return "f:remote=" + t.value
	case termLevel:
		return "f:level=" + t.value
	case termType:
		return "f:type=" + t.value
	case termVisa:
		return "f:visa=" + t.value
	case termSource:
		return "f:source=" + t.value
	}
	return ""
}

// plan is a compiled subscription: an opening matches when it has every term of req, none of
// excl, one of each group of any, and matches every node of rest.
type plan struct {
	sub  Subscription
	req  []uint32   // rarest first; without the term the plan is filed under
	excl []uint32   //
	any  [][]uint32 // without the group the plan is filed under
	rest []node
	keys []uint32 // the terms it is filed under; none: tried against every opening
	pos  []int    // pos[i]: its index in buckets[keys[i]]
}

// entry is a plan filed under a term, with the plan's first terms inline: most candidates are
// decided by them, without reading the plan (a cache miss each).
type entry struct {
	sub   *Subscription
	slot  uint32             // with the flags below
	terms [entryTerms]uint32 // required, rarest first, then excluded (with termNot); 0 ends them
}

const (
	entryTerms = 5
	entryExact = 1 << 31 // the inline terms are the whole plan: no need to read it
	entryMulti = 1 << 30 // filed under several terms: an opening may reach it more than once
	slotMask   = entryMulti - 1
	termNot    = 1 << 31 // an inline term the opening must not have
)

// NewMatcher returns an empty matcher.
func NewMatcher() *Matcher {
	return &Matcher{subs: map[subID]uint32{}, words: map[string]uint32{}, others: map[subTerm]uint32{},
		terms: []subTerm{{}}, buckets: [][]entry{nil}}
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
	c := m.compile(q.root) // Freq is called outside the lock
	m.mu.Lock()
	defer m.mu.Unlock()
	m.remove(k)
	p := &plan{sub: s, req: m.intern(c.req), excl: m.intern(c.excl), rest: c.rest, keys: m.intern(c.keys)}
	for _, g := range c.any {
		p.any = append(p.any, m.intern(g))
	}
	var slot uint32
	if n := len(m.free); n > 0 {
		slot, m.free = m.free[n-1], m.free[:n-1]
		m.slots[slot] = p
	} else {
		slot = uint32(len(m.slots))
		if slot > slotMask {
			return fmt.Errorf("the matcher holds %d subscriptions, the most it can", slotMask+1)
		}
		m.slots = append(m.slots, p)
	}
	m.subs[k] = slot
	if len(p.keys) == 0 {
		m.always = append(m.always, slot)
		return nil
	}
	if len(m.terms) >= termNot {
		return fmt.Errorf("the matcher knows %d terms, the most it can", len(m.terms))
	}
	e := entry{sub: &p.sub, slot: slot}
	inline := append(slices.Clone(p.req), p.excl...)
	for i := range min(len(inline), entryTerms) {
		e.terms[i] = inline[i]
		if i >= len(p.req) {
			e.terms[i] |= termNot
		}
	}
	if len(inline) <= entryTerms && len(p.any) == 0 && len(p.rest) == 0 {
		e.slot |= entryExact
	}
	if len(p.keys) > 1 {
		e.slot |= entryMulti
	}
	p.pos = make([]int, len(p.keys))
	for i, id := range p.keys {
		p.pos[i] = len(m.buckets[id])
		m.buckets[id] = append(m.buckets[id], e)
	}
	return nil
}

// intern returns the ids of ts, making ids for terms not seen before.
func (m *Matcher) intern(ts []subTerm) []uint32 {
	if len(ts) == 0 {
		return nil
	}
	out := make([]uint32, len(ts))
	for i, t := range ts {
		var id uint32
		var ok bool
		if t.kind == termWord {
			id, ok = m.words[t.value]
		} else {
			id, ok = m.others[t]
		}
		if !ok {
			id = uint32(len(m.terms))
			m.terms = append(m.terms, t)
			m.buckets = append(m.buckets, nil)
			if t.kind == termWord {
				m.words[t.value] = id
				b := wordBit(t.value)
				m.wordBits[b/64] |= 1 << (b % 64)
			} else {
				m.others[t] = id
			}
		}
		out[i] = id
	}
	return out
}

// Remove takes a subscription out; an unknown one is ignored.
func (m *Matcher) Remove(workspace string, id int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.remove(subID{workspace, id})
}

func (m *Matcher) remove(k subID) {
	slot, ok := m.subs[k]
	if !ok {
		return
	}
	p := m.slots[slot]
	delete(m.subs, k)
	m.slots[slot] = nil
	m.free = append(m.free, slot)
	if len(p.keys) == 0 {
		i := slices.Index(m.always, slot)
		m.always[i] = m.always[len(m.always)-1]
		m.always = m.always[:len(m.always)-1]
		return
	}
	for i, id := range p.keys {
		b := m.buckets[id]
		at, last := p.pos[i], len(b)-1
		if at != last { // the last entry moves into the gap: its plan learns its new index
			moved := b[last]
			b[at] = moved
			q := m.slots[moved.slot&slotMask]
			for j, qid := range q.keys {
				if qid == id {
					q.pos[j] = at
				}
			}
		}
		b[last] = entry{}
		m.buckets[id] = b[:last]
	}
}

// Len is the number of subscriptions filed.
func (m *Matcher) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.subs)
}

// matchScratch is one Match call's working memory, reused by later calls: marks[id] == gen
// when the opening has term id, seen[slot] == gen when the plan in slot was tried.
type matchScratch struct {
	gen   uint32
	marks []uint32
	seen  []uint32
	have  []uint32 // the opening's term ids, each once
	out   []*Subscription
}

// Match returns the subscriptions that d matches at now, in no particular order; they are the
// matcher's own, not to be changed. Match may be called from several goroutines at once, with
// the same Doc too: it does not change d.
func (m *Matcher) Match(d *Doc, now time.Time) []*Subscription {
	m.mu.RLock()
	defer m.mu.RUnlock()
	s, _ := m.scratch.Get().(*matchScratch)
	if s == nil {
		s = &matchScratch{}
	}
	defer m.scratch.Put(s)
	s.start(len(m.terms), len(m.slots))
	gen, marks := s.gen, s.marks
	mark := func(id uint32, ok bool) {
		if ok && marks[id] != gen {
			marks[id] = gen
			s.have = append(s.have, id)
		}
	}
	text := d.text
	for i := 0; i < len(text); {
		if !isWordByte(text[i]) {
			i++
			continue
		}
		start := i
		for i < len(text) && isWordByte(text[i]) {
			i++
		}
		if w := text[start:i]; len(w) <= maxTerm {
			if b := wordBit(w); m.wordBits[b/64]&(1<<(b%64)) != 0 {
				id, ok := m.words[w]
				mark(id, ok)
			}
		}
	}
	for _, sk := range d.skills {
		id, ok := m.others[subTerm{termSkill, sk}]
		mark(id, ok)
	}
	for _, t := range d.topics {
		id, ok := m.others[subTerm{termTopic, t}]
		mark(id, ok)
	}
	o := d.Opening
	for _, t := range [...]subTerm{{termRemote, string(o.Remote)}, {termLevel, string(o.Seniority)},
		{termType, string(o.EmploymentType)}, {termVisa, string(o.Visa)}, {termSource, o.Source}} {
		if t.value != "" {
			id, ok := m.others[t]
			mark(id, ok)
		}
	}

	out := s.out[:0] // copied out at the end: one allocation of the right size, no growing
	for _, slot := range m.always {
		if p := m.slots[slot]; p.check(d, now, marks, gen) {
			out = append(out, &p.sub)
		}
	}
	seen := s.seen
	for _, id := range s.have {
	entries:
		for i := range m.buckets[id] {
			e := &m.buckets[id][i]
			for _, t := range e.terms {
				if t == 0 {
					break
				}
				if (marks[t&^termNot] == gen) == (t&termNot != 0) {
					continue entries
				}
			}
			slot := e.slot & slotMask
			if e.slot&entryMulti != 0 {
				if seen[slot] == gen {
					continue
				}
				seen[slot] = gen
			}
			if e.slot&entryExact != 0 || m.slots[slot].check(d, now, marks, gen) {
				out = append(out, e.sub)
			}
		}
	}
	s.out = out
	if len(out) == 0 {
		return nil
	}
	return slices.Clone(out)
}

// wordFilter is the size of the filter of interned words, in bits.
const wordFilter = 1 << 16

// wordBit is w's bit in the filter: from its length and its first and last two bytes.
func wordBit(w string) uint32 {
	n := len(w)
	h := uint32(n)*0x9e3779b1 ^ uint32(w[0])<<16 ^ uint32(w[n-1])<<8 ^ uint32(w[n/2])
	h *= 0x85ebca6b
	return h >> 16 // the top 16 bits, wordFilter of them
}

// start readies s for a new opening, for a matcher of nterms terms and nslots slots.
func (s *matchScratch) start(nterms, nslots int) {
	s.gen++
	if s.gen == 0 { // wrapped: stamps of 4 billion openings ago would read as this one's
		clear(s.marks)
		clear(s.seen)
		s.gen = 1
	}
	if len(s.marks) < nterms {
		s.marks = append(s.marks, make([]uint32, nterms-len(s.marks)+nterms/4)...)
	}
	if len(s.seen) < nslots {
		s.seen = append(s.seen, make([]uint32, nslots-len(s.seen)+nslots/4)...)
	}
	s.have = s.have[:0]
}

// check says whether the opening, whose terms are marked with gen, matches p: the term the
// plan was found under is known to be there.
func (p *plan) check(d *Doc, now time.Time, marks []uint32, gen uint32) bool {
	for _, id := range p.req {
		if marks[id] != gen {
			return false
		}
	}
	for _, id := range p.excl {
		if marks[id] == gen {
			return false
		}
	}
group:
	for _, g := range p.any {
		for _, id := range g {
			if marks[id] == gen {
				continue group
			}
		}
		return false
	}
	for _, n := range p.rest {
		if !n.match(d, now) {
			return false
		}
	}
	return true
}

// compiled is a plan before its terms are interned.
type compiled struct {
	req, excl, keys []subTerm
	any             [][]subTerm
	rest            []node
}

// compile makes q's plan and chooses the terms it is filed under.
func (m *Matcher) compile(root node) compiled {
	var c compiled
	kids := []node{root}
	if a, ok := root.(*andNode); ok {
		kids = a.kids
	}
	for _, k := range kids {
		if t, ok := exactTerm(k); ok {
			c.req = append(c.req, t)
			continue
		}
		switch n := k.(type) {
		case *notNode:
			if t, ok := exactTerm(n.kid); ok {
				c.excl = append(c.excl, t)
				continue
			}
			if g, ok := exactGroup(n.kid); ok { // -(a OR b): neither
				c.excl = append(c.excl, g...)
				continue
			}
			c.rest = append(c.rest, k)
		case *orNode:
			if g, ok := exactGroup(n); ok {
				if len(g) == 1 {
					c.req = append(c.req, g[0])
				} else {
					c.any = append(c.any, g)
				}
				continue
			}
			c.rest = append(c.rest, k)
			// Each alternative needs terms of its own: the opening needs one of them.
			var g []subTerm
			for _, alt := range n.kids {
				need := neededTerms(alt)
				if len(need) == 0 {
					g = nil
					break
				}
				g = appendNew(g, slices.MinFunc(need, m.compareTerms))
			}
			if g != nil {
				c.any = append(c.any, g)
			}
		default:
			c.rest = append(c.rest, k)
			c.req = append(c.req, neededTerms(k)...)
		}
	}
	c.req = dedupe(c.req)
	c.excl = dedupe(c.excl)
	// File under the cheapest of the rarest required term and the groups.
	freq := m.freqs(c)
	slices.SortStableFunc(c.req, func(a, b subTerm) int { return cmp.Compare(freq[a], freq[b]) })
	best, bestCost := -1, 0
	if len(c.req) > 0 {
		bestCost = freq[c.req[0]]
	}
	for i, g := range c.any {
		n := 0
		for _, t := range g {
			n += freq[t]
		}
		if (len(c.req) == 0 && best < 0) || n < bestCost {
			best, bestCost = i, n
		}
	}
	switch {
	case best >= 0:
		c.keys = c.any[best]
		c.any = slices.Delete(c.any, best, best+1)
	case len(c.req) > 0:
		c.keys, c.req = c.req[:1], c.req[1:]
	}
	return c
}

// freqs is the estimated frequency of each term of c.
func (m *Matcher) freqs(c compiled) map[subTerm]int {
	out := map[subTerm]int{}
	for _, ts := range append([][]subTerm{c.req}, c.any...) {
		for _, t := range ts {
			if _, ok := out[t]; !ok {
				out[t] = m.freq(t)
			}
		}
	}
	return out
}

// freq estimates how many openings have t: with Freq, or words and skills before field values
// (which a quarter or more of all openings share).
func (m *Matcher) freq(t subTerm) int {
	if m.Freq != nil {
		return m.Freq(t.String())
	}
	if t.kind >= termRemote {
		return 2
	}
	return 1
}

func (m *Matcher) compareTerms(a, b subTerm) int { return cmp.Compare(m.freq(a), m.freq(b)) }

// exactTerm is the term that decides n: an opening matches n exactly when it has the term.
func exactTerm(n node) (subTerm, bool) {
	switch n := n.(type) {
	case *wordNode:
		if n.skill != "" {
			return subTerm{termSkill, n.skill}, true
		}
		if n.single { // the word is one run of word bytes: containsWord finds it as a whole run
			return subTerm{termWord, n.word}, true
		}
	case *phraseNode:
		if singleRun(n.text) {
			return subTerm{termWord, n.text}, true
		}
	case *skillNode:
		return subTerm{termSkill, n.skill}, true
	case *topicNode:
		return subTerm{termTopic, n.topic}, true
	case *remoteNode:
		return subTerm{termRemote, string(n.remote)}, true
	case *levelNode:
		return subTerm{termLevel, string(n.level)}, true
	case *typeNode:
		return subTerm{termType, string(n.typ)}, true
	case *visaNode:
		return subTerm{termVisa, string(n.visa)}, true
	case *sourceNode:
		return subTerm{termSource, n.source}, true
	}
	return subTerm{}, false
}

// exactGroup is the terms of an OR that each term of decides, or of a single such term.
func exactGroup(n node) ([]subTerm, bool) {
	if t, ok := exactTerm(n); ok {
		return []subTerm{t}, true
	}
	o, ok := n.(*orNode)
	if !ok {
		return nil, false
	}
	var g []subTerm
	for _, k := range o.kids {
		t, ok := exactTerm(k)
		if !ok {
			return nil, false
		}
		g = appendNew(g, t)
	}
	return g, true
}

// neededTerms are terms an opening must have to match n (not always enough): for a word or a
// phrase, each run of word bytes in it, which containsWord can only find as a whole run of the
// text, and the same for company: and location: (their fields are part of the text); for an
// AND, its parts' terms.
func neededTerms(n node) []subTerm {
	if t, ok := exactTerm(n); ok {
		return []subTerm{t}
	}
	runs := func(s string) []subTerm {
		var out []subTerm
		eachRun(s, func(start, end int) {
			if end-start <= maxTerm {
				out = appendNew(out, subTerm{termWord, s[start:end]})
			}
		})
		return out
	}
	switch n := n.(type) {
	case *wordNode:
		return runs(n.word) // a skill's word is an exact term
	case *phraseNode:
		return runs(n.text)
	case *textNode:
		if n.field == "location" && n.value == "remote" {
			return nil // also a remote opening whose locations never say so
		}
		return runs(n.value)
	case *andNode:
		var out []subTerm
		for _, k := range n.kids {
			for _, t := range neededTerms(k) {
				out = appendNew(out, t)
			}
		}
		return out
	}
	return nil // OR, exclusions, salary:, posted:
}

// nodeTerm is the first term an opening must have to match n, as Catalog.Frequency names it,
// or "".
func nodeTerm(n node) string {
	if _, and := n.(*andNode); !and {
		if ts := neededTerms(n); len(ts) > 0 {
			return ts[0].String()
		}
	}
	return ""
}

func appendNew(ts []subTerm, t subTerm) []subTerm {
	if slices.Contains(ts, t) {
		return ts
	}
	return append(ts, t)
}

func dedupe(ts []subTerm) []subTerm {
	var out []subTerm
	for _, t := range ts {
		out = appendNew(out, t)
	}
	return out
}
