package jobs

import (
	"cmp"
	"container/heap"
	"io"
	"slices"
	"strings"
	"time"
)

// Listing is one search result: the group's representative opening (without its
// description), every source that lists the role, and what it asks for.
type Listing struct {
	Opening Opening
	Sources []Link // the representative's source first
	Skills  []string
	Topics  []string
}

// Link is one board's record of a role.
type Link struct {
	Source string
	URL    string
}

// Page is a page of search results and how many there are in all.
type Page struct {
	Total    int
	Listings []Listing
}

// Search returns the open openings that match q (all open engineering openings when q is
// nil), newest first: limit of them from offset, with the total.
func (c *Catalog) Search(q *Query, now time.Time, offset, limit int) Page {
	c.mu.RLock()
	defer c.mu.RUnlock()
	m := c.matching(q, c.openReps(), now)
	if q == nil {
		c.keepEngineering(m)
	}
	total := m.count()
	nums := c.newest(m, offset+limit)
	if offset >= len(nums) {
		return Page{Total: total}
	}
	nums = nums[offset:]
	out := make([]Listing, len(nums))
	for i, num := range nums {
		out[i] = c.listing(num)
	}
	return Page{Total: total, Listings: out}
}

// matching is the subset of within that matches q (all of within when q is nil).
func (c *Catalog) matching(q *Query, within bitmap, now time.Time) bitmap {
	if q == nil {
		return within
	}
	return c.eval(q.root, within, now)
}

// openReps is the set of documents a search shows: each group's representative, when open.
func (c *Catalog) openReps() bitmap {
	m := slices.Clone(c.reps)
	m.and(c.open)
	return m
}

func (c *Catalog) keepEngineering(m bitmap) {
	m.each(func(num uint32) {
		if !c.docs[num].engineering {
			m.clear(num)
		}
	})
}

func (c *Catalog) listing(num uint32) Listing {
	d := &c.docs[num]
	l := Listing{Opening: *d.o, Skills: skillIDs(d.skills)}
	l.Topics = TopicsFor(l.Skills)
	l.Sources = append(l.Sources, Link{Source: d.o.Source, URL: d.o.URL})
	for _, m := range d.group.members {
		if o := c.docs[m].o; m != num && !slices.ContainsFunc(l.Sources, func(k Link) bool { return k.Source == o.Source }) {
			l.Sources = append(l.Sources, Link{Source: o.Source, URL: o.URL})
		}
	}
	return l
}

// newest returns the k documents of m posted last (then by id), newest first.
func (c *Catalog) newest(m bitmap, k int) []uint32 {
	if k <= 0 {
		return nil
	}
	h := &byAge{c: c}
	m.each(func(num uint32) {
		if len(h.nums) < k {
			heap.Push(h, num)
		} else if c.older(h.nums[0], num) {
			h.nums[0] = num
			heap.Fix(h, 0)
		}
	})
	out := make([]uint32, len(h.nums))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(h).(uint32)
	}
	return out
}

// older says whether document a sorts after b in a newest-first list.
func (c *Catalog) older(a, b uint32) bool {
	oa, ob := c.docs[a].o, c.docs[b].o
	if r := postedAt(oa).Compare(postedAt(ob)); r != 0 {
		return r < 0
	}
	return oa.ID > ob.ID
}

// byAge is a min-heap with the oldest document on top.
type byAge struct {
	c    *Catalog
	nums []uint32
}

func (h *byAge) Len() int           { return len(h.nums) }
func (h *byAge) Less(i, j int) bool { return h.c.older(h.nums[i], h.nums[j]) }
func (h *byAge) Swap(i, j int)      { h.nums[i], h.nums[j] = h.nums[j], h.nums[i] }
func (h *byAge) Push(x any)         { h.nums = append(h.nums, x.(uint32)) }
func (h *byAge) Pop() any {
	x := h.nums[len(h.nums)-1]
	h.nums = h.nums[:len(h.nums)-1]
	return x
}

