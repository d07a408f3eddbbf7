package knowledge

import (
	"strings"
	"unicode"

	"github.com/kljensen/snowball/english"
)

// normalize folds what a user types into the form topic keys are compared in: lower case,
// punctuation and hyphens as spaces, articles dropped, each word singular. "Vector-Clocks",
// "vector clocks" and "the vector clock" all become "vector clock".
func normalize(s string) string {
	words := splitWords(s)
	out := words[:0]
	for _, w := range words {
		switch w {
		case "a", "an", "the":
			continue
		case "versus":
			w = "vs"
		}
		out = append(out, singular(w))
	}
	return strings.Join(out, " ")
}

// splitWords lower-cases s and splits it into runs of letters and digits. Apostrophes join
// ("brewer's" is one word); every other non-alphanumeric rune separates.
func splitWords(s string) []string {
	var (
		words []string
		cur   strings.Builder
	)
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’':
			// Joined: "brewer's" stays one word.
		default:
			if cur.Len() > 0 {
				words = append(words, cur.String())
				cur.Reset()
			}
		}
	}
	if cur.Len() > 0 {
		words = append(words, cur.String())
	}
	return words
}

// singular strips a plural ending from an English word. It only needs to fold the same word the
// same way on both sides of a comparison, so it is deliberately simple.
func singular(w string) string {
	switch {
	case len(w) <= 3:
		return w
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "sses"):
		return w[:len(w)-2]
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
		return w
	case strings.HasSuffix(w, "s"):
		return w[:len(w)-1]
	}
	return w
}

// stopwords are dropped from full-text queries and documents: they carry no topic.
var stopwords = map[string]bool{
	"a": true, "about": true, "an": true, "and": true, "are": true, "as": true, "at": true,
	"be": true, "between": true, "by": true, "can": true, "could": true, "did": true, "do": true,
	"does": true, "during": true, "explain": true, "for": true, "from": true, "get": true, "happen": true, "happens": true, "how": true, "i": true, "if": true,
	"in": true, "into": true, "is": true, "it": true, "its": true, "me": true, "mean": true, "means": true, "my": true,
	"of": true, "on": true, "or": true, "should": true, "so": true, "tell": true, "than": true,
	"that": true, "the": true, "their": true, "them": true, "then": true, "there": true,
	"these": true, "they": true, "this": true, "to": true, "use": true, "used": true, "using": true,
	"was": true, "we": true, "what": true, "whats": true, "when": true, "where": true,
	"which": true, "who": true, "why": true, "will": true, "with": true, "work": true, "works": true, "would": true,
	"you": true, "your": true,
	// Words about the explanation rather than the topic: "the trade-offs of microservices",
	// "kafka vs rabbitmq", "pros and cons of caching".
	"vs": true, "versus": true, "trade": true, "off": true, "offs": true, "tradeoff": true,
	"tradeoffs": true, "pros": true, "cons": true, "advantages": true, "disadvantages": true,
	"benefits": true, "drawbacks": true, "example": true, "examples": true,
}

// terms turns text into full-text index terms: words without stop words, stemmed (Porter2), so
// "elect", "elects" and "election" meet.
func terms(s string) []string { return stems(nil).terms(s) }

// stems remembers the stem of each word seen, for indexing, where the same words come back
// thousands of times; a nil stems remembers nothing.
type stems map[string]string

func (c stems) terms(s string) []string {
	words := splitWords(s)
	out := words[:0]
	for _, w := range words {
		if stopwords[w] {
			continue
		}
		stem, ok := c[w]
		if !ok {
			stem = english.Stem(w, false)
			if c != nil {
				c[w] = stem
			}
		}
		out = append(out, stem)
	}
	return out
}

// questionPrefixes are the openings of a question that name no topic, stripped before the exact
// lookups so "what is a saga" resolves like "saga".
var questionPrefixes = []string{
	"what is", "what are", "whats", "what's", "explain", "define", "tell me about",
	"how does", "how do", "why is", "why do", "what does",
}

// stripQuestion removes one leading question phrase and a trailing question mark.
func stripQuestion(q string) string {
	q = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(q), "?!. "))
	for _, p := range questionPrefixes {
		if len(q) > len(p) && q[len(p)] == ' ' && strings.EqualFold(q[:len(p)], p) {
			return strings.TrimSpace(q[len(p):])
		}
	}
	return q
}
