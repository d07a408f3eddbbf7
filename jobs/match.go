package jobs

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Doc is an opening prepared for matching: lower-cased text and its skills and topics, made
// once so that many queries can be evaluated against one opening cheaply.
type Doc struct {
	Opening   *Opening
	text      string          // title, company, locations and description, lower case, one space apart
	company   string          // lower case
	locations []string        // lower case
	skills    []string        // SkillsIn(title + description)
	topics    []string        // TopicsFor(skills)
	words     map[string]bool // the words of text, when made (prepareWords)
}

// prepareWords makes the set of d's words, once: a Doc evaluated against many queries one after
// another then finds a word without reading its text. Not for a Doc that other goroutines
// match at the same time (Matcher.Match needs no such set).
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

// Index prepares o for matching.
func Index(o *Opening) *Doc { return newDoc(o, docText(o), SkillsIn(o.Title+"\n"+o.Description)) }

// docText is what an opening's words are read from: the same lower-cased text Doc matches.
func docText(o *Opening) string {
	parts := append([]string{o.Title, o.Company}, o.Locations...)
	parts = append(parts, o.Description)
	return strings.Join(strings.Fields(strings.ToLower(strings.Join(parts, "\n"))), " ")
}

// newDoc is o prepared with its text (docText) and skills, made already.
func newDoc(o *Opening, text string, skills []string) *Doc {
	locs := make([]string, len(o.Locations))
	for i, l := range o.Locations {
		locs[i] = strings.ToLower(l)
	}
	return &Doc{Opening: o, text: text, company: strings.ToLower(o.Company), locations: locs,
		skills: skills, topics: TopicsFor(skills)}
}

// Skills returns the ids of the skills the opening asks for, in the order of first mention.
func (d *Doc) Skills() []string { return slices.Clone(d.skills) }

// Match says whether o matches the query at now (posted: counts back from now).
func (q *Query) Match(o *Opening, now time.Time) bool { return q.root.match(Index(o), now) }

// MatchDoc says whether the indexed opening matches the query at now.
func (q *Query) MatchDoc(d *Doc, now time.Time) bool { return q.root.match(d, now) }

// Explain says in a sentence which part of the query the opening fails first, and why
// ("remote:yes: this opening is onsite in Berlin"); "" when the opening matches.
func (q *Query) Explain(d *Doc, now time.Time) string {
	if q.root.match(d, now) {
		return ""
	}
	n := q.root
	if a, ok := n.(*andNode); ok {
		n = a.failing(d, now)
	}
	var b strings.Builder
	n.write(&b)
	return b.String() + ": " + n.why(d, now, false)
}

// containsWord says whether w occurs in text with no letter or digit right before or after it
// (where w itself begins or ends with one).
func containsWord(text, w string) bool {
	if w == "" {
		return false
	}
	for off := 0; ; {
		i := strings.Index(text[off:], w)
		if i < 0 {
			return false
		}
		start, end := off+i, off+i+len(w)
		if (start == 0 || !isWordByte(w[0]) || !isWordByte(text[start-1])) &&
			(end == len(text) || !isWordByte(w[len(w)-1]) || !isWordByte(text[end])) {
			return true
		}
		off = start + 1
	}
}

func (n *andNode) match(d *Doc, now time.Time) bool {
	for _, k := range n.kids {
		if !k.match(d, now) {
			return false
		}
	}
	return true
}

func (n *andNode) failing(d *Doc, now time.Time) node {
	for _, k := range n.kids {
		if !k.match(d, now) {
			return k
		}
	}
	return nil
}

func (n *andNode) why(d *Doc, now time.Time, negated bool) string {
	if negated {
		return "the opening matches all of " + termString(n)
	}
	k := n.failing(d, now)
	return termString(k) + ": " + k.why(d, now, false)
}

func (n *orNode) match(d *Doc, now time.Time) bool {
	for _, k := range n.kids {
		if k.match(d, now) {
			return true
		}
	}
	return false
}

