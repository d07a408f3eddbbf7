package bot

import (
	"strings"
	"unicode/utf8"
)

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

// quoteMarks are removed from quoted user input: they would open formatting around the quote.
var quoteMarks = strings.NewReplacer("`", "", "*", "")

// Quote shows user input inside a reply: cleaned, at most n characters, in quotation marks,
// without the backticks that would break the surrounding formatting.
func Quote(s string, n int) string {
	s = quoteMarks.Replace(Clean(s))
	return "“" + Shorten(s, n) + "”"
}
