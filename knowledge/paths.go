package knowledge

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

//go:embed paths/*.yaml
var builtinPaths embed.FS

// MaxWhy is the longest "why it matters" line of a path step, in characters: one line in chat.
const MaxWhy = 160

// Path is a learning path for a role: topics in the order to study them, from basics to advanced,
// each with one line on why it matters for the role.
type Path struct {
	Role  string `yaml:"role"`
	Intro string `yaml:"intro"`
	Steps []Step `yaml:"steps"`
	// File is the name the path was loaded from, for error messages.
	File string `yaml:"-"`
}

// Step is one topic of a path.
type Step struct {
	Topic string `yaml:"topic"`
	Why   string `yaml:"why"`
}

// roleNames are what people type for a role besides its id and display name.
var roleNames = map[string][]string{
	"cloud-architect":   {"cloud architect", "architect", "solutions architect", "cloud"},
	"systems-engineer":  {"systems engineer", "system engineer", "distributed systems engineer", "systems"},
	"devops-engineer":   {"devops engineer", "devops"},
	"sre":               {"site reliability engineer", "site reliability engineering", "reliability engineer"},
	"platform-engineer": {"platform engineer", "platform"},
	"backend-engineer":  {"backend engineer", "back end engineer", "backend developer", "backend"},
}

// RoleID resolves what a user typed ("SRE", "devops", "Platform engineer") to a role id.
func RoleID(input string) (string, bool) {
	n := normalize(input)
	for _, r := range roles {
		if n == normalize(r.ID) || n == normalize(r.Name) {
			return r.ID, true
		}
		for _, name := range roleNames[r.ID] {
			if n == normalize(name) {
				return r.ID, true
			}
		}
	}
	return "", false
}

// RoleName returns a role's display name, or the id when unknown.
func RoleName(id string) string {
	for _, r := range roles {
		if r.ID == id {
			return r.Name
		}
	}
	return id
}

// Path returns the learning path of a role id.
func (b *Base) Path(role string) (*Path, bool) {
	p, ok := b.paths[role]
	return p, ok
}

// StudyPlan orders topics (the topics of an opening's skills, say) from basics to advanced: by
// level, and within a level in the order given. Unknown and repeated ids are left out.
func (b *Base) StudyPlan(ids []string) []*Topic {
	var out []*Topic
	for _, id := range ids {
		if t, ok := b.byID[id]; ok && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(x, y *Topic) int {
		return slices.Index(levels, x.Level) - slices.Index(levels, y.Level)
	})
	return out
}

// readPaths parses the *.yaml files of fsys; files that do not parse become problems.
func readPaths(fsys fs.FS) ([]*Path, []Problem, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, nil, fmt.Errorf("list paths: %w", err)
	}
	var (
		paths    []*Path
		problems []Problem
	)
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, nil, fmt.Errorf("read %s: %w", name, err)
		}
		p := &Path{File: name}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(p); err != nil {
			problems = append(problems, Problem{File: "paths/" + name, Reason: err.Error()})
			continue
		}
		p.Intro = oneLine(p.Intro)
		for i := range p.Steps {
			p.Steps[i].Why = oneLine(p.Steps[i].Why)
		}
		paths = append(paths, p)
	}
	return paths, problems, nil
}

// validatePaths checks paths against the topics: one path per role, every role has one, each
// step a topic that exists, once, with a reason, and the steps ordered from basics to advanced
// (no step of a lower level after one of a higher level).
func validatePaths(paths []*Path, byID map[string]*Topic) []Problem {
	var problems []Problem
	add := func(p *Path, format string, args ...any) {
		problems = append(problems, Problem{File: "paths/" + p.File, Reason: fmt.Sprintf(format, args...)})
	}
	have := make(map[string]bool)
	for _, p := range paths {
		if !slices.ContainsFunc(roles, func(r Role) bool { return r.ID == p.Role }) {
			add(p, "role %q is not one of %s", p.Role, roleIDs())
			continue
		}
		if have[p.Role] {
			add(p, "role %q has another path", p.Role)
		}
		have[p.Role] = true
		if p.File != p.Role+".yaml" {
			add(p, "file name must be %s.yaml", p.Role)
		}
		if p.Intro == "" {
			add(p, "intro is missing: say what the path leads to")
		}
		if len(p.Steps) < 8 {
			add(p, "has %d steps, a path needs at least 8", len(p.Steps))
		}
		seen := make(map[string]bool)
		level := 0
		for i, s := range p.Steps {
			t, ok := byID[s.Topic]
			switch {
			case !ok:
				add(p, "step %d: topic %q does not exist", i+1, s.Topic)
				continue
			case seen[s.Topic]:
				add(p, "step %d: topic %q is already on the path", i+1, s.Topic)
			}
			seen[s.Topic] = true
			switch n := utf8.RuneCountInString(s.Why); {
			case n == 0:
				add(p, "step %d (%s): why is missing", i+1, s.Topic)
			case n > MaxWhy:
				add(p, "step %d (%s): why is %d characters, the limit is %d", i+1, s.Topic, n, MaxWhy)
			}
			l := slices.Index(levels, t.Level)
			if l < level {
				add(p, "step %d (%s) is %s after a step of level %s: order the path from basics to advanced",
					i+1, s.Topic, t.Level, levels[level])
			}
			level = max(level, l)
		}
	}
	for _, r := range roles {
		if !have[r.ID] {
			problems = append(problems, Problem{File: "paths/" + r.ID + ".yaml", Reason: "role " + r.ID + " has no learning path"})
		}
	}
	return problems
}

// builtinPathsFS returns the embedded path files.
func builtinPathsFS() fs.FS {
	sub, err := fs.Sub(builtinPaths, "paths")
	if err != nil {
		panic(err) // "paths" is a literal directory of the embedded FS
	}
	return sub
}

// withPaths reads, checks and attaches the paths in fsys to b.
func (b *Base) withPaths(fsys fs.FS) ([]Problem, error) {
	paths, problems, err := readPaths(fsys)
	if err != nil {
		return nil, err
	}
	problems = append(problems, validatePaths(paths, b.byID)...)
	b.paths = make(map[string]*Path, len(paths))
	for _, p := range paths {
		b.paths[p.Role] = p
	}
	return problems, nil
}
