package markdown

import (
	"strings"
	"testing"
	"unicode/utf8"
)

var plain = Splitter{
	Measure: utf8.RuneCountInString,
	Fence:   func(lang string) (string, string) { return "```" + lang + "\n", "\n```" },
}

func TestUnits(t *testing.T) {
	text := "para one\nstill one\n\n```go\nx := 1\n\ny := 2\n```\n\npara two\n```not a language name\ncode\n```"
	got := Units(text)
	want := []Unit{
		{Text: "para one\nstill one"},
		{Text: "x := 1\n\ny := 2", Code: true, Lang: "go"},
		{Text: "para two"},
		{Text: "not a language name\ncode", Code: true},
	}
	if len(got) != len(want) {
		t.Fatalf("%d units: %+v", len(got), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("unit %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if u := Units("```\nnever closed\n\nstill code"); len(u) != 1 || !u[0].Code {
		t.Errorf("an unclosed block: %+v", u)
	}
	if IsFence("```inline```") || !IsFence("```yaml") {
		t.Error("IsFence confuses inline code and fences")
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name        string
		text        string
		first, rest int
		want        []string
	}{
		{"fits", "short", 10, 10, []string{"short"}},
		{"between paragraphs", "aaaa\n\nbbbb", 6, 6, []string{"aaaa", "bbbb"}},
		{"between words", "one two three", 7, 7, []string{"one two", "three"}},
		{"anywhere", "abcdefgh", 3, 3, []string{"abc", "def", "gh"}},
		{"smaller first chunk", "aa bb cc", 2, 5, []string{"aa", "bb cc"}},
		{"code block kept whole", "intro\n\n```go\nx\n```", 12, 12, []string{"intro", "```go\nx\n```"}},
		{"long code block cut into closed blocks", "```go\nline1\nline2\n```", 16, 16, []string{"```go\nline1\n```", "```go\nline2\n```"}},
		{"blank chunks dropped", "\n\n   \n\nword", 10, 10, []string{"word"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := plain.Split(tt.text, tt.first, tt.rest)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("Split = %q, want %q", got, tt.want)
			}
			for i, c := range got {
				limit := tt.rest
				if i == 0 {
					limit = tt.first
				}
				if utf8.RuneCountInString(c) > limit {
					t.Errorf("chunk %d is %d long, limit %d", i, utf8.RuneCountInString(c), limit)
				}
			}
		})
	}
}

func TestFit(t *testing.T) {
	double := func(s string) string { return strings.ReplaceAll(s, "&", "&&") }
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"fits", 10, "fits"},
		{"one two three", 9, "one two…"},
		{"a&b&c&d&e", 8, "a&&b&&c…"},
	}
	for _, tt := range tests {
		got := Fit(tt.in, tt.n, double, utf8.RuneCountInString)
		if got != tt.want || utf8.RuneCountInString(got) > tt.n {
			t.Errorf("Fit(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestClean(t *testing.T) {
	if got := Clean("a\r\nb\rc\x00\u202e\td\xff"); got != "a\nb\nc\td\uFFFD" {
		t.Errorf("Clean = %q", got)
	}
	if got := JoinNonEmpty(", ", "", "a", "", "b"); got != "a, b" {
		t.Errorf("JoinNonEmpty = %q", got)
	}
}