// eval is the subset of within that matches n: the same answer as n.match on each document,
// computed from the posting lists. The kids of an AND are evaluated cheapest first, each
// within what the ones before left, so that text is read and fields are scanned only for the
// documents still in question.
func (c *Catalog) eval(n node, within bitmap, now time.Time) bitmap {
	switch n := n.(type) {
	case *andNode:
		kids := slices.Clone(n.kids)
		slices.SortStableFunc(kids, func(a, b node) int { return cmp.Compare(cost(a), cost(b)) })
		m := within
		for _, k := range kids {
			m = c.eval(k, m, now)
		}
		return m
	case *orNode:
		m := newBitmap(len(c.docs))
		rest := slices.Clone(within)
		for _, k := range n.kids {
			m.or(c.eval(k, rest, now))
			rest.andNot(m)
		}
		return m
	case *notNode:
		m := slices.Clone(within)
		m.andNot(c.eval(n.kid, within, now))
		return m
	case *wordNode:
		if n.skill != "" {
			return c.skillSet(n.skill, within)
		}
		return c.textSet(n.word, within)
	case *phraseNode:
		return c.textSet(n.text, within)
	case *skillNode:
		return c.skillSet(n.skill, within)
	case *topicNode:
		return c.listSet(c.topics[n.topic], within)
	case *textNode:
		values := c.companies
		if n.field == "location" {
			values = c.locations
		}
		m := newBitmap(len(c.docs))
		for v, p := range values {
			if containsWord(v, n.value) {
				p.setIn(m)
			}
		}
		if n.field == "location" && n.value == "remote" {
			within.each(func(num uint32) {
				if c.docs[num].o.Remote == RemoteYes {
					m.set(num)
				}
			})
		}
		m.and(within)
		return m
	}
	// Qualifiers on the opening's own fields (remote:, level:, type:, visa:, source:,
	// salary:, posted:) read nothing but the opening.
	m := newBitmap(len(c.docs))
	var d Doc
	within.each(func(num uint32) {
		d.Opening = c.docs[num].o
		if n.match(&d, now) {
			m.set(num)
		}
	})
	return m
}

// cost orders the kids of an AND: posting lists first, then company and location values,
// then scans of the openings' fields, then what reads text.
func cost(n node) int {
	switch n := n.(type) {
	case *andNode:
		return maxCost(n.kids)
	case *orNode:
		return maxCost(n.kids)
	case *notNode:
		return cost(n.kid)
	case *wordNode:
		if n.skill != "" || singleRun(n.word) {
			return 0
		}
		return 3
	case *phraseNode:
		return 3
	case *skillNode, *topicNode:
		return 0
	case *textNode:
		return 1
	}
	return 2
}

func maxCost(kids []node) int {
	worst := 0
	for _, k := range kids {
		worst = max(worst, cost(k))
	}
	return worst
}

// singleRun says whether w is one indexed word: one run of word bytes, not too long.
func singleRun(w string) bool {
	if w == "" || len(w) > maxTerm {
		return false
	}
	for i := 0; i < len(w); i++ {
		if !isWordByte(w[i]) {
			return false
		}
	}
	return true
}

func (c *Catalog) skillSet(id string, within bitmap) bitmap {
	i, ok := skillCatalog().byID[id]
	if !ok {
		return newBitmap(len(c.docs))
	}
	return c.listSet(&c.skills[i], within)
}

func (c *Catalog) listSet(p *postings, within bitmap) bitmap {
	m := newBitmap(len(c.docs))
	if p != nil {
		p.setIn(m)
	}
	m.and(within)
	return m
}

