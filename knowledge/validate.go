package knowledge

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Problem is one reason a topic file is not acceptable or, when Warning is set, something lint
// points out that does not stop the base from loading.
type Problem struct {
	File    string
	Reason  string
	Warning bool
}

func (p Problem) String() string {
	if p.Warning {
		return p.File + ": warning: " + p.Reason
	}
	return p.File + ": " + p.Reason
}

// Errors returns the problems that are not warnings.
func Errors(problems []Problem) []Problem {
	var out []Problem
	for _, p := range problems {
		if !p.Warning {
			out = append(out, p)
		}
	}
	return out
}

var idPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

var referenceKinds = []string{"paper", "book", "doc", "rfc", "talk", "article"}

// Reference years outside this range are typos, not history.
const (
	minReferenceYear = 1950
	maxReferenceYear = 2100
)

// Validate checks a set of topics, each on its own and against the others (unique ids, related
// links that exist, aliases that name one topic only, no alias that is another topic's id or
// title). It returns every problem it finds, sorted by file, so that a lint run reports them all
// at once, and warns about related links that are one-way.
func Validate(topics []Topic) []Problem {
	var problems []Problem
	add := func(t *Topic, format string, args ...any) {
		problems = append(problems, Problem{File: t.File, Reason: fmt.Sprintf(format, args...)})
	}

	byID := make(map[string]*Topic, len(topics))
	for i := range topics {
		t := &topics[i]
		if prev, dup := byID[t.ID]; dup && t.ID != "" {
			add(t, "id %q is already used by %s", t.ID, prev.File)
			continue
		}
		byID[t.ID] = t
	}

	// keys maps every normalised name to the topic that owns it.
	keys := make(map[string]*Topic)
	claim := func(t *Topic, name, what string) {
		k := normalize(name)
		if k == "" {
			add(t, "%s %q has no letters or digits", what, name)
			return
		}
		if owner, taken := keys[k]; taken && owner != t {
			add(t, "%s %q is already a name of %s (both read as %q)", what, name, owner.File, k)
			return
		}
		keys[k] = t
	}

	// Ids and titles first, so an alias that takes another topic's name is reported on the
	// topic with the alias, whatever the file order.
	for i := range topics {
		claim(&topics[i], topics[i].ID, "id")
		claim(&topics[i], topics[i].Title, "title")
	}
	for i := range topics {
		t := &topics[i]
		for _, reason := range checkTopic(t) {
			add(t, "%s", reason)
		}
		for _, a := range t.Aliases {
			claim(t, a, "alias")
		}
		for _, r := range t.Related {
			other, ok := byID[r]
			switch {
			case r == t.ID:
				add(t, "related lists the topic itself")
			case !ok:
				add(t, "related topic %q does not exist", r)
			case !slices.Contains(other.Related, t.ID):
				problems = append(problems, Problem{File: t.File, Warning: true,
					Reason: fmt.Sprintf("related link to %s is one-way: %s does not list %s", r, other.File, t.ID)})
			}
		}
	}
	slices.SortStableFunc(problems, func(a, b Problem) int { return strings.Compare(a.File, b.File) })
	return problems
}

// checkTopic returns what is wrong with one topic on its own.
func checkTopic(t *Topic) []string {
	var bad []string
	fail := func(format string, args ...any) { bad = append(bad, fmt.Sprintf(format, args...)) }

	switch {
	case t.ID == "":
		fail("id is missing")
	case !idPattern.MatchString(t.ID):
		fail("id %q must be lowercase words joined by hyphens", t.ID)
	case len(t.ID) > MaxID:
		fail("id %q is %d characters, the limit is %d", t.ID, len(t.ID), MaxID)
	case t.File != "" && baseName(t.File) != t.ID+".md":
		fail("file name must be %s.md", t.ID)
	}
	if t.Title == "" {
		fail("title is missing")
	} else if n := utf8.RuneCountInString(t.Title); n > MaxTitle {
		fail("title is %d characters, the limit is %d", n, MaxTitle)
	}
	for _, a := range t.Aliases {
		if a != strings.ToLower(strings.TrimSpace(a)) || a == "" {
			fail("alias %q must be lowercase and trimmed", a)
		}
	}
	if !slices.ContainsFunc(categories, func(c Category) bool { return c.ID == t.Category }) {
		fail("category %q is not one of %s", t.Category, categoryIDs())
	}
	if !slices.Contains(levels, t.Level) {
		fail("level %q is not one of %s", t.Level, strings.Join(levels, ", "))
	}

	switch n := utf8.RuneCountInString(t.Summary); {
	case n == 0:
		fail("summary is missing")
	case n > MaxSummary:
		fail("summary is %d characters, the limit is %d", n, MaxSummary)
	case repeatsTitle(t.Summary, t.Title, t.ID):
		fail("summary merely repeats the title: say what %s is and why it matters", t.Title)
	}

	if len(t.Related) < 2 {
		fail("related lists %d topics, at least 2 are required", len(t.Related))
	}
	if len(t.Roles) == 0 {
		fail("roles is empty: name whom the topic matters for")
	}
	for _, r := range t.Roles {
		if !slices.ContainsFunc(roles, func(x Role) bool { return x.ID == r }) {
			fail("role %q is not one of %s", r, roleIDs())
		}
	}

	if len(t.References) == 0 {
		fail("references is empty: at least one real source is required")
	}
	for i, r := range t.References {
		switch {
		case strings.TrimSpace(r.Title) == "":
			fail("reference %d has no title", i+1)
		case r.Year < minReferenceYear || r.Year > maxReferenceYear:
			fail("reference %q has no plausible year (%d)", r.Title, r.Year)
		case !slices.Contains(referenceKinds, r.Kind):
			fail("reference %q kind %q is not one of %s", r.Title, r.Kind, strings.Join(referenceKinds, ", "))
		}
		if r.URL != "" {
			if u, err := url.Parse(r.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				fail("reference %q url %q is not an http(s) URL", r.Title, r.URL)
			}
		}
	}

	bad = append(bad, checkSections(t.Sections)...)
	bad = append(bad, checkQuiz(t.Quiz)...)
	return bad
}

