package jobs

import (
	"html"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	xhtml "golang.org/x/net/html"

	"github.com/careerbot/careerbot/internal/sanitize"
)

// PlainText turns an opening's HTML (or entity-escaped HTML, as Greenhouse sends it) into plain
// text: entities decoded, tags stripped by a real HTML parser (script and style contents
// dropped), block elements and <br> as line breaks, list items as "- ", runs of spaces and blank
// lines collapsed, control and invisible characters removed, at most limit bytes (cut at a word).
func PlainText(s string, limit int) string {
	if strings.Contains(s, "&lt;") && !strings.Contains(s, "<") {
		s = html.UnescapeString(s) // HTML sent escaped: decode once to get the markup
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	z := xhtml.NewTokenizer(strings.NewReader(s))
	skip := 0 // inside <script> or <style>
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			break
		}
		switch tt {
		case xhtml.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken, xhtml.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			switch tag {
			case "script", "style":
				switch tt {
				case xhtml.StartTagToken:
					skip++
				case xhtml.EndTagToken:
					skip = max(0, skip-1)
				}
			case "br":
				b.WriteByte('\n')
			case "li":
				if tt == xhtml.StartTagToken {
					b.WriteString("\n- ")
				}
			case "p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "blockquote", "pre", "table":
				b.WriteString("\n\n")
			}
		}
	}
	return Cut(tidy(b.String()), limit)
}

// tidy collapses spaces within lines and blank lines between paragraphs, and removes control
// and invisible characters.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := false
	for _, line := range lines {
		line = sanitize.Text(line)
		if line == "" {
			blank = len(out) > 0
			continue
		}
		if blank {
			out = append(out, "")
			blank = false
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// Cut shortens s to at most limit bytes, at a space when there is one in the last quarter, and
// never inside a UTF-8 sequence. limit <= 0 means none.
func Cut(s string, limit int) string {
	if limit <= 0 || len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if i := strings.LastIndexAny(s[:cut], " \n"); i > cut*3/4 {
		cut = i
	}
	return strings.TrimRight(s[:cut], " \n")
}

// Line cleans a one-line field (a title, a company, a location): entities decoded, tags
// removed, spaces collapsed, control and invisible characters removed, at most limit bytes.
func Line(s string, limit int) string {
	if strings.ContainsAny(s, "<&") {
		s = PlainText(s, 0)
	}
	return Cut(sanitize.Text(s), limit)
}

// Limits of one-line fields, in bytes.
const (
	MaxTitle    = 200
	MaxCompany  = 120
	MaxLocation = 120
)

// WebURL returns raw when it is an absolute http or https URL with a host and no user
// information, and "" otherwise: a posting's link is shown to users as is.
func WebURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > 2048 || strings.ContainsFunc(raw, func(r rune) bool { return r < 0x20 || r == 0x7f || r == ' ' }) ||
		sanitize.Text(raw) != raw {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return ""
	}
	return raw
}

// UTC returns t in UTC, with a time in the future (a board's clock or time zone gone wrong)
// clamped to now.
func UTC(t, now time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	t = t.UTC()
	if t.After(now) {
		return now.UTC()
	}
	return t
}
