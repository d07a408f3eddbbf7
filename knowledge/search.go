package knowledge

import (
	"math"
	"slices"
	"strings"
)

// BM25 parameters: the usual values (Robertson and Zaragoza, "The Probabilistic Relevance
// Framework: BM25 and Beyond", 2009).
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// Field weights: a term in a topic's title or aliases says more about it than one in its body.
// Weighting by repeating a field's terms is the simple form of BM25F.
const (
	weightTitle   = 4
	weightAlias   = 3
	weightSummary = 2
	weightBody    = 1
)

type posting struct {
	doc  int32
	tf   float32
	name bool // the term is in the topic's title, id, aliases or summary: what it is about
}

// index is an inverted index over topics, ranked with BM25.
type index struct {
	docs     []*Topic
	postings map[string][]posting
	idf      map[string]float64
	norm     []float64 // per document: k1 * (1 - b + b*len/avglen), precomputed
}

// hit is one ranked document.
type hit struct {
	topic   *Topic
	score   float64
	matched int // distinct query terms found in the document
	// named is the share of the query's weight (the sum of its distinct terms' idf, a term no
	// topic has counting as the rarest) carried by terms in the topic's title, id, aliases or
	// summary: how much of what the query is about the topic says it is about.
	named float64
}

func newIndex(topics []*Topic) *index {
	ix := &index{
		docs:     topics,
		postings: make(map[string][]posting),
		idf:      make(map[string]float64),
		norm:     make([]float64, len(topics)),
	}
	lengths := make([]float64, len(topics))
	var total float64
	cache := stems{}
	for d, t := range topics {
		tf := make(map[string]float32)
		named := make(map[string]bool)
		add := func(text string, weight float32) {
			for _, term := range cache.terms(text) {
				tf[term] += weight
				lengths[d] += float64(weight)
				if weight > weightBody {
					named[term] = true
				}
			}
		}
		add(t.Title, weightTitle)
		add(strings.ReplaceAll(t.ID, "-", " "), weightAlias)
		for _, a := range t.Aliases {
			add(a, weightAlias)
		}
		add(t.Summary, weightSummary)
		for _, s := range t.Sections {
			add(s.Body, weightBody)
		}
		for term, n := range tf {
			ix.postings[term] = append(ix.postings[term], posting{doc: int32(d), tf: n, name: named[term]})
		}
		total += lengths[d]
	}
	avg := total / math.Max(1, float64(len(topics)))
	for d := range topics {
		ix.norm[d] = bm25K1 * (1 - bm25B + bm25B*lengths[d]/math.Max(avg, 1))
	}
	n := float64(len(topics))
	for term, ps := range ix.postings {
		df := float64(len(ps))
		ix.idf[term] = math.Log(1 + (n-df+0.5)/(df+0.5))
	}
	return ix
}

// unknownIDF is the weight of a term no topic contains: that of the rarest possible term.
func (ix *index) unknownIDF() float64 {
	n := float64(len(ix.docs))
	return math.Log(1 + (n+0.5)/0.5)
}

// rank scores every document against the query terms and returns the best limit hits, best
// first. Terms are de-duplicated; unknown terms score nothing.
func (ix *index) rank(query []string, limit int) []hit {
	scores := make([]float64, len(ix.docs))
	matched := make([]int, len(ix.docs))
	named := make([]float64, len(ix.docs))
	seen := make(map[string]bool, len(query))
	var weight float64
	for _, term := range query {
		if seen[term] {
			continue
		}
		seen[term] = true
		idf, known := ix.idf[term]
		if !known {
			idf = ix.unknownIDF()
		}
		weight += idf
		for _, p := range ix.postings[term] {
			tf := float64(p.tf)
			scores[p.doc] += idf * tf * (bm25K1 + 1) / (tf + ix.norm[p.doc])
			matched[p.doc]++
			if p.name {
				named[p.doc] += idf
			}
		}
	}
	var hits []hit
	for d, s := range scores {
		if s > 0 {
			hits = append(hits, hit{topic: ix.docs[d], score: s, matched: matched[d], named: named[d] / weight})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		if a.score != b.score {
			if a.score > b.score {
				return -1
			}
			return 1
		}
		return strings.Compare(a.topic.ID, b.topic.ID)
	})
	if len(hits) > limit {
		hits = hits[:limit]
	}
	return hits
}