// checkQuiz requires every question to have a text, three or four distinct options of which
// exactly one is the answer, and an explanation, each within size.
func checkQuiz(quiz []Question) []string {
	var bad []string
	for i, q := range quiz {
		fail := func(format string, args ...any) {
			bad = append(bad, fmt.Sprintf("quiz question %d: ", i+1)+fmt.Sprintf(format, args...))
		}
		switch n := utf8.RuneCountInString(q.Question); {
		case n == 0:
			fail("question is missing")
		case n > MaxQuestion:
			fail("question is %d characters, the limit is %d", n, MaxQuestion)
		}
		if n := len(q.Options); n < MinOptions || n > MaxOptions {
			fail("has %d options, it needs %d or %d", n, MinOptions, MaxOptions)
		}
		seen := make(map[string]bool, len(q.Options))
		correct := 0
		for _, o := range q.Options {
			switch n := utf8.RuneCountInString(o); {
			case n == 0:
				fail("an option is empty")
			case n > MaxOption:
				fail("option %q is %d characters, the limit is %d", o, n, MaxOption)
			}
			if seen[strings.ToLower(o)] {
				fail("option %q appears twice", o)
			}
			seen[strings.ToLower(o)] = true
			if o == q.Answer {
				correct++
			}
		}
		if correct != 1 {
			fail("answer %q must be exactly one of the options (it matches %d)", q.Answer, correct)
		}
		switch n := utf8.RuneCountInString(q.Explanation); {
		case n == 0:
			fail("explanation is missing: say why the answer is right")
		case n > MaxExplanation:
			fail("explanation is %d characters, the limit is %d", n, MaxExplanation)
		}
	}
	return bad
}

// minSummaryWords is how many words a summary needs beyond those of the title and id, stop words
// left out, to be saying something about the topic.
const minSummaryWords = 5

// repeatsTitle reports whether a summary says little more than the topic's name.
func repeatsTitle(summary, title, id string) bool {
	name := make(map[string]bool)
	for _, w := range terms(title + " " + strings.ReplaceAll(id, "-", " ")) {
		name[w] = true
	}
	extra := make(map[string]bool)
	for _, w := range terms(summary) {
		if !name[w] {
			extra[w] = true
		}
	}
	return len(extra) < minSummaryWords
}

// checkSections requires exactly the four sections, in order, each present and within size.
func checkSections(sections []Section) []string {
	var bad []string
	headings := make([]string, len(sections))
	for i, s := range sections {
		headings[i] = s.Heading
		if s.Heading == "" {
			bad = append(bad, "text before the first section heading")
			continue
		}
		if strings.TrimSpace(s.Body) == "" {
			bad = append(bad, fmt.Sprintf("section %q is empty", s.Heading))
		}
		if n := utf8.RuneCountInString(s.Body); n > MaxSection {
			bad = append(bad, fmt.Sprintf("section %q is %d characters, the limit is %d", s.Heading, n, MaxSection))
		}
		if hasHeading(s.Body) {
			bad = append(bad, fmt.Sprintf("section %q contains a heading; only the four section headings are allowed", s.Heading))
		}
	}
	if !slices.Equal(slices.DeleteFunc(headings, func(h string) bool { return h == "" }), sectionOrder[:]) {
		bad = append(bad, fmt.Sprintf("sections must be exactly %q in this order", sectionOrder))
	}
	return bad
}

// hasHeading reports whether Markdown text has a heading line outside code fences.
func hasHeading(body string) bool {
	inFence := false
	for line := range strings.SplitSeq(body, "\n") {
		switch {
		case strings.HasPrefix(line, "```"):
			inFence = !inFence
		case !inFence && strings.HasPrefix(line, "#"):
			return true
		}
	}
	return false
}

func baseName(file string) string {
	if i := strings.LastIndexByte(file, '/'); i >= 0 {
		return file[i+1:]
	}
	return file
}

func categoryIDs() string {
	ids := make([]string, len(categories))
	for i, c := range categories {
		ids[i] = c.ID
	}
	return strings.Join(ids, ", ")
}

func roleIDs() string {
	ids := make([]string, len(roles))
	for i, r := range roles {
		ids[i] = r.ID
	}
	return strings.Join(ids, ", ")
}
