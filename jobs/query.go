package jobs

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The job query language of /jobs and subscriptions, as search boxes have taught people:
//
//	kafka go remote:yes              every term must hold (an implicit AND)
//	"site reliability"               a phrase, word for word; also the way to match a skill's
//	                                 word literally ("go" quoted is the text go, not the skill)
//	-php  -"on site"  -(a b)         exclusions (NOT x is the same as -x)
//	kafka OR pulsar                  either; OR binds tighter than the implicit AND, so
//	                                 `go kafka OR pulsar` is go AND (kafka OR pulsar)
//	(go OR rust) (kafka OR nats)     parentheses group
//	company: location: remote: level: type: salary: posted: visa: skill: topic: source:
//
// Words match at word boundaries in any case. A word that names a skill (an id, a name or an
// alias from skills.yaml) matches the openings that ask for that skill, so `golang` finds
// openings that say Go and `go` does not match "go live". OR, AND and NOT are operators in any
// case; AND is what juxtaposition means anyway.

// Limits of a query: longer ones are refused with a QueryError, not cut.
const (
	MaxQueryBytes = 500
	MaxQueryTerms = 50
)

// QueryError is a query that cannot be read: what is wrong, where, and a query that works.
type QueryError struct {
	Msg     string // what is wrong, naming the word
	Pos     int    // byte offset of the word in the query
	Example string // a query that works, close to what was meant
}

func (e *QueryError) Error() string {
	return fmt.Sprintf("%s (at character %d); for example: %s", e.Msg, e.Pos+1, e.Example)
}

// Query is a parsed job query. Its zero value is not usable: make one with ParseQuery.
type Query struct {
	root node
}

// ParseQuery reads a query. Every problem is a *QueryError; an accepted query never matches
// everything by accident (it has at least one term).
func ParseQuery(s string) (*Query, error) {
	if len(s) > MaxQueryBytes {
		return nil, &QueryError{Msg: fmt.Sprintf("the query is %d characters long, more than the %d allowed", len(s), MaxQueryBytes),
			Pos: MaxQueryBytes, Example: exampleQuery}
	}
	if !utf8.ValidString(s) {
		return nil, &QueryError{Msg: "the query is not valid text (UTF-8)", Example: exampleQuery}
	}
	toks, err := lex(s)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, &QueryError{Msg: "the query is empty", Example: exampleQuery}
	}
	p := &parser{toks: toks, src: s}
	root, err := p.parseAnd(false)
	if err != nil {
		return nil, err
	}
	return &Query{root: root}, nil
}

// String is the query in canonical form: lower case, one space between terms, qualifier values
// normalised (salary:>=150k, posted:<7d, level:senior). It parses back to an equal query.
func (q *Query) String() string {
	var b strings.Builder
	q.root.write(&b)
	return b.String()
}

// Required returns terms every matching opening must have, for an index to look up the rarest:
// the top-level words (a word that names a skill as "skill:<id>"), phrases (as written, lower
// case), and qualifiers other than salary: and posted: in canonical form ("remote:yes",
// "company:stripe"). Terms under OR or an exclusion are left out.
func (q *Query) Required() []string {
	kids := []node{q.root}
	if a, ok := q.root.(*andNode); ok {
		kids = a.kids
	}
	var out []string
	for _, k := range kids {
		var term string
		switch n := k.(type) {
		case *wordNode:
			term = n.word
			if n.skill != "" {
				term = "skill:" + n.skill
			}
		case *phraseNode:
			term = n.text
		case *salaryNode, *postedNode, *notNode, *orNode:
			continue
		default:
			var b strings.Builder
			k.write(&b)
			term = b.String()
		}
		if !slices.Contains(out, term) {
			out = append(out, term)
		}
	}
	return out
}

// PostedWithin is q limited to openings posted less than d ago (as posted:<d).
func (q *Query) PostedWithin(d time.Duration) *Query {
	return &Query{root: &andNode{kids: []node{q.root, &postedNode{op: "<", age: d}}}}
}

const exampleQuery = "kafka go remote:yes level:senior"

// node is one part of a parsed query. Matching and explaining live in match.go.
type node interface {
	write(b *strings.Builder)
	match(d *Doc, now time.Time) bool
	// why says, as a sentence about the opening, why d fails the node (negated: why d fails
	// the node's exclusion, that is why it matches the node).
	why(d *Doc, now time.Time, negated bool) string
}

