// Package workspace names the workspaces careerbot serves (a Slack team, a Discord guild) in
// its stores. Every store key of a workspace starts with its name, so the rule that keeps one
// workspace's keys apart from another's lives here, once, for every package that stores.
package workspace

import "fmt"

// valid reports whether s is 1 to 80 of A-Z, a-z, 0-9, '_', '.' and '-'. It runs on every
// command, so it is a loop rather than a regular expression.
func valid(s string) bool {
	if len(s) == 0 || len(s) > 80 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// Key names a workspace in stores: "platform:id". Both parts are restricted to letters, digits,
// '_', '.' and '-', so a key can never break out of its namespace (a Redis hash tag, a bucket
// name) whatever a platform sends.
func Key(platform, id string) (string, error) {
	if !valid(platform) || !valid(id) {
		return "", fmt.Errorf("invalid workspace %q/%q", platform, id)
	}
	return platform + ":" + id, nil
}
