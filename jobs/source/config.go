package source

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/careerbot/careerbot/jobs"
)

// Builtin is the source list used when no sources file is configured: boards whose endpoints
// need no company token. Aggregators list every kind of job, so wrap each of these sources in
// Engineering.
func Builtin() []Config {
	return []Config{
		{Name: "remoteok", Type: "remoteok"},
		{Name: "remotive", Type: "remotive"},
		{Name: "himalayas", Type: "himalayas"},
		{Name: "hn", Type: "hn-whoishiring"},
	}
}

// Engineering wraps src so that it yields only engineering roles (jobs.IsEngineering).
func Engineering(src Source) Source { return engineering{src} }

type engineering struct{ Source }

func (e engineering) Fetch(ctx context.Context) ([]jobs.Opening, error) {
	openings, err := e.Source.Fetch(ctx)
	return slices.DeleteFunc(openings, func(o jobs.Opening) bool { return !jobs.IsEngineering(o.Title) }), err
}

// Attribution is how careerbot names a source's openings to users, and the home page to link
// back to when the board's terms ask for one (RemoteOK and Remotive do). Company boards are
// named as the sources file names them.
func Attribution(cfg Config) (name, home string) {
	switch cfg.Type {
	case "remoteok":
		return "RemoteOK", "https://remoteok.com"
	case "remotive":
		return "Remotive", "https://remotive.com"
	case "himalayas":
		return "Himalayas", ""
	case "hn-whoishiring":
		return "Hacker News", ""
	}
	return cfg.Name, ""
}

// MinInterval is the shortest poll interval a type of source accepts, from the board's terms:
// Remotive asks for at most 4 requests a day.
var MinInterval = map[string]time.Duration{
	"remotive": 6 * time.Hour,
}

// Interval is how often cfg's source is polled: its own interval, else def, raised to the
// floor of its type. raised reports that the floor applied, for a line at start-up.
func Interval(cfg Config, def time.Duration) (every time.Duration, raised bool) {
	every = def
	if cfg.Every > 0 {
		every = cfg.Every
	}
	if floor := MinInterval[cfg.Type]; every < floor {
		return floor, true
	}
	return every, false
}

// file is the sources file: a list under "sources".
type file struct {
	Sources []yaml.Node `yaml:"sources"`
}

type entry struct {
	Name  string `yaml:"name"`
	Type  string `yaml:"type"`
	Board string `yaml:"board"`
	URL   string `yaml:"url"`
	Every string `yaml:"every"`
}

// Parse reads a sources file (DESIGN.md §3). Every problem is an error naming the line and the
// reason: an unknown type or field, a duplicate or invalid name, a bad interval, a source its
// type cannot make (a missing board or url). The file must list at least one source.
func Parse(r io.Reader) ([]Config, error) {
	data, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("read the sources file: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f file
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the sources file is empty: list sources under \"sources:\"")
		}
		return nil, fmt.Errorf("the sources file: %w", err)
	}
	if len(f.Sources) == 0 {
		return nil, errors.New("the sources file lists no source under \"sources:\"")
	}
	seen := map[string]int{}
	out := make([]Config, 0, len(f.Sources))
	client := NewClient("check")
	for _, n := range f.Sources {
		var e entry
		if err := decodeStrict(&n, &e); err != nil {
			return nil, fmt.Errorf("sources file line %d: %w", n.Line, err)
		}
		cfg := Config{Name: e.Name, Type: e.Type, Board: strings.TrimSpace(e.Board), URL: strings.TrimSpace(e.URL)}
		if e.Every != "" {
			d, err := time.ParseDuration(e.Every)
			if err != nil || d < time.Minute {
				return nil, fmt.Errorf("sources file line %d: every: %q is not a duration of at least 1m (e.g. 30m, 2h)", n.Line, e.Every)
			}
			cfg.Every = d
		}
		if first, dup := seen[cfg.Name]; dup {
			return nil, fmt.Errorf("sources file line %d: the name %q is already used on line %d", n.Line, cfg.Name, first)
		}
		seen[cfg.Name] = n.Line
		if _, err := New(cfg, client); err != nil {
			return nil, fmt.Errorf("sources file line %d: %w", n.Line, err)
		}
		out = append(out, cfg)
	}
	return out, nil
}

// decodeStrict decodes one list item, refusing fields the schema does not have.
func decodeStrict(n *yaml.Node, v any) error {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	if err := enc.Encode(n); err != nil {
		return err
	}
	dec := yaml.NewDecoder(&buf)
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	return nil
}
