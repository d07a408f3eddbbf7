package bot

import (
	"fmt"
	"strings"
	"time"

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

// QuoteSingle is Quote with single quotation marks, for a quote inside a title.
func QuoteSingle(s string, n int) string {
	s = quoteMarks.Replace(Clean(s))
	return "‘" + Shorten(s, n) + "’"
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

// Plural is n with word, plural when n is not 1: "1 link", "3 links".
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// Ago says how long ago t was, as people say it: "just now", "3 days ago", "on 2 Jan 2026".
func Ago(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return Plural(int(d/time.Minute), "minute") + " ago"
	case d < 24*time.Hour:
		return Plural(int(d/time.Hour), "hour") + " ago"
	case d < 30*24*time.Hour:
		return Plural(int(d/(24*time.Hour)), "day") + " ago"
	}
	return "on " + t.Format("2 Jan 2006")
}
