// Package bot is careerbot's platform-neutral core. A platform adapter (Slack, Discord, the
// terminal, the playground) turns what a user did into a Command, the Router checks it against
// the command's Spec and hands it to the command's handler, and the handler returns a Reply that
// the adapter renders in the platform's own format. Handlers never see a platform type.
//
// Every command is declared once, as a Spec: its options, subcommands, access rule, help and
// examples. The Slack manifest and text parsing, the Discord registration and option decoding,
// autocomplete and help are derived from it, so adding a command touches the core and its
// handler only, never an adapter.
//
// Which package may import which (TestLayout holds the rules that matter most):
//
//   - bot (this package) imports only the standard library and careerbot's internal text and
//     workspace helpers: no knowledge base, no store, no adapter.
//   - bot/markdown (the Markdown subset of replies, shared by the renderers) and bot/webhook
//     (reading verified platform requests, shared by the adapters) import nothing of careerbot.
//   - bot/study (the study commands: /explain, /topics, /share, /materials) imports bot and
//     knowledge; bot/career (the job commands) imports bot, jobs and knowledge the same way.
//   - bot/deliver (the outbound path of subscriptions) imports bot and jobs; it declares the
//     Poster that the adapters implement without importing it. jobs imports nothing of bot.
//   - bot/slack and bot/discord import bot, bot/markdown, bot/webhook, their SDK and internal
//     helpers, never
//     knowledge, a feature package or each other: what they need of a feature (limits, choices,
//     autocomplete, prepared replies) reaches them through the Router.
//   - bot/playground (the local page) imports bot, bot/markdown, the standard library and
//     internal helpers only, under the same rule as bot/slack and bot/discord.
//   - bot/web mounts the adapters' HTTP handlers; cmd/careerbot wires everything together.
package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/careerbot/careerbot/internal/sanitize"
	"github.com/careerbot/careerbot/internal/workspace"
)

// Name is the product's name, as it introduces itself.
const Name = "careerbot"

// Platform names where a command came from.
type Platform string

// Platforms careerbot speaks.
const (
	PlatformSlack   Platform = "slack"
	PlatformDiscord Platform = "discord"
	PlatformCLI     Platform = "cli"
	PlatformWeb     Platform = "web"
	// PlatformPlayground is the local page that works like a chat workspace of one channel.
	PlatformPlayground Platform = "playground"
)

// Command is one request from a user, whatever the platform.
type Command struct {
	Platform  Platform
	Workspace string // Slack team id, Discord guild id; empty in the terminal
	Channel   string
	User      string
	UserName  string // display name, for showing who shared what without a platform call
	IsAdmin   bool   // the platform says the user may run admin commands in this workspace
	// AdminCheck, when set, asks the platform whether the user is an admin. Dispatch calls it
	// only for a form whose Access needs the answer and when IsAdmin is not already true, so a
	// platform whose answer costs a request (Slack's users.info) pays it only then.
	AdminCheck func(ctx context.Context) bool
	// PostCheck, when set, asks the platform whether careerbot may post in Channel on its own
	// (for a subscription): "" when it may, otherwise what the user should do about it
	// ("Invite @careerbot to this channel."). A handler calls it only when it needs to know.
	PostCheck func(ctx context.Context) string

	// Name is the command without its slash: "explain", "topics".
	Name string
	// Text is everything after the name as typed (Slack, mentions, buttons, the terminal). The
	// router reads it into Options against the command's Spec.
	Text string
	// Sub and Options are the subcommand and the options by name. A platform with named options
	// (Discord) sets them and leaves Text empty; for typed text the router fills them. Handlers
	// read only these: values are checked against the Spec (required, type, bounds, choices).
	Sub     string
	Options map[string]string
	// Public asks for the reply in the channel: a "Share in channel" button, or typed text
	// ending in "public".
	Public bool
}

// Option returns the value of a named option, or "" when it is unset.
func (c Command) Option(name string) string { return c.Options[name] }

// Int returns the value of an integer option; the router has checked it is one.
func (c Command) Int(name string) (int64, bool) {
	v, ok := c.Options[name]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil
}

// MaxCommandText is the longest command text accepted, in bytes. Slack and Discord both stay
// under 4,000 characters for a slash command's text; anything longer is not typed by a person.
const MaxCommandText = 4000

// Errors returned by Parse; both are meant to be shown to the user.
var (
	ErrEmptyCommand   = errors.New("type a command, for example: explain raft")
	ErrCommandTooLong = fmt.Errorf("that command is too long: keep it under %d characters", MaxCommandText)
)

// Parse splits a typed line ("/explain raft", "explain raft", "@careerbot explain raft" after the
// mention is removed) into a command name and its text. The name is lower-cased and loses a
// leading slash; the text keeps its case. Control characters become spaces and invalid UTF-8 is
// replaced, so nothing downstream ever sees them.
func Parse(line string) (name, text string, err error) {
	if len(line) > MaxCommandText {
		return "", "", ErrCommandTooLong
	}
	line = Clean(line)
	if line == "" {
		return "", "", ErrEmptyCommand
	}
	name, text, _ = strings.Cut(line, " ")
	name = strings.ToLower(strings.TrimPrefix(name, "/"))
	if name == "" {
		return "", "", ErrEmptyCommand
	}
	return name, strings.TrimSpace(text), nil
}

// WorkspaceKey names a platform's workspace in stores: "platform:id", with both parts
// restricted so that a key can never leave its namespace, whatever a platform sends.
func WorkspaceKey(p Platform, id string) (string, error) { return workspace.Key(string(p), id) }

// Clean makes user text safe to handle; see sanitize.Text.
func Clean(s string) string { return sanitize.Text(s) }
