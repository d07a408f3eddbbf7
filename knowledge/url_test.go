package knowledge

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeURL(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"https://raft.github.io", "https://raft.github.io/"},
		{"HTTPS://Raft.GitHub.IO/", "https://raft.github.io/"},
		{"https://example.org:443/a", "https://example.org/a"},
		{"http://example.org:80/a", "http://example.org/a"},
		{"http://example.org:8080/a", "http://example.org:8080/a"},
		{"https://example.org/a#section-2", "https://example.org/a"},
		{"https://example.org/a?utm_source=x&utm_medium=y&id=3", "https://example.org/a?id=3"},
		{"https://example.org/a?b=2&a=1&fbclid=z&gclid=q", "https://example.org/a?a=1&b=2"},
		{"https://example.org/a?UTM_Campaign=x", "https://example.org/a"},
		{"https://example.org/a?", "https://example.org/a"},
		{"<https://example.org/a|the paper>", "https://example.org/a"},
		{"<https://example.org/a>", "https://example.org/a"},
		{"https://example.org./a", "https://example.org/a"},
		{"https://[::1]:443/x", "https://[::1]/x"},
		{"https://[2001:db8::1]:8443/x", "https://[2001:db8::1]:8443/x"},
		{"https://example.org/Case/Path", "https://example.org/Case/Path"},
	}
	for _, tt := range tests {
		got, err := NormalizeURL(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizeURL(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestNormalizeURLRefuses(t *testing.T) {
	tests := []struct {
		name, in, msg string
	}{
		{"empty", "", "give a link"},
		{"javascript", "javascript:alert(1)", "only http and https"},
		{"javascript upper case", "JavaScript:alert(document.cookie)", "only http and https"},
		{"file", "file:///etc/passwd", "only http and https"},
		{"data", "data:text/html,<script>x</script>", "only http and https"},
		{"ftp", "ftp://example.org/x", "only http and https"},
		{"no scheme", "example.org/paper.pdf", "must start with https://"},
		{"credentials", "https://user:secret@example.org/", "user name or password"},
		{"user only", "https://admin@example.org/", "user name or password"},
		{"control character", "https://example.org/\x00a", "invisible characters"},
		{"newline", "https://example.org/a\nb", "spaces or invisible"},
		{"space", "https://example.org/a b", "spaces"},
		{"right-to-left override", "https://example.org/\u202egpj.exe", "invisible characters"},
		{"no host", "https:///path", "no valid host"},
		{"opaque", "https:example.org", "no valid host"},
		{"too long", "https://example.org/" + strings.Repeat("a", MaxURL), "characters long"},
		{"bad escape", "https://example.org/%zz", "not a valid link"},
		{"invalid utf-8", "https://example.org/\xff", "not valid text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NormalizeURL(tt.in)
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("NormalizeURL(%q) = %v, want an *InputError", tt.in, err)
			}
			if !strings.Contains(ie.Msg, tt.msg) {
				t.Errorf("message %q lacks %q", ie.Msg, tt.msg)
			}
			if strings.Contains(ie.Msg, "secret") {
				t.Errorf("message repeats the password: %q", ie.Msg)
			}
		})
	}
}

func FuzzNormalizeURL(f *testing.F) {
	for _, s := range []string{"https://example.org/a?utm_source=x#f", "javascript:x", "<https://a.b|c>", "http://[::1]:80/", "https://a@b", "http://]:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		out, err := NormalizeURL(raw)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error of the wrong type: %v", err)
			}
			return
		}
		if !strings.HasPrefix(out, "https://") && !strings.HasPrefix(out, "http://") {
			t.Errorf("NormalizeURL(%q) = %q: not http(s)", raw, out)
		}
		again, err := NormalizeURL(out)
		if err != nil || again != out {
			t.Errorf("not idempotent: %q -> %q -> %q, %v", raw, out, again, err)
		}
	})
}
