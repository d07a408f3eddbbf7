package source

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

func TestParseSourcesFile(t *testing.T) {
	good := `sources:
  - name: careers
    type: jsonld
    url: https://example.com/careers
  - name: feed
    type: rss
    url: https://example.com/jobs.rss
    every: 2h
  - name: remotive
    type: remotive
    every: 30m
`
	cfgs, err := Parse(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfgs) != 3 || cfgs[0].URL != "https://example.com/careers" || cfgs[1].Every != 2*time.Hour || cfgs[1].URL != "https://example.com/jobs.rss" {
		t.Errorf("parsed %+v", cfgs)
	}
	if every, raised := Interval(cfgs[2], 15*time.Minute); every != 6*time.Hour || !raised {
		t.Errorf("Remotive's floor: %v, %v", every, raised)
	}
	if every, raised := Interval(cfgs[0], 15*time.Minute); every != 15*time.Minute || raised {
		t.Errorf("the default interval: %v, %v", every, raised)
	}

	tests := []struct {
		name, file, want string
	}{
		{"empty", "", "empty"},
		{"no sources", "sources: []\n", "lists no source"},
		{"unknown type", "sources:\n  - name: x\n    type: monster\n", "line 2: source x: unknown type \"monster\""},
		{"duplicate", "sources:\n  - name: x\n    type: remoteok\n  - name: x\n    type: remotive\n", "line 4: the name \"x\" is already used on line 2"},
		{"bad name", "sources:\n  - name: Bad Name\n    type: remoteok\n", "line 2: source name \"Bad Name\""},
		{"missing url", "sources:\n  - name: x\n    type: rss\n", "line 2"},
		{"unknown field", "sources:\n  - name: x\n    type: remoteok\n    boards: y\n", "line 2"},
		{"bad interval", "sources:\n  - name: x\n    type: remoteok\n    every: soon\n", "line 2: every: \"soon\""},
		{"not yaml", "sources: [\n", "sources file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%v, want %q", err, tt.want)
			}
		})
	}
}

func TestBuiltinSources(t *testing.T) {
	c := NewClient("test")
	for _, cfg := range Builtin() {
		if _, err := New(cfg, c); err != nil {
			t.Errorf("built-in %s: %v", cfg.Name, err)
		}
		if cfg.Board != "" {
			t.Errorf("built-in %s needs a company token", cfg.Name)
		}
	}
}

func TestEngineeringKeepsEngineeringRoles(t *testing.T) {
	src := Engineering(fixed{{Title: "Senior SRE"}, {Title: "Account Executive"}, {Title: "Backend Developer"}, {Title: "Sales Engineer"}})
	got, err := src.Fetch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, o := range got {
		titles = append(titles, o.Title)
	}
	if strings.Join(titles, "|") != "Senior SRE|Backend Developer" {
		t.Errorf("kept %v", titles)
	}
}

func TestAttribution(t *testing.T) {
	for _, c := range []struct {
		cfg        Config
		name, home string
	}{
		{Config{Name: "remoteok", Type: "remoteok"}, "RemoteOK", "https://remoteok.com"},
		{Config{Name: "rem", Type: "remotive"}, "Remotive", "https://remotive.com"},
		{Config{Name: "seqera", Type: "greenhouse"}, "seqera", ""},
	} {
		if name, home := Attribution(c.cfg); name != c.name || home != c.home {
			t.Errorf("%+v: %q %q", c.cfg, name, home)
		}
	}
}

// fixed is a source that yields the same openings every time.
type fixed []jobs.Opening

func (fixed) Name() string { return "fixed" }
func (f fixed) Fetch(context.Context) ([]jobs.Opening, error) {
	return append([]jobs.Opening(nil), f...), nil
}

func TestExampleSourcesFile(t *testing.T) {
	data, err := os.ReadFile("../../deploy/sources.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfgs, err := Parse(strings.NewReader(string(data)))
	if err != nil {
		t.Fatalf("the example as shipped: %v", err)
	}
	if len(cfgs) != len(Builtin()) {
		t.Errorf("the example lists %d sources, the built-in list %d", len(cfgs), len(Builtin()))
	}
	// Uncommented, the company boards parse too: one of each type.
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(l, "  # "); ok && (strings.HasPrefix(rest, "- ") || strings.HasPrefix(rest, "  ")) {
			l = "  " + rest
		}
		lines = append(lines, l)
	}
	cfgs, err = Parse(strings.NewReader(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatalf("the example uncommented: %v", err)
	}
	types := map[string]bool{}
	for _, c := range cfgs {
		types[c.Type] = true
	}
	for typ := range constructors {
		if !types[typ] {
			t.Errorf("the example shows no %s source", typ)
		}
	}
}
