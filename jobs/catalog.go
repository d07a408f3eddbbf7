package jobs

import (
	"bytes"
	"compress/flate"
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
)

// Catalog is the searchable set of openings a replica holds in memory, loaded from the Store
// and kept fresh with its change numbers (Sync). It answers /jobs, /jobs trends and, later,
// subscription previews, from an inverted index rather than by reading every description:
//
//   - Each version of an opening is a document, numbered in the order it arrived. A rewrite
//     appends a new document and marks the old one dead; when a quarter of the documents are
//     dead, the index is compacted (renumbered) in place.
//   - The words of a document (runs of letters and digits of its lower-cased title, company,
//     locations and description), its skills and its topics each have a posting list; company
//     and location values too. Qualifiers on structured fields (remote:, level:, salary:, …) are
//     a pass over the documents' fields, not over their text.
//   - A query is evaluated bottom-up into bitmaps: AND intersects, OR unites, an exclusion
//     subtracts. Only phrases and words with punctuation inside ("ci/cd") read text: the
//     documents that have all of their words are checked against the text itself.
//   - Descriptions are kept deflate-compressed, so that 100,000 openings fit in a few hundred
//     megabytes with their text.
//
// The same role published on several boards, or twice by one, is one entry (see dedupeKeys):
// the group's richest open record is what a search shows, with every source that lists it.
// A group is open while any of its records is. Closed openings leave search results but stay
// for trends (which compare with the month before) until their source prunes them.
type Catalog struct {
	syncMu sync.Mutex // one Sync at a time
	cursor int64      // the greatest change number applied

	mu        sync.RWMutex
	docs      []doc
	byID      map[string]uint32 // opening id → its live document
	words     map[string]*term
	pairs     map[uint64]*postings // two common words one space apart (see train) → documents
	skills    []postings           // by skill index in the skills list
	topics    map[string]*postings
	companies map[string]*postings // lower-cased company → documents
	locations map[string]*postings // lower-cased location → documents
	live      bitmap               // documents that are the latest version of their opening
	open      bitmap               // live documents whose opening is open
	reps      bitmap               // live documents shown for their group
	groups    map[string]*group    // dedupe key → group
	dead      int

	// Reused while indexing, under mu.
	zbuf  bytes.Buffer
	zw    *flate.Writer
	dict  []byte // the preset dictionary of every document's deflate stream; see train
	ready bool
}

// doc is one version of an opening, without its description (kept compressed in text).
type doc struct {
	o       *Opening
	text    []byte   // the deflated lower-case text the words came from
	skills  []uint16 // indexes in the skills list, in order of first mention
	descLen int
	group   *group
	// engineering is IsEngineering(title), for /jobs without a query.
	engineering bool
}

// group is the set of live documents that are one role.
type group struct {
	keys    []string
	members []uint32
	rep     uint32
}

// maxTerm is the longest word indexed; longer runs (tokens, hashes) are found by reading text.
const maxTerm = 48

// pruneAfter is how long a closed opening is kept: its source deletes it from the store then,
// and a catalogue that learns of it later drops it the same way.
const pruneAfter = 90 * 24 * time.Hour

// NewCatalog returns an empty catalogue.
func NewCatalog() *Catalog {
	zw, _ := flate.NewWriter(nil, flate.DefaultCompression) // only fails for a bad level
	return &Catalog{
		byID:      map[string]uint32{},
		words:     map[string]*term{},
		pairs:     map[uint64]*postings{},
		skills:    make([]postings, len(skillCatalog().skills)),
		topics:    map[string]*postings{},
		companies: map[string]*postings{},
		locations: map[string]*postings{},
		groups:    map[string]*group{},
		zw:        zw,
	}
}

// Sync applies every change the store holds after the last one applied, and returns how many
// openings it applied. Run it at start-up (it loads everything) and then now and then.
func (c *Catalog) Sync(ctx context.Context, s Store, now time.Time) (int, error) {
	c.syncMu.Lock()
	defer c.syncMu.Unlock()
	var batch []Opening
	n := 0
	flush := func() {
		c.put(now, false, batch...)
		n += len(batch)
		batch = batch[:0]
	}
	last, err := s.Changes(ctx, c.cursor, func(o Opening) error {
		batch = append(batch, o)
		if len(batch) == 256 {
			flush()
		}
		return ctx.Err()
	})
	flush()
	if err != nil {
		return n, fmt.Errorf("load openings: %w", err)
	}
	c.cursor = last
	c.mu.Lock()
	c.ready = true
	c.mu.Unlock()
	return n, nil
}

