package knowledge

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

//go:embed topics/*.md
var builtinTopics embed.FS

// Base is a loaded, validated set of topics with the indexes that resolve user input to them.
// It is immutable after Load and safe for concurrent use.
type Base struct {
	topics []*Topic // in index order: category, level, title
	byID   map[string]*Topic
	exact  map[string]*Topic // lower-cased id, title and aliases
	norm   map[string]*Topic // normalised id, title and aliases
	typo   []typoKey         // normalised keys, for edit-distance matching
	search *index            // full-text index over every topic
	paths  map[string]*Path  // learning paths by role id; only the built-in base has them
}

// InvalidError lists every problem that kept a topic base from loading.
type InvalidError struct {
	Problems []Problem
}

func (e *InvalidError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return fmt.Sprintf("%d problem(s) in the knowledge base:\n%s", len(e.Problems), strings.Join(lines, "\n"))
}

// Builtin loads the topics and learning paths embedded in the binary.
func Builtin() (*Base, error) {
	kb, err := Load(BuiltinFS())
	if err != nil {
		return nil, err
	}
	problems, err := kb.withPaths(builtinPathsFS())
	if err != nil {
		return nil, err
	}
	if problems = Errors(problems); len(problems) > 0 {
		return nil, &InvalidError{Problems: problems}
	}
	return kb, nil
}

// LintBuiltin checks the embedded topics and, when they are valid, the learning paths against
// them; the files are read and checked once.
func LintBuiltin() ([]Problem, error) {
	topics, problems, err := readTopics(BuiltinFS())
	if err != nil {
		return nil, err
	}
	problems = append(problems, Validate(topics)...)
	if len(Errors(problems)) > 0 {
		return problems, nil
	}
	more, err := New(topics).withPaths(builtinPathsFS())
	return append(problems, more...), err
}

// BuiltinFS returns the embedded topic files, for linting them as files.
func BuiltinFS() fs.FS {
	sub, err := fs.Sub(builtinTopics, "topics")
	if err != nil {
		panic(err) // "topics" is a literal directory of the embedded FS
	}
	return sub
}

// Load reads every *.md file at the root of fsys, validates the set and builds its indexes.
// It fails with an *InvalidError that lists every problem when any file is unacceptable.
func Load(fsys fs.FS) (*Base, error) {
	topics, problems, err := readTopics(fsys)
	if err != nil {
		return nil, err
	}
	problems = Errors(append(problems, Validate(topics)...))
	if len(problems) > 0 {
		return nil, &InvalidError{Problems: problems}
	}
	return New(topics), nil
}

// Lint reads and validates every topic file in fsys and returns all problems found, warnings
// included (see Errors).
func Lint(fsys fs.FS) ([]Problem, error) {
	topics, problems, err := readTopics(fsys)
	if err != nil {
		return nil, err
	}
	return append(problems, Validate(topics)...), nil
}

// readTopics parses the *.md files of fsys. Files that do not parse become problems, not errors;
// the error is for a file system that cannot be read at all.
func readTopics(fsys fs.FS) ([]Topic, []Problem, error) {
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return nil, nil, fmt.Errorf("list topics: %w", err)
	}
	if len(names) == 0 {
		return nil, nil, fmt.Errorf("no topic files (*.md) found")
	}
	var (
		topics   []Topic
		problems []Problem
	)
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", name, err)
		}
		t, err := ParseTopic(path.Base(name), data)
		if err != nil {
			problems = append(problems, Problem{File: name, Reason: err.Error()})
			continue
		}
		topics = append(topics, t)
	}
	return topics, problems, nil
}

// New indexes topics that are already valid (see Validate). Load is the usual way in; New lets
// tests and benchmarks build a base from generated topics.
func New(topics []Topic) *Base {
	b := &Base{
		byID:  make(map[string]*Topic, len(topics)),
		exact: make(map[string]*Topic, len(topics)*8),
		norm:  make(map[string]*Topic, len(topics)*8),
	}
	for i := range topics {
		t := &topics[i]
		b.topics = append(b.topics, t)
		b.byID[t.ID] = t
	}
	// Within a category, beginner topics come first: the index doubles as a reading order.
	slices.SortFunc(b.topics, func(x, y *Topic) int {
		if c := categoryRank(x.Category) - categoryRank(y.Category); c != 0 {
			return c
		}
		if c := slices.Index(levels, x.Level) - slices.Index(levels, y.Level); c != 0 {
			return c
		}
		return strings.Compare(strings.ToLower(x.Title), strings.ToLower(y.Title))
	})
	for _, t := range b.topics {
		for _, name := range t.names() {
			b.exact[strings.ToLower(strings.TrimSpace(name))] = t
			n := normalize(name)
			if _, taken := b.norm[n]; !taken {
				b.norm[n] = t
				key := []rune(n)
				b.typo = append(b.typo, typoKey{name: n, key: key, hist: countLetters(key), topic: t})
			}
		}
	}
	b.search = newIndex(b.topics)
	return b
}

// names returns everything a topic is known by: id, title, aliases.
func (t *Topic) names() []string {
	return append([]string{t.ID, t.Title}, t.Aliases...)
}

func categoryRank(id string) int {
	i := slices.IndexFunc(categories, func(c Category) bool { return c.ID == id })
	if i < 0 {
		return len(categories)
	}
	return i
}

// Len returns the number of topics.
func (b *Base) Len() int { return len(b.topics) }

// Topic returns the topic with the given id.
func (b *Base) Topic(id string) (*Topic, bool) {
	t, ok := b.byID[id]
	return t, ok
}

// Topics returns every topic in index order (by category, level, then title).
func (b *Base) Topics() []*Topic { return slices.Clone(b.topics) }

// InCategory returns the topics of one category in index order.
func (b *Base) InCategory(category string) []*Topic {
	var out []*Topic
	for _, t := range b.topics {
		if t.Category == category {
			out = append(out, t)
		}
	}
	return out
}

// Related returns the topics t links to, in the order the topic lists them.
func (b *Base) Related(t *Topic) []*Topic {
	out := make([]*Topic, 0, len(t.Related))
	for _, id := range t.Related {
		if r, ok := b.byID[id]; ok {
			out = append(out, r)
		}
	}
	return out
}

// FindCategory resolves what a user typed to a category by id, display name or a prefix of
// either, case-insensitively.
func (b *Base) FindCategory(s string) (Category, bool) {
	n := normalize(s)
	if n == "" {
		return Category{}, false
	}
	for _, c := range categories {
		if normalize(c.ID) == n || normalize(c.Name) == n {
			return c, true
		}
	}
	for _, c := range categories {
		if strings.HasPrefix(normalize(c.ID), n) || strings.HasPrefix(normalize(c.Name), n) {
			return c, true
		}
	}
	return Category{}, false
}