type (
	andNode  struct{ kids []node }
	orNode   struct{ kids []node }
	notNode  struct{ kid node }
	wordNode struct {
		word, skill string // skill: the id the word names, or ""
		single      bool   // word is one indexed run of word bytes (singleRun)
	}
	phraseNode struct{ text string }
	// textNode is company: and location:, a value found at word boundaries in a field.
	textNode   struct{ field, value string }
	remoteNode struct{ remote Remote }
	levelNode  struct{ level Seniority }
	typeNode   struct{ typ EmploymentType }
	salaryNode struct {
		op       string // >=, >, <=, <, =
		amount   int64  // a year, whole units
		currency string // ISO 4217 upper case, or "" for any
	}
	postedNode struct {
		op  string // <, <=, >, >=
		age time.Duration
	}
	visaNode   struct{ visa Visa }
	skillNode  struct{ skill string }
	topicNode  struct{ topic string }
	sourceNode struct{ source string }
)

func (n *andNode) write(b *strings.Builder) {
	for i, k := range n.kids {
		if i > 0 {
			b.WriteByte(' ')
		}
		k.write(b)
	}
}

func (n *orNode) write(b *strings.Builder) {
	for i, k := range n.kids {
		if i > 0 {
			b.WriteString(" OR ")
		}
		if _, and := k.(*andNode); and {
			b.WriteByte('(')
			k.write(b)
			b.WriteByte(')')
			continue
		}
		k.write(b)
	}
}

func (n *notNode) write(b *strings.Builder) {
	b.WriteByte('-')
	switch n.kid.(type) {
	case *andNode, *orNode:
		b.WriteByte('(')
		n.kid.write(b)
		b.WriteByte(')')
	default:
		n.kid.write(b)
	}
}

func (n *wordNode) write(b *strings.Builder) {
	if _, ok := currencies[n.word]; ok {
		// In parentheses, a word such as eur cannot be read back as the currency of a
		// salary: term before it.
		b.WriteString("(" + n.word + ")")
		return
	}
	b.WriteString(n.word)
}

func (n *phraseNode) write(b *strings.Builder) { b.WriteString(`"` + n.text + `"`) }
func (n *textNode) write(b *strings.Builder)   { b.WriteString(n.field + ":" + quoteValue(n.value)) }
func (n *remoteNode) write(b *strings.Builder) { b.WriteString("remote:" + remoteWord[n.remote]) }
func (n *levelNode) write(b *strings.Builder)  { b.WriteString("level:" + string(n.level)) }
func (n *typeNode) write(b *strings.Builder)   { b.WriteString("type:" + string(n.typ)) }
func (n *visaNode) write(b *strings.Builder)   { b.WriteString("visa:" + string(n.visa)) }
func (n *skillNode) write(b *strings.Builder)  { b.WriteString("skill:" + n.skill) }
func (n *topicNode) write(b *strings.Builder)  { b.WriteString("topic:" + n.topic) }
func (n *sourceNode) write(b *strings.Builder) { b.WriteString("source:" + n.source) }

func (n *salaryNode) write(b *strings.Builder) {
	b.WriteString("salary:" + n.op + formatAmount(n.amount))
	if n.currency != "" {
		b.WriteString(" " + strings.ToLower(n.currency))
	}
}

func (n *postedNode) write(b *strings.Builder) {
	h := int64(n.age / time.Hour)
	switch {
	case h%(24*7) == 0:
		fmt.Fprintf(b, "posted:%s%dw", n.op, h/(24*7))
	case h%24 == 0:
		fmt.Fprintf(b, "posted:%s%dd", n.op, h/24)
	default:
		fmt.Fprintf(b, "posted:%s%dh", n.op, h)
	}
}

// quoteValue quotes a qualifier value that would not read back as one word.
func quoteValue(v string) string {
	if strings.ContainsFunc(v, func(r rune) bool { return isSpace(r) || r == '(' || r == ')' || r == '"' }) {
		return `"` + v + `"`
	}
	return v
}

func formatAmount(n int64) string {
	switch {
	case n%1_000_000 == 0:
		return strconv.FormatInt(n/1_000_000, 10) + "m"
	case n%1000 == 0:
		return strconv.FormatInt(n/1000, 10) + "k"
	}
	return strconv.FormatInt(n, 10)
}

