// Package markdown handles the Markdown subset of careerbot's replies (paragraphs, "- " lists,
// **bold**, `code`, fenced code blocks) the way every platform renderer needs it: cleaning
// outside text, cutting long text into chunks that fit a platform's limits without breaking a
// code block, and shortening a piece of text so that its escaped form fits. Renderers supply
// what differs between platforms: how they escape, how they count length, how they write fences.
package markdown

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean makes multi-line text from a reply safe: valid UTF-8, lines ending in "\n", and no
// control or invisible format characters other than newlines and tabs.
func Clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return '\n'
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, s)
}

// IsFence reports whether line opens or closes a code block; "```code```" on one line is inline
// code.
func IsFence(line string) bool {
	rest, ok := strings.CutPrefix(line, "```")
	return ok && !strings.Contains(rest, "`")
}

// maxLang is the longest language name after an opening fence; longer text there is code.
const maxLang = 20

// Unit is a paragraph or the content of a code block.
type Unit struct {
	Text string
	Code bool
	Lang string // of a code block, when its fence names one
}

// Units cuts text into paragraphs (separated by blank lines) and code blocks (which may hold
// blank lines). An unclosed code block runs to the end of the text. Text after an opening fence
// that is not a language name moves inside the block as its first line, and text before a
// closing fence stays in the block as its last.
func Units(text string) []Unit {
	var (
		units []Unit
		para  []string
	)
	endPara := func() {
		if len(para) > 0 {
			units = append(units, Unit{Text: strings.Join(para, "\n")})
			para = para[:0]
		}
	}
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		switch {
		case IsFence(line):
			endPara()
			info := strings.TrimSpace(line[len("```"):])
			lang, body := "", []string(nil)
			switch {
			case isLang(info):
				lang = info
			case info != "":
				body = append(body, info)
			}
			j := i + 1
			for j < len(lines) && !IsFence(lines[j]) {
				j++
			}
			body = append(body, lines[i+1:j]...)
			if j < len(lines) {
				if after := strings.TrimSpace(lines[j][len("```"):]); after != "" {
					body = append(body, after)
				}
			}
			if code := strings.Join(body, "\n"); strings.TrimSpace(code) != "" {
				units = append(units, Unit{Text: code, Code: true, Lang: lang})
			}
			i = j
		case strings.TrimSpace(line) == "":
			endPara()
		default:
			para = append(para, line)
		}
	}
	endPara()
	return units
}

// isLang reports whether info, the text after an opening fence, is a language name: letters,
// digits and _+-.# only.
func isLang(info string) bool {
	if info == "" || len(info) > maxLang {
		return false
	}
	for i := 0; i < len(info); i++ {
		c := info[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_+-.#", c) >= 0) {
			return false
		}
	}
	return true
}

// Splitter cuts text into chunks that fit a platform's limits.
type Splitter struct {
	// Measure is the length the platform counts for s once escaped, or an upper bound of it.
	Measure func(s string) int
	// Fence returns the lines that open and close a code block in the language lang.
	Fence func(lang string) (open, close string)
}

// Split cuts Markdown-subset text, not yet escaped, into chunks measuring at most first (the
// first chunk) and rest (the others). It cuts between paragraphs when it can, else between
// lines, else between words, else anywhere; a code block is cut only when it alone is too long,
// and then each part is a closed code block of its own in the same language. Nothing is dropped
// but blank chunks; the chunks are still to be escaped.
func (sp Splitter) Split(text string, first, rest int) []string {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	if onePart(text) && sp.Measure(text) <= first {
		return []string{text} // what the packer would make of it, without the work
	}
	p := &packer{measure: sp.Measure, first: first, rest: rest}
	for _, u := range Units(text) {
		if !u.Code {
			p.add(u.Text, levelParagraph)
			continue
		}
		open, closing := sp.Fence(u.Lang)
		block := open + u.Text + closing
		if p.append(block, "\n\n") {
			continue
		}
		p.flush()
		if p.append(block, "") {
			continue
		}
		// A code block longer than a whole chunk: split its lines into closed blocks.
		fences := sp.Measure(open) + sp.Measure(closing)
		code := &packer{measure: sp.Measure, first: p.budget() - fences, rest: p.rest - fences}
		for line := range strings.SplitSeq(u.Text, "\n") {
			code.add(line, levelLine)
		}
		code.flush()
		for i, c := range code.chunks {
			p.append(open+c+closing, "")
			if i < len(code.chunks)-1 {
				p.flush()
			}
		}
	}
	p.flush()
	chunks := p.chunks[:0]
	for _, c := range p.chunks {
		if strings.TrimSpace(c) != "" {
			chunks = append(chunks, c)
		}
	}
	return chunks
}