// textSet is the set of documents whose text contains w at word boundaries. A w that is one
// run of word bytes is a posting list; otherwise the documents holding all of w's runs are
// read and checked.
func (c *Catalog) textSet(w string, within bitmap) bitmap {
	if singleRun(w) {
		if t := c.words[w]; t != nil {
			return c.listSet(&t.postings, within)
		}
		return newBitmap(len(c.docs))
	}
	m := slices.Clone(within)
	var prev *term
	prevEnd, runs := -1, 0
	exact := true // w is two common words one space apart, and the catalogue has their pair
	eachRun(w, func(start, end int) {
		runs++
		if end-start > maxTerm {
			prev, exact = nil, false
			return
		}
		t := c.words[w[start:end]]
		if t == nil {
			m = newBitmap(len(c.docs))
			prev = nil
			return
		}
		m = c.listSet(&t.postings, m)
		paired := false
		if c.dict != nil && prev != nil && prev.common && t.common && start == prevEnd+1 && w[prevEnd] == ' ' {
			m = c.listSet(c.pairs[pairKey(prev, t)], m)
			paired = true
		}
		if runs == 2 && !paired {
			exact = false
		}
		prev, prevEnd = t, end
	})
	if exact && runs == 2 && isWordByte(w[0]) && isWordByte(w[len(w)-1]) {
		return m
	}
	r := inflaters.Get().(io.ReadCloser)
	defer inflaters.Put(r)
	m.each(func(num uint32) {
		text, err := c.text(num, r)
		if err != nil || !containsWord(text, w) {
			m.clear(num)
		}
	})
	return m
}

// Trend is how often one skill is asked for by the openings of a query.
type Trend struct {
	Skill  Skill
	Count  int // open openings posted in the last 30 days that ask for it
	Before int // openings posted in the 30 days before those (open or closed since)
}

// TrendWindow is the period /jobs trends counts over.
const TrendWindow = 30 * 24 * time.Hour

// Trends returns the n skills most asked for by the open openings that match q (every opening
// when q is nil) posted in the last 30 days, most asked first, with the count of the 30 days
// before, and how many openings were counted.
func (c *Catalog) Trends(q *Query, now time.Time, n int) ([]Trend, int) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	m := c.matching(q, slices.Clone(c.reps), now)
	skills := skillCatalog().skills
	count := make([]int, len(skills))
	before := make([]int, len(skills))
	counted := 0
	m.each(func(num uint32) {
		d := &c.docs[num]
		age := now.Sub(postedAt(d.o))
		switch {
		case age < 0 || age >= 2*TrendWindow:
			return
		case age < TrendWindow:
			if !c.open.has(num) {
				return
			}
			counted++
			for _, s := range d.skills {
				count[s]++
			}
		default:
			for _, s := range d.skills {
				before[s]++
			}
		}
	})
	var out []Trend
	for i, s := range skills {
		if count[i] > 0 {
			out = append(out, Trend{Skill: Skill{ID: s.ID, Name: s.Name, Topics: slices.Clone(s.Topics)}, Count: count[i], Before: before[i]})
		}
	}
	slices.SortFunc(out, func(a, b Trend) int {
		if r := cmp.Compare(b.Count, a.Count); r != 0 {
			return r
		}
		return cmp.Compare(a.Skill.ID, b.Skill.ID)
	})
	if len(out) > n {
		out = out[:n]
	}
	return out, counted
}

// Frequency estimates how many openings have a Matcher term ("w:kafka", "s:go", "t:raft",
// "f:remote=remote"), so that a subscription is filed under its rarest term.
func (c *Catalog) Frequency(term string) int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	kind, key, _ := strings.Cut(term, ":")
	switch kind {
	case "w":
		if t := c.words[key]; t != nil {
			return int(t.n)
		}
		return 0
	case "s":
		if i, ok := skillCatalog().byID[key]; ok {
			return int(c.skills[i].n)
		}
		return 0
	case "t":
		if p := c.topics[key]; p != nil {
			return int(p.n)
		}
		return 0
	}
	return len(c.byID)/4 + 1 // a field value: a quarter of the openings or more
}