// Lexing.

type tokKind int

const (
	tWord tokKind = iota
	tPhrase
	tQual
	tOpen
	tClose
	tOr
	tAnd
	tNot
)

type token struct {
	kind  tokKind
	text  string // a word as typed; a phrase's or a qualifier's value
	name  string // a qualifier's name, lower case
	pos   int
	end   int  // a qualifier's end: src[pos:end] is the term as typed
	quote bool // the qualifier's value was quoted
}

// qualifiers are the known qualifier names, each with an example of its use.
var qualifiers = map[string]string{
	"company":  "company:stripe",
	"location": "location:berlin",
	"remote":   "remote:yes",
	"level":    "level:senior",
	"type":     "type:full-time",
	"salary":   "salary:>=150k",
	"posted":   "posted:<7d",
	"visa":     "visa:yes",
	"skill":    "skill:kubernetes",
	"topic":    "topic:raft",
	"source":   "source:remoteok",
}

func isSpace(r rune) bool { return unicode.IsSpace(r) }

func lex(s string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isSpace(r):
			i += size
		case r == '(':
			toks = append(toks, token{kind: tOpen, pos: i})
			i++
		case r == ')':
			toks = append(toks, token{kind: tClose, pos: i})
			i++
		case r == '-':
			if i+1 == len(s) || strings.ContainsRune(" \t\n\r)", rune(s[i+1])) {
				return nil, &QueryError{Msg: `"-" excludes nothing: put the word right after it, as in -php`, Pos: i, Example: "kafka -php"}
			}
			toks = append(toks, token{kind: tNot, pos: i})
			i++
		case r == '"':
			text, end, err := lexQuoted(s, i)
			if err != nil {
				return nil, err
			}
			if text == "" {
				return nil, &QueryError{Msg: `"" is an empty phrase: put words between the quotes`, Pos: i, Example: `"site reliability"`}
			}
			toks = append(toks, token{kind: tPhrase, text: text, pos: i})
			i = end
		default:
			start := i
			for i < len(s) {
				r, size := utf8.DecodeRuneInString(s[i:])
				if isSpace(r) || r == '(' || r == ')' || r == '"' {
					break
				}
				i += size
			}
			word := s[start:i]
			switch strings.ToUpper(word) {
			case "OR":
				toks = append(toks, token{kind: tOr, text: word, pos: start})
				continue
			case "AND":
				toks = append(toks, token{kind: tAnd, text: word, pos: start})
				continue
			case "NOT":
				toks = append(toks, token{kind: tNot, text: word, pos: start})
				continue
			}
			// Decided on the lower-case word, as the canonical form writes it: some letters
			// ("İ", the Kelvin sign) become ASCII only then.
			lower := strings.ToLower(word)
			colon := strings.IndexByte(lower, ':')
			if colon <= 0 || strings.IndexFunc(lower[:colon], func(r rune) bool { return r < 'a' || r > 'z' }) >= 0 {
				toks = append(toks, token{kind: tWord, text: word, pos: start})
				continue
			}
			name := lower[:colon]
			if _, ok := qualifiers[name]; !ok {
				return nil, unknownQualifier(name, start)
			}
			t := token{kind: tQual, name: name, text: lower[colon+1:], pos: start}
			if t.text == "" && i < len(s) && s[i] == '"' {
				text, end, err := lexQuoted(s, i)
				if err != nil {
					return nil, err
				}
				t.text, t.quote, i = text, true, end
			}
			t.end = i
			if t.text == "" {
				return nil, &QueryError{Msg: fmt.Sprintf("%q has no value: write it right after the colon", name+":"), Pos: start, Example: qualifiers[name]}
			}
			toks = append(toks, t)
		}
	}
	return toks, nil
}

// lexQuoted reads the quoted text that starts at s[i] == '"': its words, lower case, one space
// apart, and the offset after the closing quote.
func lexQuoted(s string, i int) (string, int, error) {
	end := strings.IndexByte(s[i+1:], '"')
	if end < 0 {
		return "", 0, &QueryError{Msg: "this quote is never closed: end the phrase with another \"", Pos: i, Example: `"site reliability" kafka`}
	}
	text := strings.Join(strings.Fields(strings.ToLower(s[i+1:i+1+end])), " ")
	return text, i + end + 2, nil
}

