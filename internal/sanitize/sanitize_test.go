package sanitize

import "testing"

func TestText(t *testing.T) {
	tests := map[string]string{
		"plain":                      "plain",
		"  two   spaces\t\ttab\r\n":  "two spaces tab",
		"nul\x00bell\x07esc\x1b[31m": "nul bell esc [31m",
		"rtl\u202eevil":              "rtl evil",
		"zero\u200bwidth\ufeffbom":   "zero width bom",
		"bad \xff byte":              "bad \uFFFD byte",
		"":                           "",
	}
	for in, want := range tests {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzText(f *testing.F) {
	f.Add("a\x00b\u202e")
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		if Text(out) != out {
			t.Errorf("Text is not idempotent on %q", s)
		}
	})
}
