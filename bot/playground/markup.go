package playground

import (
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"github.com/careerbot/careerbot/bot/markdown"
)

// The Markdown subset of a reply, read into blocks and spans that the reply template writes
// out. Nothing here escapes: html/template does, by construction, when it writes each value.

// block is a paragraph, a list or a code block.
type block struct {
	Kind  string   // "p", "ul" or "pre"
	Lines [][]span // a paragraph's lines, a list's items
	Code  string   // a code block's text
	Lang  string   // a code block's language, when its fence names one
}

// span is a run of text inside a line.
type span struct {
	Text string
	Bold bool
	Code bool
	URL  string // set for a link: an http(s) URL found in the text
}

// blocks reads Markdown-subset text: paragraphs, "- " lists (a run of "- " lines inside a
// paragraph) and fenced code blocks.
func blocks(text string) []block {
	var out []block
	for _, u := range markdown.Units(markdown.Clean(text)) {
		if u.Code {
			out = append(out, block{Kind: "pre", Code: u.Text, Lang: u.Lang})
			continue
		}
		var cur *block
		for line := range strings.SplitSeq(u.Text, "\n") {
			trimmed := strings.TrimLeftFunc(line, unicode.IsSpace)
			kind, content := "p", strings.TrimSpace(line)
			if item, ok := strings.CutPrefix(trimmed, "- "); ok {
				kind, content = "ul", strings.TrimSpace(item)
			}
			if cur == nil || cur.Kind != kind {
				out = append(out, block{Kind: kind})
				cur = &out[len(out)-1]
			}
			cur.Lines = append(cur.Lines, inline(content))
		}
	}
	return out
}

// lines reads one-line text (a footer, a heading-like value) as inline spans, each line of the
// text one entry.
func lines(text string) [][]span {
	var out [][]span
	for line := range strings.SplitSeq(strings.TrimSpace(markdown.Clean(text)), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, inline(line))
		}
	}
	return out
}

// inline reads a line's `code` spans, **bold** runs and bare http(s) URLs. A backtick or a "**"
// without a partner is text.
func inline(line string) []span {
	var out []span
	parts := strings.Split(line, "`") // text and code alternate
	if len(parts)%2 == 0 {            // the last backtick has no partner
		parts[len(parts)-2] += "`" + parts[len(parts)-1]
		parts = parts[:len(parts)-1]
	}
	marks := 0
	for i := 0; i < len(parts); i += 2 {
		marks += strings.Count(parts[i], "**")
	}
	seen, bold := 0, false
	for i, p := range parts {
		if i%2 == 1 {
			if p != "" {
				out = append(out, span{Text: p, Code: true, Bold: bold})
			}
			continue
		}
		for j, run := range strings.Split(p, "**") {
			if j > 0 {
				seen++
				if seen == marks && marks%2 == 1 {
					run = "**" + run // the last "**" has no partner
				} else {
					bold = !bold
				}
			}
			out = append(out, links(run, bold)...)
		}
	}
	return out
}

// urlPattern finds candidate URLs in text; linkURL decides which become links.
var urlPattern = regexp.MustCompile(`https?://[^\s<>"'` + "`" + `]+`)

// links cuts text into plain spans and links to the http(s) URLs in it.
func links(text string, bold bool) []span {
	if text == "" {
		return nil
	}
	var out []span
	last := 0
	for _, m := range urlPattern.FindAllStringIndex(text, -1) {
		raw := trimURL(text[m[0]:m[1]])
		u, ok := linkURL(raw)
		if !ok {
			continue
		}
		if m[0] > last {
			out = append(out, span{Text: text[last:m[0]], Bold: bold})
		}
		out = append(out, span{Text: raw, URL: u, Bold: bold})
		last = m[0] + len(raw)
	}
	if last < len(text) {
		out = append(out, span{Text: text[last:], Bold: bold})
	}
	return out
}

// trimURL drops the punctuation that ends a sentence rather than a URL, and a closing
// parenthesis the URL did not open.
func trimURL(s string) string {
	for s != "" {
		c := s[len(s)-1]
		switch {
		case strings.IndexByte(".,;:!?", c) >= 0:
			s = s[:len(s)-1]
		case c == ')' && strings.Count(s, "(") < strings.Count(s, ")"):
			s = s[:len(s)-1]
		default:
			return s
		}
	}
	return s
}

// maxURL is the longest URL made a link; a longer one is shown as text.
const maxURL = 2000

// linkURL reports whether raw may be a link's target: an absolute http or https URL with a host
// and no spaces or control characters. It returns the URL to write in href; html/template
// escapes it.
func linkURL(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > maxURL || strings.ContainsFunc(raw, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
	}) {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	return raw, true
}