func unknownQualifier(name string, pos int) *QueryError {
	best, bestDist := "", 1<<30
	for q := range qualifiers {
		if d := editDistance(strings.ToLower(name), q); d < bestDist || d == bestDist && q < best {
			best, bestDist = q, d
		}
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for q := range qualifiers {
			if !yield(q + ":") {
				return
			}
		}
	})
	msg := fmt.Sprintf("%q is not a qualifier", name+":")
	if bestDist <= 2 {
		msg += fmt.Sprintf(" (did you mean %s:?)", best)
	} else {
		msg += "; the qualifiers are " + strings.Join(names, " ")
	}
	return &QueryError{Msg: msg, Pos: pos, Example: qualifiers[best]}
}

// Parsing: query = and; and = or {["AND"] or}; or = unary {"OR" unary};
// unary = {"-" | "NOT"} primary; primary = word | phrase | qualifier | "(" and ")".

type parser struct {
	toks  []token
	i     int
	terms int
	src   string
}

func (p *parser) peek() *token {
	if p.i < len(p.toks) {
		return &p.toks[p.i]
	}
	return nil
}

func (p *parser) parseAnd(inParens bool) (node, error) {
	var kids []node
	for {
		t := p.peek()
		if t == nil || t.kind == tClose {
			break
		}
		switch t.kind {
		case tOr:
			return nil, &QueryError{Msg: fmt.Sprintf("%q needs a term before it", t.text), Pos: t.pos, Example: "kafka OR pulsar"}
		case tAnd:
			if len(kids) == 0 {
				return nil, &QueryError{Msg: fmt.Sprintf("%q needs a term before it", t.text), Pos: t.pos, Example: "kafka AND go"}
			}
			p.i++
			if n := p.peek(); n == nil || n.kind == tClose || n.kind == tOr || n.kind == tAnd {
				return nil, &QueryError{Msg: fmt.Sprintf("%q needs a term after it", t.text), Pos: t.pos, Example: "kafka AND go"}
			}
			continue
		}
		n, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if a, ok := n.(*andNode); ok {
			kids = append(kids, a.kids...)
		} else {
			kids = append(kids, n)
		}
	}
	if t := p.peek(); t != nil && t.kind == tClose && !inParens {
		return nil, &QueryError{Msg: `this ")" closes nothing: remove it or add a "(" before`, Pos: t.pos, Example: "(kafka OR pulsar) go"}
	}
	if len(kids) == 0 {
		if inParens {
			return nil, &QueryError{Msg: `"()" is empty: put terms between the parentheses`, Pos: p.toks[p.i-1].pos, Example: "(kafka OR pulsar) go"}
		}
		return nil, &QueryError{Msg: "the query is empty", Example: exampleQuery}
	}
	if len(kids) == 1 {
		return kids[0], nil
	}
	return &andNode{kids: kids}, nil
}

func (p *parser) parseOr() (node, error) {
	n, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	kids := []node{n}
	for {
		t := p.peek()
		if t == nil || t.kind != tOr {
			break
		}
		p.i++
		if m := p.peek(); m == nil || m.kind == tClose || m.kind == tOr || m.kind == tAnd {
			return nil, &QueryError{Msg: fmt.Sprintf("%q needs a term after it", t.text), Pos: t.pos, Example: "kafka OR pulsar"}
		}
		m, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		if o, ok := m.(*orNode); ok {
			kids = append(kids, o.kids...)
		} else {
			kids = append(kids, m)
		}
	}
	if len(kids) == 1 {
		return kids[0], nil
	}
	if o, ok := kids[0].(*orNode); ok { // "(a OR b) OR c"
		kids = append(slices.Clone(o.kids), kids[1:]...)
	}
	return &orNode{kids: kids}, nil
}

func (p *parser) parseUnary() (node, error) {
	negate := false
	for t := p.peek(); t != nil && t.kind == tNot; t = p.peek() {
		negate = !negate
		p.i++
		if n := p.peek(); n == nil || n.kind == tClose || n.kind == tOr || n.kind == tAnd {
			return nil, &QueryError{Msg: "an exclusion needs a term after it", Pos: t.pos, Example: "kafka -php"}
		}
	}
	n, err := p.parsePrimary()
	if err != nil {
		return nil, err
	}
	if negate {
		if inner, ok := n.(*notNode); ok { // -(-a)
			return inner.kid, nil
		}
		return &notNode{kid: n}, nil
	}
	return n, nil
}

