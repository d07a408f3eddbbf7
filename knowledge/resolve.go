package knowledge

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// MatchKind says how a query was resolved to a topic.
type MatchKind int

// How a query matched, in the order Resolve tries them.
const (
	MatchNone MatchKind = iota
	MatchID
	MatchTitle
	MatchAlias
	MatchNormalized
	MatchTypo
	MatchFullText
)

var matchNames = [...]string{"none", "id", "title", "alias", "normalized", "typo", "full-text"}

func (k MatchKind) String() string {
	if int(k) < len(matchNames) {
		return matchNames[k]
	}
	return "unknown"
}

// MaxQuery is the longest query, in bytes, that Resolve reads; the rest is ignored. No topic name
// is anywhere near as long, and a question that long has said what it is about by then.
const MaxQuery = 300

// maxSuggestions is how many topics an unresolved query is offered instead.
const maxSuggestions = 3

// Resolution is the outcome of resolving a query: a topic, or suggestions when none matches.
type Resolution struct {
	Topic       *Topic
	Match       MatchKind
	Suggestions []*Topic
	// Guess says the suggestions come only from a full-text search that was too weak to answer
	// with: the query's words are in those topics, but none is about what was asked. When false,
	// the first suggestions are names within a few letters of the query ("did you mean").
	Guess bool
}

// Resolve finds the topic a user means. It tries the id, the title, an alias, their normalised
// forms, a typo of one of them, and finally a full-text ranking; see the package doc.
// An empty or unmatched query returns a Resolution with a nil Topic and up to three suggestions.
func (b *Base) Resolve(query string) Resolution {
	q := strings.TrimSpace(truncate(query, MaxQuery))
	if q == "" {
		return Resolution{}
	}
	if r, ok := b.lookup(q); ok {
		return r
	}
	bare := stripQuestion(q)
	if bare != q {
		if r, ok := b.lookup(bare); ok {
			return r
		}
	}
	n := normalize(bare)
	if t, ok := b.norm[n]; ok {
		return Resolution{Topic: t, Match: MatchNormalized}
	}
	typo, near := b.nearest([]rune(n))
	if typo != nil {
		return Resolution{Topic: typo, Match: MatchTypo}
	}

	qterms := distinctTerms(terms(q))
	longest, name, named := b.mentioned(bare)
	if t := b.mentionedAnswer(longest, name, qterms); t != nil {
		return Resolution{Topic: t, Match: MatchFullText}
	}
	hits := b.search.rank(qterms, fullTextCandidates)
	if h, ok := confident(hits, qterms, named); ok {
		return Resolution{Topic: h.topic, Match: MatchFullText}
	}
	var sugg []*Topic
	add := func(t *Topic) {
		for _, s := range sugg {
			if s == t {
				return
			}
		}
		if len(sugg) < maxSuggestions {
			sugg = append(sugg, t)
		}
	}
	for _, t := range near {
		add(t)
	}
	for _, h := range hits {
		add(h.topic)
	}
	return Resolution{Suggestions: sugg, Guess: len(near) == 0 && len(sugg) > 0}
}

// Exact resolves q by its exact or normalised forms only (id, title, alias), never by a typo or
// a search, and only when normalising drops none of its words: for telling a topic apart from
// the words around it, as in "/share <url> raft the talk", where "raft the" is not a topic.
func (b *Base) Exact(q string) (*Topic, bool) {
	q = strings.TrimSpace(truncate(q, MaxQuery))
	if r, ok := b.lookup(q); ok {
		return r.Topic, true
	}
	n := normalize(q)
	if len(strings.Fields(n)) != len(splitWords(q)) {
		return nil, false
	}
	t, ok := b.norm[n]
	return t, ok
}

// maxNameWords bounds the names Mentioned looks for; no id, title or alias is longer.
const maxNameWords = 8

// Mentioned returns the topic whose id, title or alias appears in text as whole words ("great
// talk on vector clocks" mentions Vector clocks), preferring the longest name mentioned, or nil
// when text names no topic or names two different ones equally long. Words around the name do
// not matter, which is what tagging a shared link needs; answering a question is Resolve's job.
func (b *Base) Mentioned(text string) *Topic {
	t, _, _ := b.mentioned(text)
	return t
}

// mentioned is Mentioned that also returns the name found, normalised, and every topic text
// names at all, longest name or not.
func (b *Base) mentioned(text string) (*Topic, string, []*Topic) {
	words := strings.Fields(normalize(truncate(text, MaxQuery)))
	var (
		found *Topic
		name  string
		size  int
		tie   bool
		all   []*Topic
	)
	for i := range words {
		for n := min(maxNameWords, len(words)-i); n >= 1; n-- {
			key := strings.Join(words[i:i+n], " ")
			t, ok := b.norm[key]
			if !ok {
				continue
			}
			if !containsTopic(all, t) {
				all = append(all, t)
			}
			switch {
			case n > size:
				found, name, size, tie = t, key, n, false
			case n == size && t != found:
				tie = true
			}
		}
	}
	if tie {
		return nil, "", all
	}
	return found, name, all
}