// Follow loads the store into the catalogue, then applies its changes every interval, and at
// once when wake receives (this replica's poller wrote), until ctx ends. A store that fails is
// retried at the next interval: the catalogue keeps answering from what it holds.
func (c *Catalog) Follow(ctx context.Context, s Store, every time.Duration, wake <-chan struct{}, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		start := time.Now()
		n, err := c.Sync(ctx, s, start)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("openings not loaded from the store; retrying", "err", err, "retry_in", every.String())
		case n > 0:
			log.Debug("openings loaded", "changed", n, "held", c.Len(), "took", time.Since(start).String())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-wake:
		}
	}
}

// Ready says whether the catalogue holds what there is: a Sync has loaded the store, or
// openings were Put directly.
func (c *Catalog) Ready() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.ready
}

// Put adds or replaces openings by ID. An opening closed for longer than the prune period is
// removed instead.
func (c *Catalog) Put(now time.Time, openings ...Opening) { c.put(now, true, openings...) }

func (c *Catalog) put(now time.Time, ready bool, openings ...Opening) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ready = c.ready || ready
	for i := range openings {
		o := openings[i]
		c.remove(o.ID)
		if !o.Open() && now.Sub(o.Closed) > pruneAfter {
			continue
		}
		c.add(&o)
	}
	if c.dead > 1024 && c.dead > len(c.docs)/4 {
		c.compact()
	}
}

// Remove drops openings by ID; unknown ones are ignored.
func (c *Catalog) Remove(ids ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		c.remove(id)
	}
}

// Len is the number of openings held, open and closed, counting each of a group's records.
func (c *Catalog) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.byID)
}

func (c *Catalog) add(o *Opening) {
	num := uint32(len(c.docs))
	text := docText(o)
	d := doc{o: o, descLen: len(o.Description), engineering: IsEngineering(o.Title)}
	skillCatalog().scan(o.Title+"\n"+o.Description, func(skill int) { // as Index reads skills
		if !slices.Contains(d.skills, uint16(skill)) {
			d.skills = append(d.skills, uint16(skill))
			c.skills[skill].add(num)
		}
	})
	o.Description = "" // the words are indexed and the text kept compressed

	d.text = c.deflate(text)

	c.indexWords(num, text)
	for _, t := range TopicsFor(skillIDs(d.skills)) {
		addTo(c.topics, t, num)
	}
	addTo(c.companies, strings.ToLower(o.Company), num)
	for _, l := range o.Locations {
		addTo(c.locations, strings.ToLower(l), num)
	}

	c.docs = append(c.docs, d)
	n := len(c.docs)
	c.live, c.open, c.reps = c.live.grow(n), c.open.grow(n), c.reps.grow(n)
	c.live.set(num)
	if o.Open() {
		c.open.set(num)
	}
	c.byID[o.ID] = num
	c.join(num)
	if c.dict == nil && len(c.docs) == trainDocs {
		c.train()
	}
}

func (c *Catalog) deflate(text string) []byte {
	c.zbuf.Reset()
	c.zw.Reset(&c.zbuf)
	_, _ = c.zw.Write([]byte(text)) // writes to a bytes.Buffer do not fail
	_ = c.zw.Close()
	return bytes.Clone(c.zbuf.Bytes())
}

// trainDocs is how many documents the compression dictionary is learnt from.
const trainDocs = 1000

// train learns two things from the first documents. The preset dictionary of the deflate
// streams: the words most documents use (the most common last, where deflate reaches them
// cheapest); a job posting is too short for deflate to learn its language from itself, and
// with a dictionary of the language of postings descriptions shrink by a quarter. And the
// common words (in 2% of documents or more): pairs of them one space apart get posting lists
// of their own, so that a phrase of common words ("distributed systems") is found without
// reading the text of every opening that has both words somewhere. A phrase with a rarer word
// reads only the few openings that have that word.
func (c *Catalog) train() {
	type word struct {
		w  string
		df uint32
	}
	var words []word
	for w, t := range c.words {
		if t.n > 1 {
			words = append(words, word{w, t.n})
		}
		t.common = t.n >= trainDocs/50
	}
	slices.SortFunc(words, func(a, b word) int {
		if a.df != b.df {
			return int(b.df) - int(a.df)
		}
		return strings.Compare(a.w, b.w)
	})
	var picked []string
	size := 0
	for _, w := range words {
		if size+len(w.w)+1 > 32<<10 {
			break
		}
		picked = append(picked, w.w)
		size += len(w.w) + 1
	}
	slices.Reverse(picked)
	dict := []byte(strings.Join(picked, " "))
	r := inflaters.Get().(io.ReadCloser)
	defer inflaters.Put(r)
	texts := make([]string, len(c.docs))
	for i := range c.docs {
		texts[i], _ = c.text(uint32(i), r) // our own streams
	}
	c.dict = dict
	c.zw, _ = flate.NewWriterDict(nil, flate.DefaultCompression, dict)
	for i := range c.docs {
		c.docs[i].text = c.deflate(texts[i])
		if c.live.has(uint32(i)) {
			c.indexWords(uint32(i), texts[i]) // its pairs; its words are there already
		}
	}
}