func (p *parser) parsePrimary() (node, error) {
	t := p.peek()
	p.i++
	if t.kind != tOpen {
		p.terms++
		if p.terms > MaxQueryTerms {
			return nil, &QueryError{Msg: fmt.Sprintf("the query has more than %d terms", MaxQueryTerms), Pos: t.pos, Example: exampleQuery}
		}
	}
	switch t.kind {
	case tWord:
		w := strings.ToLower(t.text)
		id, _ := SkillID(w)
		return &wordNode{word: w, skill: id, single: singleRun(w)}, nil
	case tPhrase:
		return &phraseNode{text: t.text}, nil
	case tQual:
		return p.qualifier(t)
	case tOpen:
		n, err := p.parseAnd(true)
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c == nil || c.kind != tClose {
			return nil, &QueryError{Msg: `this "(" is never closed: add a ")"`, Pos: t.pos, Example: "(kafka OR pulsar) go"}
		}
		p.i++
		return n, nil
	}
	// tClose, tOr and tAnd are handled by the callers.
	return nil, &QueryError{Msg: fmt.Sprintf("unexpected %q", t.text), Pos: t.pos, Example: exampleQuery}
}

var (
	topicOrSource = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	remoteWord    = map[Remote]string{RemoteYes: "yes", RemoteNo: "no", RemoteHybrid: "hybrid"}
	remoteValues  = map[string]Remote{"yes": RemoteYes, "true": RemoteYes, "remote": RemoteYes,
		"no": RemoteNo, "false": RemoteNo, "onsite": RemoteNo, "on-site": RemoteNo, "office": RemoteNo, "hybrid": RemoteHybrid}
	levelValues = map[string]Seniority{"intern": SeniorityIntern, "junior": SeniorityJunior, "jr": SeniorityJunior,
		"entry": SeniorityJunior, "mid": SeniorityMid, "intermediate": SeniorityMid, "senior": SenioritySenior,
		"sr": SenioritySenior, "staff": SeniorityStaff, "principal": SeniorityPrincipal, "lead": SeniorityLead,
		"manager": SeniorityLead}
	typeValues = map[string]EmploymentType{"full-time": TypeFullTime, "fulltime": TypeFullTime, "full": TypeFullTime,
		"part-time": TypePartTime, "parttime": TypePartTime, "part": TypePartTime, "contract": TypeContract,
		"contractor": TypeContract, "freelance": TypeContract, "internship": TypeInternship, "intern": TypeInternship}
	visaValues = map[string]Visa{"yes": VisaYes, "true": VisaYes, "no": VisaNo, "false": VisaNo}
	// currencies a salary: filter names, as codes; symbols map onto them.
	currencies = map[string]string{"usd": "USD", "eur": "EUR", "gbp": "GBP", "cad": "CAD", "aud": "AUD",
		"chf": "CHF", "jpy": "JPY", "inr": "INR", "sek": "SEK", "nok": "NOK", "dkk": "DKK", "pln": "PLN",
		"nzd": "NZD", "sgd": "SGD", "brl": "BRL", "mxn": "MXN", "czk": "CZK", "ils": "ILS", "zar": "ZAR",
		"hkd": "HKD", "cny": "CNY", "aed": "AED", "$": "USD", "€": "EUR", "£": "GBP"}
)