// mentionedAnswer returns the topic a question names when the name is at least half of the
// question: "how do I avoid a retry storm" names Retries with two of its three terms, "how to
// shard postgres" Sharding with one of two. A name that is a small part of the query ("rafts of
// wood and paddles") answers nothing. qterms are the query's distinct terms.
func (b *Base) mentionedAnswer(t *Topic, name string, qterms []string) *Topic {
	if t == nil || len(qterms) == 0 {
		return nil
	}
	in := make(map[string]bool)
	for _, w := range terms(name) {
		in[w] = true
	}
	covered := 0
	for _, w := range qterms {
		if in[w] {
			covered++
		}
	}
	if 2*covered < len(qterms) {
		return nil
	}
	return t
}

// distinctTerms is terms without repeats, in their first order.
func distinctTerms(ts []string) []string {
	seen := make(map[string]bool, len(ts))
	out := ts[:0:0]
	for _, t := range ts {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}

// lookup tries the exact forms: id, then title or alias, case-insensitively.
func (b *Base) lookup(q string) (Resolution, bool) {
	lower := strings.ToLower(q)
	if t, ok := b.byID[lower]; ok {
		return Resolution{Topic: t, Match: MatchID}, true
	}
	if t, ok := b.exact[lower]; ok {
		if strings.EqualFold(t.Title, q) {
			return Resolution{Topic: t, Match: MatchTitle}, true
		}
		return Resolution{Topic: t, Match: MatchAlias}, true
	}
	return Resolution{}, false
}

// Thresholds for trusting a full-text hit; see confident.
const (
	// minNamed is the share of a query's weight that must be in the best topic's title, id,
	// aliases or summary.
	minNamed = 0.6
	// minLead is how far the answer's score must lead any other hit's, as a ratio, unless it
	// leads that hit by minNamedLead in how much of the query it names.
	minLead      = 1.2
	minNamedLead = 0.25
)

// fullTextCandidates is how many of the best full-text hits confident weighs against each other.
const fullTextCandidates = 5

// maxShortQuery is the most distinct terms a query may have and still count as short: a short
// query that names no topic must have every term in what the answer says it is about.
const maxShortQuery = 3

// confident picks the full-text hit that answers the query, if one does.
//
// When the best hit is a topic the query names ("how does raft elect a leader" names Raft) and
// holds nearly all the query's terms, it is the answer. Otherwise a topic that merely mentions
// the query's words in its body is not one: the words that carry most of the query's weight
// (its rare terms) must be in what the topic says it is about (title, id, aliases, summary), all
// of them for a short query; all of the query's terms but one in four must be in the topic; it
// must rank first; and no other topic naming as much may come close to it in score. Failing
// that, the user is told there is no topic and offered the closest ones as guesses, which is
// better than a confident wrong answer. qterms are the query's distinct terms.
func confident(hits []hit, qterms []string, named []*Topic) (hit, bool) {
	n := len(qterms)
	enough := func(h hit) bool { return h.matched >= n-n/4 }
	if len(hits) > 0 && enough(hits[0]) && containsTopic(named, hits[0].topic) {
		return hits[0], true
	}
	need := minNamed
	if n <= maxShortQuery {
		need = 1
	}
	// The answer must also be the best-ranked hit: a topic that names the query's words but
	// ranks below one that does not is not clearly about them.
	if len(hits) == 0 || !enough(hits[0]) || hits[0].named < need-1e-9 {
		return hit{}, false
	}
	best := hits[0]
	for _, h := range hits {
		if h.topic != best.topic && h.named+minNamedLead > best.named && h.score*minLead > best.score {
			return hit{}, false
		}
	}
	return best, true
}

// Suggest returns up to n topics for a partial or misspelled input, best first: an exact name,
// names that start with the input, names with a word that starts with it, names whose start is
// within a typo of it, then full-text hits. Autocomplete and "did you mean" use it.
func (b *Base) Suggest(input string, n int) []*Topic {
	q := strings.TrimSpace(truncate(input, MaxQuery))
	var out []*Topic
	seen := make(map[*Topic]bool)
	add := func(t *Topic) {
		if !seen[t] && len(out) < n {
			seen[t] = true
			out = append(out, t)
		}
	}
	norm := normalize(q)
	if norm == "" {
		for _, t := range b.topics {
			add(t)
		}
		return out
	}
	if t, ok := b.norm[norm]; ok {
		add(t)
	}
	// Names that start with the input, then names with a word that does; shorter names first,
	// since "consis" more likely means "consistency" than a long alias that starts the same.
	for _, match := range []func(key string) bool{
		func(key string) bool { return strings.HasPrefix(key, norm) },
		func(key string) bool { return strings.Contains(key, " "+norm) },
	} {
		var keys []typoKey
		for _, k := range b.typo {
			if match(k.name) {
				keys = append(keys, k)
			}
		}
		slices.SortStableFunc(keys, func(x, y typoKey) int { return len(x.key) - len(y.key) })
		for _, k := range keys {
			add(k.topic)
		}
	}
	if qr := []rune(norm); len(qr) <= 64 {
		limit := allowedTypos(len(qr))
		var buf [3][]int
		for _, k := range b.typo {
			prefix := k.key[:min(len(k.key), len(qr))]
			if editDistance(qr, prefix, limit, &buf) <= limit {
				add(k.topic)
			}
		}
	}
	for _, h := range b.search.rank(terms(q), n) {
		add(h.topic)
	}
	return out
}

// typoKey is a normalised name of a topic, as runes for edit distance.
type typoKey struct {
	name  string // normalised
	key   []rune // name as runes
	hist  letterCounts
	topic *Topic
}

// letterCounts counts a name's letters a to z, its digits and its other runes, in 28 buckets: a
// cheap lower bound on the edit distance between two names (see below the bound).
type letterCounts [28]uint8

func countLetters(rs []rune) letterCounts {
	var h letterCounts
	for _, r := range rs {
		i := 27
		switch {
		case r >= 'a' && r <= 'z':
			i = int(r - 'a')
		case r >= '0' && r <= '9':
			i = 26
		}
		if h[i] < 255 {
			h[i]++
		}
	}
	return h
}

// below reports whether the edit distance between names with counts h and o must exceed limit.
// An insertion or deletion changes the counts' L1 distance by one, a substitution by at most two
// and a transposition not at all, so the distance is at least half the L1 distance.
func (h *letterCounts) below(o *letterCounts, limit int) bool {
	l1 := 0
	for i := range h {
		d := int(h[i]) - int(o[i])
		if d < 0 {
			d = -d
		}
		l1 += d
	}
	return (l1+1)/2 > limit
}

// allowedTypos scales the edit distance a query may be from a name with the query's length:
// none for three letters or fewer, where one edit turns a word into another, then one per
// roughly five letters.
func allowedTypos(n int) int {
	switch {
	case n <= 3:
		return 0
	case n <= 6:
		return 1
	case n <= 11:
		return 2
	default:
		return 3
	}
}

// nearest finds the topic whose name is within the allowed edit distance of q. It returns that
// topic when exactly one topic is closest, and otherwise the closest topics as suggestions.
func (b *Base) nearest(q []rune) (*Topic, []*Topic) {
	if len(q) == 0 || len(q) > 64 {
		return nil, nil
	}
	limit := allowedTypos(len(q))
	suggestLimit := limit + 1
	best := suggestLimit + 1
	var closest []*Topic
	var buf [3][]int
	qh := countLetters(q)
	for i := range b.typo {
		k := &b.typo[i]
		if d := len(k.key) - len(q); d > suggestLimit || -d > suggestLimit || qh.below(&k.hist, suggestLimit) {
			continue
		}
		d := editDistance(q, k.key, suggestLimit, &buf)
		switch {
		case d > suggestLimit:
		case d < best:
			best = d
			closest = append(closest[:0], k.topic)
		case d == best && !containsTopic(closest, k.topic):
			closest = append(closest, k.topic)
		}
	}
	if best <= limit && len(closest) == 1 {
		return closest[0], nil
	}
	if len(closest) > maxSuggestions {
		closest = closest[:maxSuggestions]
	}
	return nil, closest
}

func containsTopic(ts []*Topic, t *Topic) bool {
	for _, x := range ts {
		if x == t {
			return true
		}
	}
	return false
}

// editDistance is the optimal-string-alignment distance between a and b (insertions, deletions,
// substitutions and adjacent transpositions, each costing one), or limit+1 once it is certain to
// exceed limit. buf holds the three rows it reuses between calls.
func editDistance(a, b []rune, limit int, buf *[3][]int) int {
	for i := range buf {
		if cap(buf[i]) < len(b)+1 {
			buf[i] = make([]int, len(b)+1)
		}
		buf[i] = buf[i][:len(b)+1]
	}
	prev2, prev, cur := buf[0], buf[1], buf[2]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], limit+1)
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
