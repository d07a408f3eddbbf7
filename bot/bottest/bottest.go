// Package bottest holds what the adapters' tests share: a throwaway command, declared only
// here, that proves a command reaches every platform through its Spec alone, and a handler that
// records what it was given.
package bottest

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/careerbot/careerbot/bot"
)

// Deploy is a command no adapter knows: two subcommands, one of them the default with typed
// options, the other admin-only, and a hidden alias.
var Deploy = bot.Spec{
	Name:    "deploy",
	Aliases: []string{"ship"},
	Form:    bot.Form{Summary: "Deploy a service, or roll a deployment back."},
	Subcommands: []bot.Subcommand{
		{Name: "start", Default: true, Form: bot.Form{
			Summary:  "Deploy a service",
			Examples: []string{"deploy web production replicas 3"},
			Options: []bot.Option{
				{Name: "service", Description: "The service to deploy", Required: true, MaxLength: 20},
				{Name: "env", Description: "Where to deploy it", Choices: []bot.Choice{
					{Name: "Staging", Value: "staging", Aliases: []string{"stage"}}, {Name: "Production", Value: "production", Aliases: []string{"prod"}}}},
				{Name: "replicas", Description: "How many replicas", Type: bot.Integer, Named: true, MinValue: 1, MaxValue: 10},
				{Name: "note", Description: "Why", Rest: true},
			},
		}},
		{Name: "rollback", Form: bot.Form{
			Summary: "Roll a deployment back (admins only)",
			Options: []bot.Option{{Name: "id", Description: "The deployment's number", Type: bot.Integer, Required: true, MinValue: 1}},
			Access:  bot.AdminOnly,
		}},
	},
}

// Recorder is a handler that remembers every command it ran and answers with its options.
type Recorder struct {
	mu   sync.Mutex
	seen []bot.Command
}

// Handle records cmd and answers "sub k=v k=v" as the reply's title.
func (r *Recorder) Handle(_ context.Context, cmd bot.Command) (bot.Reply, error) {
	r.mu.Lock()
	r.seen = append(r.seen, cmd)
	r.mu.Unlock()
	return bot.Reply{Title: Summary(cmd)}, nil
}

// Last is the last command run, and false when there was none.
func (r *Recorder) Last() (bot.Command, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.seen) == 0 {
		return bot.Command{}, false
	}
	return r.seen[len(r.seen)-1], true
}

// Summary is a command's subcommand and options in a stable order: "start env=production
// replicas=3 service=web".
func Summary(cmd bot.Command) string {
	keys := make([]string, 0, len(cmd.Options))
	for k := range cmd.Options {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := []string{cmd.Sub}
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%s", k, cmd.Options[k]))
	}
	return strings.Join(parts, " ")
}

// WithShare adds to r the "Share in channel" button that the router adds to a private reply of
// a shareable command, for renderer tests that start from a reply rather than a command.
func WithShare(r bot.Reply, line string) bot.Reply {
	if line == "" || r.Visibility == bot.Public {
		return r
	}
	name, args, _ := strings.Cut(line, " ")
	r.Buttons = append(r.Buttons[:len(r.Buttons):len(r.Buttons)],
		bot.Button{Label: bot.ShareLabel, Action: bot.Action{Command: name, Args: args, Public: true}})
	return r
}
