package main

import (
	"strings"
	"testing"
)

func TestMistypedCommandSuggestion(t *testing.T) {
	tests := []struct {
		typed string
		want  string // the suggested command; "" for none
	}{
		{"explian", "explain"},
		{"serv", "serve"},
		{"topcs", "topics"},
		{"knowlege", "knowledge"},
		{"Serve", "serve"},
		{"zzzzzz", ""},
		{"x", ""},
		{"sl", ""},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := runCLI(t, nil, tt.typed, "raft")
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			first := firstLine(stderr)
			want := `careerbot: unknown command "` + tt.typed + `"`
			if tt.want != "" {
				want += `; did you mean "` + tt.want + `"?`
			}
			if first != want {
				t.Errorf("stderr starts %q, want %q", first, want)
			}
			if !strings.Contains(stderr, "Usage:") {
				t.Errorf("stderr lacks the usage:\n%s", stderr)
			}
		})
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"serve", "serve", 0},
		{"serv", "serve", 1},
		{"explian", "explain", 1}, // a swap of adjacent letters is one edit
		{"topcs", "topics", 1},
		{"kitten", "sitting", 3},
		{"", "slack", 5},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
