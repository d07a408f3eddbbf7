package bot

import (
	"strings"

	"github.com/careerbot/careerbot/bot/markdown"
)

// Shorten cuts s to at most n characters (runes), at a word boundary when there is one in the
// second half, and marks the cut with an ellipsis; see markdown.Shorten.
func Shorten(s string, n int) string { return markdown.Shorten(s, n) }

// quoteMarks are removed from quoted user input: they would open formatting around the quote.
var quoteMarks = strings.NewReplacer("`", "", "*", "")

// Quote shows user input inside a reply: cleaned, at most n characters, in quotation marks,
// without the backticks that would break the surrounding formatting.
func Quote(s string, n int) string {
	s = quoteMarks.Replace(Clean(s))
	return "“" + Shorten(s, n) + "”"
}

// JoinOr joins items as "a, b or c".
func JoinOr(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
