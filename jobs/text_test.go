package jobs

import (
	"strings"
	"testing"
	"time"
)

func TestPlainText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"tags and entities", "<p>Build <b>distributed</b> systems &amp; more</p><p>Second</p>", "Build distributed systems & more\n\nSecond"},
		{"escaped html", "&lt;div class=&quot;x&quot;&gt;Go &amp;amp; Rust&lt;/div&gt;", "Go & Rust"},
		{"lists", "<ul><li>Kafka</li><li>Raft</li></ul>", "- Kafka\n- Raft"},
		{"bare li", "<li>one</li><li>two</li>", "- one\n- two"},
		{"script dropped", "a<script>alert(1)</script>b<style>x{}</style>c", "abc"},
		{"br", "a<br>b<br/>c", "a\nb\nc"},
		{"spaces", "  a \t b  \n\n\n\n c ", "a b\n\nc"},
		{"control characters", "a\x00b\u202ec\u200bd", "a b c d"}, // as sanitize.Text: each a space
		{"invalid utf-8", "a\xffb", "a\uFFFDb"},
		{"unclosed tags", "<p>open <b>bold", "open bold"},
		{"img onerror", `<img src=x onerror=alert(1)>text`, "text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlainText(tt.in, 0); got != tt.want {
				t.Errorf("PlainText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	long := strings.Repeat("word ", 1000)
	if got := PlainText(long, 100); len(got) > 100 || strings.HasSuffix(got, " ") {
		t.Errorf("cut to %d bytes: %q", len(got), got)
	}
	if got := Cut("ééééé", 5); got != "éé" {
		t.Errorf("Cut inside a rune: %q", got)
	}
}

func TestWebURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://boards.greenhouse.io/x/jobs/1": "https://boards.greenhouse.io/x/jobs/1",
		"http://example.com/a?b=c":              "http://example.com/a?b=c",
		"javascript:alert(1)":                   "",
		"//example.com/x":                       "",
		"https://user:pass@example.com/":        "",
		"https://exa\u202emple.com/":            "",
		"ftp://example.com/":                    "",
		" https://example.com/ ":                "https://example.com/",
		"https://example.com/a b":               "",
	} {
		if got := WebURL(in); got != want {
			t.Errorf("WebURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUTC(t *testing.T) {
	now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	future := now.Add(48 * time.Hour)
	if got := UTC(future, now); !got.Equal(now) {
		t.Errorf("a future time: %v", got)
	}
	past := time.Date(2026, 11, 1, 9, 0, 0, 0, time.FixedZone("CET", 3600))
	if got := UTC(past, now); got.Location() != time.UTC || !got.Equal(past) {
		t.Errorf("a past time: %v", got)
	}
	if !UTC(time.Time{}, now).IsZero() {
		t.Error("zero is not zero")
	}
}

func TestSalaryYearly(t *testing.T) {
	if lo, hi := (Salary{Min: 30, Max: 40, Period: PerHour}).Yearly(); lo != 62400 || hi != 83200 {
		t.Errorf("hourly: %d-%d", lo, hi)
	}
	if lo, hi := (Salary{Min: 5000, Max: 6000, Period: PerMonth}).Yearly(); lo != 60000 || hi != 72000 {
		t.Errorf("monthly: %d-%d", lo, hi)
	}
}
