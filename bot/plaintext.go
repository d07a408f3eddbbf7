package bot

import (
	"strings"
	"unicode/utf8"
)

// textWidth is the column at which the plain-text renderer wraps paragraphs.
const textWidth = 88

// PlainText renders a reply for a terminal: the title on the first line, paragraphs wrapped,
// Markdown emphasis removed, buttons shown as the commands they run. invoke is what precedes a
// command a user can type next ("careerbot " in a shell).
func PlainText(r Reply, invoke string) string {
	r = r.Full()
	var b strings.Builder
	b.WriteString(stripInline(r.Title))
	b.WriteString("\n")
	b.WriteString(strings.Repeat("=", min(utf8.RuneCountInString(r.Title), textWidth)))
	b.WriteString("\n")
	if r.Text != "" {
		b.WriteString("\n")
		writeMarkdown(&b, r.Text)
	}
	if len(r.Fields) > 0 {
		b.WriteString("\n")
		for _, f := range r.Fields {
			b.WriteString(stripInline(f.Name) + ": " + stripInline(f.Value) + "\n")
		}
	}
	for _, s := range r.Sections {
		b.WriteString("\n")
		if s.Heading != "" {
			b.WriteString(strings.ToUpper(stripInline(s.Heading)) + "\n")
		}
		if s.URL != "" {
			b.WriteString(s.URL + "\n")
		}
		writeMarkdown(&b, s.Body)
	}
	if len(r.Links) > 0 {
		b.WriteString("\nLINKS\n")
		for _, l := range r.Links {
			b.WriteString("- " + stripInline(l.Text) + ": " + l.URL + "\n")
		}
	}
	if len(r.Buttons) > 0 {
		b.WriteString("\nNEXT\n")
		for _, btn := range r.Buttons {
			b.WriteString("- " + stripInline(btn.Label) + ": " + invoke + btn.Action.Line() + "\n")
		}
	}
	if r.Footer != "" {
		b.WriteString("\n" + stripInline(r.Footer) + "\n")
	}
	return b.String()
}

// writeMarkdown writes Markdown-subset text: paragraphs wrapped, list items wrapped with a
// hanging indent, code blocks verbatim.
func writeMarkdown(b *strings.Builder, text string) {
	inFence := false
	var para []string
	flush := func() {
		if len(para) > 0 {
			wrap(b, strings.Join(para, " "), "", "")
			para = para[:0]
		}
	}
	for line := range strings.SplitSeq(strings.TrimSpace(text), "\n") {
		switch {
		case strings.HasPrefix(line, "```"):
			flush()
			inFence = !inFence
		case inFence:
			b.WriteString("    " + line + "\n")
		case strings.TrimSpace(line) == "":
			flush()
			b.WriteString("\n")
		case strings.HasPrefix(line, "- "):
			flush()
			wrap(b, stripInline(line[2:]), "  - ", "    ")
		default:
			para = append(para, stripInline(strings.TrimSpace(line)))
		}
	}
	flush()
}

// wrap writes text in lines of at most textWidth columns; the first line starts with first,
// the others with rest.
func wrap(b *strings.Builder, text, first, rest string) {
	prefix := first
	col := 0
	for i, word := range strings.Fields(text) {
		n := utf8.RuneCountInString(word)
		switch {
		case i == 0:
			b.WriteString(prefix)
			col = utf8.RuneCountInString(prefix)
		case col+1+n > textWidth:
			b.WriteString("\n" + rest)
			col = utf8.RuneCountInString(rest)
		default:
			b.WriteByte(' ')
			col++
		}
		b.WriteString(word)
		col += n
	}
	b.WriteString("\n")
}

// inlineMarks removes Markdown emphasis and code marks, which a terminal shows literally.
var inlineMarks = strings.NewReplacer("**", "", "`", "")

func stripInline(s string) string { return inlineMarks.Replace(s) }
