package knowledge

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxURL is the longest URL /share accepts, in characters, before normalisation.
const MaxURL = 2048

// InputError is a mistake in what a user typed; its message is written for the user.
type InputError struct {
	Msg string
}

func (e *InputError) Error() string { return e.Msg }

func inputErrorf(format string, args ...any) error {
	return &InputError{Msg: fmt.Sprintf(format, args...)}
}

// trackingParams are query parameters that identify a campaign or a click, not a page.
var trackingParams = []string{
	"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
	"mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "ref_src", "ref_url", "si", "trk",
}

// NormalizeURL checks that raw is a web link a team can share and returns its canonical form,
// so that the same page shared twice is recognised: scheme and host lower-cased, default port
// removed, empty path made "/", fragment and tracking parameters (utm_* and the click ids of the
// big ad networks) dropped, the remaining parameters sorted. Only http and https are accepted;
// credentials, control characters and white space are refused. Nothing is fetched.
func NormalizeURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	// Slack wraps links as <https://…> or <https://…|label>.
	if strings.HasPrefix(raw, "<") && strings.HasSuffix(raw, ">") {
		raw = strings.TrimSuffix(strings.TrimPrefix(raw, "<"), ">")
		raw, _, _ = strings.Cut(raw, "|")
	}
	switch {
	case raw == "":
		return "", inputErrorf("give a link to share, for example: /share https://raft.github.io raft")
	case !utf8.ValidString(raw):
		return "", inputErrorf("that link is not valid text")
	case utf8.RuneCountInString(raw) > MaxURL:
		return "", inputErrorf("that link is %d characters long; links of up to %d are accepted", utf8.RuneCountInString(raw), MaxURL)
	}
	for _, r := range raw {
		if unicode.IsControl(r) || unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
			return "", inputErrorf("that link contains spaces or invisible characters; paste it again without them")
		}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", inputErrorf("that is not a valid link: check it and try again")
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		if u.Scheme == "" {
			return "", inputErrorf("links must start with https:// or http://")
		}
		return "", inputErrorf("only http and https links can be shared, not %s: links", u.Scheme)
	}
	if u.User != nil {
		return "", inputErrorf("that link carries a user name or password; share it without them")
	}
	host := strings.ToLower(u.Hostname())
	if host == "" || strings.ContainsAny(host, "_ []") || strings.HasPrefix(host, ".") || strings.Contains(host, "..") {
		return "", inputErrorf("that link has no valid host name")
	}
	port := u.Port()
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
	}
	if port != "" {
		host = net.JoinHostPort(strings.Trim(host, "[]"), port)
	}
	u.Host = strings.TrimSuffix(host, ".")
	u.Fragment, u.RawFragment = "", ""
	if u.Path == "" {
		u.Path = "/"
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			if strings.HasPrefix(strings.ToLower(k), "utm_") || slices.Contains(trackingParams, strings.ToLower(k)) {
				delete(q, k)
			}
		}
		u.RawQuery = q.Encode() // sorted by key
	}
	u.ForceQuery = false
	out := u.String()
	if len(out) > MaxURL+64 {
		return "", inputErrorf("that link is too long")
	}
	return out, nil
}
