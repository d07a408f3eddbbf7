package jobs

import (
	"bytes"
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// skillsYAML is the skills list: ids, names, the ways postings write them, matching rules and
// the knowledge topics each leads to. See the comment at its top for the fields.
//
//go:embed skills.yaml
var skillsYAML []byte

// Skill is one skill an opening can ask for.
type Skill struct {
	ID     string   // lowercase and stable: subscriptions and trends store it
	Name   string   // as shown to users
	Topics []string // knowledge topic ids the skill leads to
}

// Skills returns the skills list, in the order of skills.yaml.
func Skills() []Skill {
	c := skillCatalog()
	out := make([]Skill, len(c.skills))
	for i, s := range c.skills {
		out[i] = Skill{ID: s.ID, Name: s.Name, Topics: slices.Clone(s.Topics)}
	}
	return out
}

// SkillsIn returns the ids of the skills that text (an opening's title and description)
// mentions, each once, in the order of their first mention.
func SkillsIn(text string) []string {
	c := skillCatalog()
	var found []string
	seen := make([]bool, len(c.skills))
	c.scan(text, func(skill int) {
		if !seen[skill] {
			seen[skill] = true
			found = append(found, c.skills[skill].ID)
		}
	})
	return found
}

// TopicsFor returns the knowledge topic ids that skills lead to, each once, in the order of the
// skills. Unknown skill ids are ignored.
func TopicsFor(skills []string) []string {
	c := skillCatalog()
	var out []string
	for _, id := range skills {
		i, ok := c.byID[id]
		if !ok {
			continue
		}
		for _, t := range c.skills[i].Topics {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}

// SkillID resolves a word a user typed (an id, a name or an alias, in any case, with spaces,
// hyphens or underscores alike) to a skill id: "golang" is "go", "k8s" is "kubernetes".
func SkillID(word string) (string, bool) {
	c := skillCatalog()
	i, ok := c.byKey[skillKey(word)]
	if !ok {
		return "", false
	}
	return c.skills[i].ID, true
}

// closestSkill is the skill name nearest to word by edit distance, for "did you mean".
func closestSkill(word string) string {
	c := skillCatalog()
	key := skillKey(word)
	best, bestDist := "", 1<<30
	for _, k := range c.keys {
		if d := editDistance(key, k); d < bestDist {
			best, bestDist = c.skills[c.byKey[k]].ID, d
		}
	}
	return best
}

// skillKey is how SkillID compares words: lower case, hyphens and underscores as spaces, one
// space between words.
func skillKey(s string) string {
	s = strings.ToLower(strings.NewReplacer("-", " ", "_", " ").Replace(s))
	return strings.Join(strings.Fields(s), " ")
}

type skillEntry struct {
	ID      string      `yaml:"id"`
	Name    string      `yaml:"name"`
	Aliases []string    `yaml:"aliases"`
	Rules   []skillRule `yaml:"rules"`
	Topics  []string    `yaml:"topics"`
}

// skillRule is a form that needs more than word boundaries: exact letters, or the words
// around it (see skills.yaml).
type skillRule struct {
	Form    string   `yaml:"form"`
	Cased   bool     `yaml:"cased"`
	Next    []string `yaml:"next"`
	Prev    []string `yaml:"prev"`
	NotNext []string `yaml:"not_next"`
	NotPrev []string `yaml:"not_prev"`
}

// skillPattern is one form of a skill as the scanner looks for it.
type skillPattern struct {
	skill int
	form  string // as written, spaces collapsed: the letters a cased rule compares
	key   string // lower case, hyphens as spaces: what the automaton finds
	rule  *skillRule
}

// catalog is the compiled skills list. It is immutable once built.
type catalog struct {
	skills   []skillEntry
	byID     map[string]int
	byKey    map[string]int // skillKey of ids, names, aliases and rule forms
	keys     []string       // byKey's keys, sorted, for suggestions
	patterns []skillPattern
	// An Aho-Corasick automaton over byte classes, as a full transition table: one pass over a
	// text finds every form of every skill, whatever the size of the list.
	class  [256]uint8
	nclass int
	next   []int32   // state*nclass + class -> state
	out    [][]int32 // state -> patterns that end there
}

// skillCatalog is built once from the embedded list; it is data, not configuration, and never
// changes after.
var skillCatalog = sync.OnceValue(func() *catalog {
	c, err := compileSkills(skillsYAML)
	if err != nil {
		panic(err) // the embedded list is checked by the tests
	}
	return c
})

var skillIDPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func compileSkills(data []byte) (*catalog, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	c := &catalog{byID: map[string]int{}, byKey: map[string]int{}}
	if err := dec.Decode(&c.skills); err != nil {
		return nil, fmt.Errorf("skills.yaml: %w", err)
	}
	addKey := func(s string, i int) error {
		k := skillKey(s)
		if j, ok := c.byKey[k]; ok && j != i {
			return fmt.Errorf("skills.yaml: %q names both %s and %s", s, c.skills[j].ID, c.skills[i].ID)
		}
		c.byKey[k] = i
		return nil
	}
	for i := range c.skills {
		s := &c.skills[i]
		if !skillIDPattern.MatchString(s.ID) || s.Name == "" {
			return nil, fmt.Errorf("skills.yaml: skill %d: bad id %q or empty name", i+1, s.ID)
		}
		if _, dup := c.byID[s.ID]; dup {
			return nil, fmt.Errorf("skills.yaml: duplicate id %s", s.ID)
		}
		c.byID[s.ID] = i
		ruled := map[string]bool{}
		for r := range s.Rules {
			rule := &s.Rules[r]
			ruled[skillKey(rule.Form)] = true
			if err := c.addPattern(i, rule.Form, rule); err != nil {
				return nil, err
			}
			if err := addKey(rule.Form, i); err != nil {
				return nil, err
			}
		}
		for _, form := range append([]string{s.Name}, s.Aliases...) {
			if err := addKey(form, i); err != nil {
				return nil, err
			}
			if !ruled[skillKey(form)] {
				if err := c.addPattern(i, form, nil); err != nil {
					return nil, err
				}
			}
		}
		if err := addKey(s.ID, i); err != nil {
			return nil, err
		}
	}
	for k := range c.byKey {
		c.keys = append(c.keys, k)
	}
	slices.Sort(c.keys)
	c.build()
	return c, nil
}

func (c *catalog) addPattern(skill int, form string, rule *skillRule) error {
	form = strings.Join(strings.Fields(form), " ")
	if form == "" {
		return fmt.Errorf("skills.yaml: %s: empty form", c.skills[skill].ID)
	}
	key := make([]byte, len(form))
	for i := 0; i < len(form); i++ {
		b := form[i]
		if b >= 0x80 {
			return fmt.Errorf("skills.yaml: %s: form %q is not ASCII", c.skills[skill].ID, form)
		}
		switch {
		case b == '-':
			b = ' '
		case 'A' <= b && b <= 'Z':
			b += 'a' - 'A'
		}
		key[i] = b
	}
	c.patterns = append(c.patterns, skillPattern{skill: skill, form: form, key: string(key), rule: rule})
	return nil
}

// build makes the automaton: byte classes (case folded; whitespace and hyphens one class), a
// trie of the patterns' keys, then failure links folded into a full transition table.
func (c *catalog) build() {
	c.nclass = 1 // class 0: bytes no pattern contains
	assign := func(b byte) {
		if c.class[b] == 0 {
			c.class[b] = uint8(c.nclass)
			c.nclass++
		}
	}
	assign(' ')
	for _, p := range c.patterns {
		for i := 0; i < len(p.key); i++ {
			assign(p.key[i])
		}
	}
	for b := 'A'; b <= 'Z'; b++ {
		c.class[b] = c.class[b+'a'-'A']
	}
	for _, b := range []byte{'\t', '\n', '\r', '\f', '\v', '-'} {
		c.class[b] = c.class[' ']
	}
	nc := c.nclass
	newState := func() int32 {
		s := int32(len(c.next) / nc)
		for range nc {
			c.next = append(c.next, -1)
		}
		c.out = append(c.out, nil)
		return s
	}
	newState() // root
	for pi, p := range c.patterns {
		s := int32(0)
		for i := 0; i < len(p.key); i++ {
			cl := int(c.class[p.key[i]])
			t := c.next[int(s)*nc+cl]
			if t < 0 {
				t = newState()
				c.next[int(s)*nc+cl] = t
			}
			s = t
		}
		c.out[s] = append(c.out[s], int32(pi))
	}
	fail := make([]int32, len(c.out))
	var queue []int32
	for cl := range nc {
		t := c.next[cl]
		if t < 0 {
			c.next[cl] = 0
			continue
		}
		fail[t] = 0
		queue = append(queue, t)
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for cl := range nc {
			t := c.next[int(s)*nc+cl]
			f := c.next[int(fail[s])*nc+cl]
			if t < 0 {
				c.next[int(s)*nc+cl] = f
				continue
			}
			fail[t] = f
			c.out[t] = append(c.out[t], c.out[f]...)
			queue = append(queue, t)
		}
	}
}

// scan calls found with the index of each skill whose form text mentions, in text order.
func (c *catalog) scan(text string, found func(skill int)) {
	nc := c.nclass
	s := int32(0)
	for i := 0; i < len(text); i++ {
		s = c.next[int(s)*nc+int(c.class[text[i]])]
		for _, pi := range c.out[s] {
			p := &c.patterns[pi]
			if p.accepts(text, i+1-len(p.key), i+1) {
				found(p.skill)
			}
		}
	}
}

// accepts says whether the form found at text[start:end] counts: word boundaries where the
// form begins or ends with a letter or digit, then the rule.
func (p *skillPattern) accepts(text string, start, end int) bool {
	if isWordByte(p.key[0]) && start > 0 && isWordByte(text[start-1]) {
		return false
	}
	if isWordByte(p.key[len(p.key)-1]) && end < len(text) && isWordByte(text[end]) {
		return false
	}
	r := p.rule
	if r == nil {
		return true
	}
	if r.Cased {
		for i := 0; i < len(p.form); i++ {
			if b := p.form[i]; isLetter(b) && text[start+i] != b {
				return false
			}
		}
	}
	after, before := text[end:], text[:start]
	for _, s := range r.NotNext {
		if nextIs(after, s) {
			return false
		}
	}
	for _, s := range r.NotPrev {
		if prevIs(before, s) {
			return false
		}
	}
	if len(r.Next) == 0 && len(r.Prev) == 0 {
		return true
	}
	for _, s := range r.Next {
		if nextIs(after, s) {
			return true
		}
	}
	for _, s := range r.Prev {
		if prevIs(before, s) {
			return true
		}
	}
	return false
}

// nextIs says whether after starts with s, in any case; "$" is the end of a line or the text.
func nextIs(after, s string) bool {
	if s == "$" {
		return after == "" || after[0] == '\n' || after[0] == '\r'
	}
	return len(after) >= len(s) && strings.EqualFold(after[:len(s)], s)
}

// prevIs says whether before ends with s, in any case; "^" is the start of a line or the text.
func prevIs(before, s string) bool {
	if s == "^" {
		return before == "" || before[len(before)-1] == '\n'
	}
	return len(before) >= len(s) && strings.EqualFold(before[len(before)-len(s):], s)
}

// isWordByte says whether b is part of a word: an ASCII letter, digit or underscore, or a byte
// of a non-ASCII character (letters in most postings that have them).
func isWordByte(b byte) bool {
	return isLetter(b) || '0' <= b && b <= '9' || b == '_' || b >= 0x80
}

func isLetter(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