func (n *orNode) why(d *Doc, now time.Time, negated bool) string {
	if negated {
		for _, k := range n.kids {
			if k.match(d, now) {
				return "the opening matches " + termString(k) + ": " + k.why(d, now, true)
			}
		}
	}
	reasons := make([]string, len(n.kids))
	for i, k := range n.kids {
		reasons[i] = k.why(d, now, false)
	}
	return "none of them holds: " + strings.Join(reasons, "; ")
}

func (n *notNode) match(d *Doc, now time.Time) bool { return !n.kid.match(d, now) }
func (n *notNode) why(d *Doc, now time.Time, negated bool) string {
	return n.kid.why(d, now, !negated)
}

func (n *wordNode) match(d *Doc, _ time.Time) bool {
	if n.skill != "" {
		return slices.Contains(d.skills, n.skill)
	}
	if d.words != nil && n.single {
		return d.words[n.word] // one word: the same as containsWord, without reading the text
	}
	return containsWord(d.text, n.word)
}

func (n *wordNode) why(d *Doc, _ time.Time, negated bool) string {
	if n.skill != "" {
		return skillFact(d, n.skill)
	}
	if negated {
		return "the opening mentions " + n.word
	}
	return "the opening does not mention " + n.word
}

func (n *phraseNode) match(d *Doc, _ time.Time) bool { return containsWord(d.text, n.text) }
func (n *phraseNode) why(_ *Doc, _ time.Time, negated bool) string {
	if negated {
		return fmt.Sprintf("the opening says %q", n.text)
	}
	return fmt.Sprintf("the opening never says %q", n.text)
}

func (n *textNode) match(d *Doc, _ time.Time) bool {
	if n.field == "company" {
		return containsWord(d.company, n.value)
	}
	if n.value == "remote" && d.Opening.Remote == RemoteYes {
		return true
	}
	for _, l := range d.locations {
		if containsWord(l, n.value) {
			return true
		}
	}
	return false
}

func (n *textNode) why(d *Doc, _ time.Time, _ bool) string {
	o := d.Opening
	if n.field == "company" {
		if o.Company == "" {
			return "this opening names no company"
		}
		return "this opening is at " + o.Company
	}
	if len(o.Locations) == 0 {
		return "this opening states no location"
	}
	return "this opening is in " + strings.Join(o.Locations, "; ")
}

func (n *remoteNode) match(d *Doc, _ time.Time) bool { return d.Opening.Remote == n.remote }
func (n *remoteNode) why(d *Doc, _ time.Time, _ bool) string {
	o := d.Opening
	in := ""
	if len(o.Locations) > 0 {
		in = " in " + strings.Join(o.Locations, "; ")
	}
	switch o.Remote {
	case RemoteYes:
		return "this opening is remote" + in
	case RemoteHybrid:
		return "this opening is hybrid" + in
	case RemoteNo:
		return "this opening is onsite" + in
	}
	return "this opening does not say whether it is remote"
}

func (n *levelNode) match(d *Doc, _ time.Time) bool { return d.Opening.Seniority == n.level }
func (n *levelNode) why(d *Doc, _ time.Time, _ bool) string {
	if d.Opening.Seniority == SeniorityUnknown {
		return "this opening does not state a level"
	}
	return fmt.Sprintf("this opening is at %s level", d.Opening.Seniority)
}

func (n *typeNode) match(d *Doc, _ time.Time) bool { return d.Opening.EmploymentType == n.typ }
func (n *typeNode) why(d *Doc, _ time.Time, _ bool) string {
	if d.Opening.EmploymentType == TypeUnknown {
		return "this opening does not state its type of contract"
	}
	return fmt.Sprintf("this opening is %s", d.Opening.EmploymentType)
}

func (n *visaNode) match(d *Doc, _ time.Time) bool { return d.Opening.Visa == n.visa }
func (n *visaNode) why(d *Doc, _ time.Time, _ bool) string {
	switch d.Opening.Visa {
	case VisaYes:
		return "this opening sponsors visas"
	case VisaNo:
		return "this opening says it does not sponsor visas"
	}
	return "this opening does not say whether it sponsors visas"
}

func (n *skillNode) match(d *Doc, _ time.Time) bool         { return slices.Contains(d.skills, n.skill) }
func (n *skillNode) why(d *Doc, _ time.Time, _ bool) string { return skillFact(d, n.skill) }