// term is a word's posting list, with the number that names it in pairs.
type term struct {
	postings
	id     uint32
	common bool // in at least 2% of the documents the dictionary was learnt from
}

// indexWords adds document num to the lists of its words and, once the catalogue is trained,
// of its pairs of common words. A repeat within the document is ignored by postings.add.
func (c *Catalog) indexWords(num uint32, text string) {
	var prev *term
	prevEnd := -1
	eachRun(text, func(start, end int) {
		w := text[start:end]
		var t *term
		if len(w) <= maxTerm {
			if t = c.words[w]; t == nil {
				t = &term{id: uint32(len(c.words))}
				c.words[strings.Clone(w)] = t // not a slice of the text, which would stay alive with it
			}
			t.add(num)
		}
		if c.dict != nil && prev != nil && t != nil && prev.common && t.common && start == prevEnd+1 && text[prevEnd] == ' ' {
			p := c.pairs[pairKey(prev, t)]
			if p == nil {
				p = &postings{}
				c.pairs[pairKey(prev, t)] = p
			}
			p.add(num)
		}
		prev, prevEnd = t, end
	})
}

func pairKey(a, b *term) uint64 { return uint64(a.id)<<32 | uint64(b.id) }

func addTo(m map[string]*postings, key string, num uint32) {
	p := m[key]
	if p == nil {
		p = &postings{}
		m[strings.Clone(key)] = p // not a slice of the text, which would stay alive with it
	}
	p.add(num)
}

func (c *Catalog) remove(id string) {
	num, ok := c.byID[id]
	if !ok {
		return
	}
	delete(c.byID, id)
	c.live.clear(num)
	c.open.clear(num)
	c.dead++
	g := c.docs[num].group
	g.members = slices.DeleteFunc(g.members, func(m uint32) bool { return m == num })
	if len(g.members) == 0 {
		c.reps.clear(g.rep)
		for _, k := range g.keys {
			if c.groups[k] == g {
				delete(c.groups, k)
			}
		}
		return
	}
	c.elect(g)
}

// join puts document num in the group of the first of its dedupe keys already known, or in a
// new group, and registers all of its keys for that group.
func (c *Catalog) join(num uint32) {
	keys := dedupeKeys(c.docs[num].o)
	var g *group
	for _, k := range keys {
		if g = c.groups[k]; g != nil {
			break
		}
	}
	if g == nil {
		g = &group{rep: num}
	}
	for _, k := range keys {
		if _, ok := c.groups[k]; !ok {
			c.groups[k] = g
			g.keys = append(g.keys, k)
		}
	}
	g.members = append(g.members, num)
	c.docs[num].group = g
	c.elect(g)
}

// elect makes the group's richest record its representative: an open one before a closed one,
// then the longer description, then the record seen first, then the smaller id.
func (c *Catalog) elect(g *group) {
	c.reps.clear(g.rep)
	best := g.members[0]
	for _, m := range g.members[1:] {
		if c.richer(m, best) {
			best = m
		}
	}
	g.rep = best
	c.reps.set(best)
}

func (c *Catalog) richer(a, b uint32) bool {
	da, db := &c.docs[a], &c.docs[b]
	if oa, ob := da.o.Open(), db.o.Open(); oa != ob {
		return oa
	}
	if da.descLen != db.descLen {
		return da.descLen > db.descLen
	}
	if !da.o.FirstSeen.Equal(db.o.FirstSeen) {
		return da.o.FirstSeen.Before(db.o.FirstSeen)
	}
	return da.o.ID < db.o.ID
}