// onePart reports whether Units reads text as one paragraph, unchanged: no fence, no blank line.
func onePart(text string) bool {
	if strings.Contains(text, "```") {
		return false
	}
	for line := range strings.SplitSeq(text, "\n") {
		if strings.TrimSpace(line) == "" {
			return false
		}
	}
	return true
}

// Levels at which a packer cuts text, coarsest first, with what joins parts at each level.
const (
	levelParagraph = iota
	levelLine
	levelWord
	levelRune
)

var levelSep = [...]string{"\n\n", "\n", " ", ""}

// packer fills chunks greedily.
type packer struct {
	measure     func(string) int
	first, rest int // budgets of the first chunk and of the others
	chunks      []string
	cur         strings.Builder
	curLen      int
	started     bool // cur holds a part, possibly empty
}

func (p *packer) budget() int {
	if len(p.chunks) == 0 {
		return p.first
	}
	return p.rest
}

// append adds s to the current chunk, after sep unless the chunk is empty, if it fits.
func (p *packer) append(s, sep string) bool {
	n := p.measure(s)
	if p.started {
		n += len(sep)
	}
	if p.curLen+n > p.budget() {
		return false
	}
	if p.started {
		p.cur.WriteString(sep)
	}
	p.cur.WriteString(s)
	p.curLen += n
	p.started = true
	return true
}

func (p *packer) flush() {
	if p.started {
		p.chunks = append(p.chunks, p.cur.String())
	}
	p.cur.Reset()
	p.curLen = 0
	p.started = false
}

// add appends part, a piece of text at the given level, starting a new chunk when it does not
// fit in the current one and cutting it at the next level when it fits in no chunk.
func (p *packer) add(part string, level int) {
	if p.append(part, levelSep[level]) {
		return
	}
	p.flush()
	if p.append(part, "") {
		return
	}
	if level+1 == levelRune {
		for _, r := range part {
			if !p.append(string(r), "") {
				p.flush()
				p.append(string(r), "")
			}
		}
		return
	}
	for sub := range strings.SplitSeq(part, levelSep[level+1]) {
		p.add(sub, level+1)
	}
}

// Fit returns escape(s), shortened with Shorten first when needed so that measure of the
// result is at most n. Shortening before escaping never cuts an escape sequence in two.
func Fit(s string, n int, escape func(string) string, measure func(string) int) string {
	if e := escape(s); measure(e) <= n {
		return e
	}
	// Shorten(s, m) for m <= n reads only the first n runes of a longer s: drop the rest once.
	if i := runeOffset(s, n+1); i < len(s) {
		s = s[:i]
	}
	// The longest shortening that fits: escaping can make a text several times longer.
	lo, hi := 0, min(n, utf8.RuneCountInString(s))
	for lo < hi {
		m := (lo + hi + 1) / 2
		if measure(escape(Shorten(s, m))) <= n {
			lo = m
		} else {
			hi = m - 1
		}
	}
	return escape(Shorten(s, lo))
}

// runeOffset is the byte offset of the n-th rune of s, or len(s) when s is shorter.
func runeOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// JoinNonEmpty joins the parts that are not empty with sep.
func JoinNonEmpty(sep string, parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(p)
	}
	return b.String()
}

// Shorten cuts s to at most n characters (runes), at a word boundary when there is one in the
// second half, and marks the cut with an ellipsis. Renderers use it to stay within platform limits.
func Shorten(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)[:n-1]
	cut := len(runes)
	for i := len(runes) - 1; i >= len(runes)/2; i-- {
		if runes[i] == ' ' || runes[i] == '\n' {
			cut = i
			break
		}
	}
	return strings.TrimRight(string(runes[:cut]), " \n") + "…"
}