func skillFact(d *Doc, skill string) string {
	name := skill
	if i, ok := skillCatalog().byID[skill]; ok {
		name = skillCatalog().skills[i].Name
	}
	if slices.Contains(d.skills, skill) {
		return "this opening asks for " + name
	}
	return "this opening does not ask for " + name
}

func (n *topicNode) match(d *Doc, _ time.Time) bool { return slices.Contains(d.topics, n.topic) }
func (n *topicNode) why(d *Doc, _ time.Time, _ bool) string {
	if slices.Contains(d.topics, n.topic) {
		return "this opening's skills lead to " + n.topic
	}
	return "none of this opening's skills leads to " + n.topic
}

func (n *sourceNode) match(d *Doc, _ time.Time) bool { return d.Opening.Source == n.source }
func (n *sourceNode) why(d *Doc, _ time.Time, _ bool) string {
	return "this opening is from " + d.Opening.Source
}

// salaryNode compares yearly amounts: >= and > the top of the opening's range (it can pay
// that much), <= and < its bottom, = whether the amount is within the range.
func (n *salaryNode) match(d *Doc, _ time.Time) bool {
	s := d.Opening.Salary
	if s == nil || n.currency != "" && s.Currency != n.currency {
		return false
	}
	lo, hi := s.Yearly()
	switch n.op {
	case ">=":
		return hi >= n.amount
	case ">":
		return hi > n.amount
	case "<=":
		return lo <= n.amount
	case "<":
		return lo < n.amount
	}
	return lo <= n.amount && n.amount <= hi
}

func (n *salaryNode) why(d *Doc, _ time.Time, _ bool) string {
	s := d.Opening.Salary
	if s == nil {
		return "this opening states no salary"
	}
	if n.currency != "" && s.Currency != n.currency {
		if s.Currency == "" {
			return "this opening does not say in which currency it pays"
		}
		return fmt.Sprintf("this opening pays in %s, not %s", s.Currency, n.currency)
	}
	pay := "this opening pays " + s.String()
	if s.Period != PerYear && s.Period != "" {
		lo, hi := s.Yearly()
		pay += " (" + payRange(lo, hi, s.Currency) + " a year)"
	}
	return pay
}

// String is the salary as people read it: "90,000–110,000 EUR a year", "80–100 USD an hour".
func (s Salary) String() string {
	per := map[Period]string{PerHour: " an hour", PerMonth: " a month"}[s.Period]
	if per == "" {
		per = " a year"
	}
	return payRange(s.Min, s.Max, s.Currency) + per
}

func payRange(lo, hi int64, currency string) string {
	r := groupThousands(lo)
	if hi != lo {
		r += "–" + groupThousands(hi)
	}
	if currency != "" {
		r += " " + currency
	}
	return r
}

func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// postedNode counts an opening's age from its posting date, or from when it was first seen
// when the board gives none; an opening with neither never matches.
func (n *postedNode) match(d *Doc, now time.Time) bool {
	t := postedAt(d.Opening)
	if t.IsZero() {
		return false
	}
	age := now.Sub(t)
	switch n.op {
	case "<=":
		return age <= n.age
	case ">":
		return age > n.age
	case ">=":
		return age >= n.age
	}
	return age < n.age
}

func (n *postedNode) why(d *Doc, now time.Time, _ bool) string {
	t := postedAt(d.Opening)
	if t.IsZero() {
		return "this opening has no posting date"
	}
	age := now.Sub(t)
	switch {
	case age < 0:
		return "this opening's posting date is in the future"
	case age < 48*time.Hour:
		return fmt.Sprintf("this opening was posted %d hours ago", int(age.Hours()))
	}
	return fmt.Sprintf("this opening was posted %d days ago", int(age.Hours()/24))
}

func postedAt(o *Opening) time.Time {
	if !o.Posted.IsZero() {
		return o.Posted
	}
	return o.FirstSeen
}

func termString(n node) string {
	var b strings.Builder
	n.write(&b)
	return b.String()
}

// Topics returns the knowledge topic ids the opening's skills lead to.
func (d *Doc) Topics() []string { return slices.Clone(d.topics) }