// compact renumbers the live documents from zero, dropping the dead ones from every list.
func (c *Catalog) compact() {
	newNum := make([]int32, len(c.docs))
	docs := make([]doc, 0, len(c.byID))
	for i := range c.docs {
		newNum[i] = -1
		if c.live.has(uint32(i)) {
			newNum[i] = int32(len(docs))
			docs = append(docs, c.docs[i])
		}
	}
	for _, t := range c.words {
		t.remap(newNum) // an empty word keeps its id: pairs name it
	}
	for k, p := range c.pairs {
		p.remap(newNum)
		if p.n == 0 {
			delete(c.pairs, k)
		}
	}
	for _, m := range []map[string]*postings{c.topics, c.companies, c.locations} {
		for k, p := range m {
			p.remap(newNum)
			if p.n == 0 {
				delete(m, k)
			}
		}
	}
	for i := range c.skills {
		c.skills[i].remap(newNum)
	}
	remapBits := func(m bitmap) bitmap {
		out := newBitmap(len(docs))
		m.each(func(d uint32) { out.set(uint32(newNum[d])) })
		return out
	}
	c.live, c.open, c.reps = remapBits(c.live), remapBits(c.open), remapBits(c.reps)
	for id, num := range c.byID {
		c.byID[id] = uint32(newNum[num])
	}
	seen := map[*group]bool{}
	for i := range docs {
		g := docs[i].group
		if seen[g] {
			continue
		}
		seen[g] = true
		for j, m := range g.members {
			g.members[j] = uint32(newNum[m])
		}
		g.rep = uint32(newNum[g.rep])
	}
	c.docs = docs
	c.dead = 0
}

// eachRun calls fn with the bounds of each run of word bytes in text (see isWordByte), in order.
func eachRun(text string, fn func(start, end int)) {
	start := -1
	for i := 0; i <= len(text); i++ {
		if i < len(text) && isWordByte(text[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			fn(start, i)
			start = -1
		}
	}
}

func skillIDs(idx []uint16) []string {
	skills := skillCatalog().skills
	out := make([]string, len(idx))
	for i, s := range idx {
		out[i] = skills[s].ID
	}
	return out
}

// text returns document num's lower-cased text.
func (c *Catalog) text(num uint32, r io.ReadCloser) (string, error) {
	if err := r.(flate.Resetter).Reset(bytes.NewReader(c.docs[num].text), c.dict); err != nil {
		return "", err
	}
	b, err := io.ReadAll(r)
	return string(b), err
}

var inflaters = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}

// Doc returns the opening with the given id prepared for Query.Explain, or false when the
// catalogue does not hold it. Its description is not included.
func (c *Catalog) Doc(id string) (*Doc, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	num, ok := c.byID[id]
	if !ok {
		return nil, false
	}
	return c.docAt(num), true
}

func (c *Catalog) docAt(num uint32) *Doc {
	d := &c.docs[num]
	r := inflaters.Get().(io.ReadCloser)
	defer inflaters.Put(r)
	text, _ := c.text(num, r) // our own deflate stream
	o := *d.o
	return newDoc(&o, text, skillIDs(d.skills))
}

// dedupeKeys are the keys under which two records are the same role: the normalised company,
// title and first location (up to its first comma), and the normalised URL. Either key in common makes one group.
func dedupeKeys(o *Opening) []string {
	var keys []string
	if o.Title != "" && o.Company != "" {
		loc := ""
		if len(o.Locations) > 0 {
			city, _, _ := strings.Cut(o.Locations[0], ",") // "Berlin, Germany" and "Berlin" are one place
			loc = normal(city)
		}
		keys = append(keys, "r\x00"+normalCompany(o.Company)+"\x00"+normal(o.Title)+"\x00"+loc)
	}
	if u := normalURL(o.URL); u != "" {
		keys = append(keys, "u\x00"+u)
	}
	if len(keys) == 0 {
		keys = append(keys, "i\x00"+o.ID)
	}
	return keys
}

// normal lower-cases s and keeps its letters and digits, one space between words.
func normal(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// legalForms are dropped from the end of company names: "Acme, Inc." is Acme.
var legalForms = []string{"inc", "incorporated", "llc", "ltd", "limited", "gmbh", "ag", "sa", "sas", "bv", "plc", "corp", "corporation", "co", "oy", "ab", "as", "srl", "pty"}

func normalCompany(s string) string {
	n := normal(s)
	for {
		i := strings.LastIndexByte(n, ' ')
		if i < 0 || !slices.Contains(legalForms, n[i+1:]) {
			return n
		}
		n = n[:i]
	}
}

// normalURL is the URL without scheme, query, fragment and trailing slash, lower case: the
// same posting linked with tracking parameters is one posting.
func normalURL(u string) string {
	u = strings.ToLower(u)
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	u = strings.TrimPrefix(u, "www.")
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return strings.TrimRight(u, "/")
}
