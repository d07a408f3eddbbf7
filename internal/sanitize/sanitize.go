// Package sanitize makes text from users, platforms and feeds safe to store and show: valid
// UTF-8 with no control or invisible format characters. Every package that accepts outside text
// uses it, so the rule lives in one place.
package sanitize

import (
	"strings"
	"unicode"
)

// Text returns s as valid UTF-8 (invalid bytes become U+FFFD) without control characters or
// invisible format characters (the right-to-left override and zero-width spaces among them),
// with runs of white space collapsed to one space and the ends trimmed.
func Text(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