func (p *parser) qualifier(t *token) (node, error) {
	v := strings.ToLower(t.text)
	bad := func(msg string) error {
		return &QueryError{Msg: fmt.Sprintf("%s: %s", p.src[t.pos:t.end], msg), Pos: t.pos, Example: qualifiers[t.name]}
	}
	switch t.name {
	case "company", "location":
		v = strings.Join(strings.Fields(v), " ")
		if v == "" {
			return nil, bad("the value is empty")
		}
		return &textNode{field: t.name, value: v}, nil
	case "remote":
		if r, ok := remoteValues[v]; ok {
			return &remoteNode{remote: r}, nil
		}
		return nil, bad("remote: is yes, no or hybrid, as in remote:yes")
	case "level":
		if l, ok := levelValues[v]; ok {
			return &levelNode{level: l}, nil
		}
		return nil, bad("not a level; the levels are intern, junior, mid, senior, staff, principal and lead")
	case "type":
		if e, ok := typeValues[v]; ok {
			return &typeNode{typ: e}, nil
		}
		return nil, bad("not a type; the types are full-time, part-time, contract and internship")
	case "visa":
		if x, ok := visaValues[v]; ok {
			return &visaNode{visa: x}, nil
		}
		return nil, bad("visa: is yes or no")
	case "skill":
		if id, ok := SkillID(v); ok {
			return &skillNode{skill: id}, nil
		}
		return nil, &QueryError{Msg: fmt.Sprintf("%q is not a skill I know (did you mean skill:%s?)", t.text, closestSkill(v)),
			Pos: t.pos, Example: "skill:" + closestSkill(v)}
	case "topic", "source":
		if !topicOrSource.MatchString(v) {
			return nil, bad(fmt.Sprintf("a %s is lower-case letters, digits and hyphens", t.name))
		}
		if t.name == "topic" {
			return &topicNode{topic: v}, nil
		}
		return &sourceNode{source: v}, nil
	case "salary":
		return p.salary(t, v, bad)
	case "posted":
		return postedFilter(v, bad)
	}
	return nil, bad("unknown qualifier") // unreachable: lex checks the name
}

// salary reads ">=150k", "150000", ">=$120k", ">=120keur", "<=1.5m", and takes a currency code
// from the next word when one follows ("salary:>=120k eur").
func (p *parser) salary(t *token, v string, bad func(string) error) (node, error) {
	n := &salaryNode{op: ">="}
	for _, op := range []string{">=", "<=", ">", "<", "="} {
		if rest, ok := strings.CutPrefix(v, op); ok {
			n.op, v = op, rest
			break
		}
	}
	for _, sym := range []string{"$", "€", "£"} {
		if rest, ok := strings.CutPrefix(v, sym); ok {
			n.currency, v = currencies[sym], rest
			break
		}
	}
	if len(v) > 3 && currencies[v[:3]] != "" && v[3] >= '0' && v[3] <= '9' { // "usd150k"
		n.currency, v = currencies[v[:3]], v[3:]
	}
	end := 0
	for end < len(v) && (v[end] >= '0' && v[end] <= '9' || v[end] == '.' || v[end] == ',') {
		end++
	}
	num, rest := strings.ReplaceAll(v[:end], ",", ""), v[end:]
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || num == "" || strings.HasPrefix(num, ".") {
		return nil, bad("the amount is not a number; write it as 150k, 150000 or 1.5m")
	}
	switch {
	case strings.HasPrefix(rest, "k"):
		f, rest = f*1e3, rest[1:]
	case strings.HasPrefix(rest, "m"):
		f, rest = f*1e6, rest[1:]
	}
	rest = strings.TrimPrefix(rest, "-")
	if rest != "" {
		code, ok := currencies[rest]
		if !ok || n.currency != "" {
			return nil, bad(fmt.Sprintf("%q is not a currency; write a code such as usd or eur", rest))
		}
		n.currency = code
	}
	if f < 1 || f > 1e10 {
		return nil, bad("the amount is out of range")
	}
	n.amount = int64(f + 0.5)
	if n.currency == "" {
		if c := p.peek(); c != nil && c.kind == tWord {
			if code, ok := currencies[strings.ToLower(c.text)]; ok && len(c.text) == 3 {
				n.currency = code
				p.i++
			}
		}
	}
	return n, nil
}

// postedFilter reads "<7d", "<48h", "<=2w", ">30d"; with no operator, "7d" means within.
func postedFilter(v string, bad func(string) error) (node, error) {
	n := &postedNode{op: "<"}
	for _, op := range []string{"<=", ">=", "<", ">"} {
		if rest, ok := strings.CutPrefix(v, op); ok {
			n.op, v = op, rest
			break
		}
	}
	if len(v) < 2 {
		return nil, bad("write an age such as 7d, 48h or 2w")
	}
	unit := map[byte]time.Duration{'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[v[len(v)-1]]
	count, err := strconv.Atoi(v[:len(v)-1])
	if unit == 0 || err != nil || count < 1 || v[0] == '+' || v[0] == '-' {
		return nil, bad("write an age such as 7d, 48h or 2w")
	}
	if time.Duration(count)*unit > 10*365*24*time.Hour {
		return nil, bad("the age is more than ten years")
	}
	n.age = time.Duration(count) * unit
	return n, nil
}
