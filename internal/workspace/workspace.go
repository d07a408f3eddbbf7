// Package workspace names the workspaces careerbot serves (a Slack team, a Discord guild) in
// its stores. Every store key of a workspace starts with its name, so the rule that keeps one
// workspace's keys apart from another's lives here, once, for every package that stores.
package workspace

import (
	"fmt"
	"regexp"
)

var part = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,80}$`)

// Key names a workspace in stores: "platform:id". Both parts are restricted to letters, digits,
// '_', '.' and '-', so a key can never break out of its namespace (a Redis hash tag, a bucket
// name) whatever a platform sends.
func Key(platform, id string) (string, error) {
	if !part.MatchString(platform) || !part.MatchString(id) {
		return "", fmt.Errorf("invalid workspace %q/%q", platform, id)
	}
	return platform + ":" + id, nil
}
