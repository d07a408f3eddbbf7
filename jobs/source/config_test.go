package source

import (
	"strings"
	"testing"
	"time"
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
