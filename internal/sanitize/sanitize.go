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
	if clean(s) {
		return s
	}
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

// clean reports whether Text would return s unchanged, for the common case of printable ASCII
// with single spaces between words: most text is, and it then costs no copy.
func clean(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c >= 0x7f || c == ' ' && s[i+1] == ' ' {
			return false
		}
	}
	return true
}
