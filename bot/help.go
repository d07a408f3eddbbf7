package bot

import (
	"context"
	"fmt"
	"strings"
)

// helpSpec is /help (Discord, the terminal) and /careerbot help (Slack).
var helpSpec = Spec{
	Name: "help",
	Form: Form{
		Summary:  "What careerbot can do, or how to use one command.",
		Examples: []string{"help", "help materials"},
		Options: []Option{{Name: "command", Description: "Only this command's usage", Complete: "commands",
			MaxLength: 32}},
		Shareable: true,
	},
	Skip: []Platform{PlatformSlack},
}

// umbrellaSpec is Slack's one command that reaches all the others.
var umbrellaSpec = Spec{
	Name: "careerbot",
	Form: Form{
		Summary: "What careerbot can do (/careerbot help), or any command after it (/careerbot explain raft).",
		Usage:   "[command]",
	},
	Hidden:   true,
	Skip:     []Platform{PlatformDiscord},
	Umbrella: true,
}

// helpHandler answers /help with the commands the router lists on the user's platform, so a
// command appears in help exactly when it is routed there, or with one command's forms.
type helpHandler struct {
	router *Router
}

func (h helpHandler) Handle(_ context.Context, cmd Command) (Reply, error) {
	if name := strings.TrimPrefix(strings.ToLower(cmd.Option("command")), "/"); name != "" {
		if spec, ok := h.router.Spec(name); ok && !spec.Umbrella {
			return commandHelp(spec, "/"), nil
		}
		r := h.overview(cmd.Platform)
		r.Title = "No command " + Quote(name, 32)
		r.NotFound = true
		return r, nil
	}
	return h.overview(cmd.Platform), nil
}

func (h helpHandler) overview(p Platform) Reply {
	r := Reply{
		Title: "careerbot",
		Text: "careerbot explains distributed-architecture topics, from foundations such as CAP and " +
			"consensus to Kubernetes, observability and security, and keeps the study links your team shares.",
	}
	const pre = "/"
	var lines []string
	for _, s := range h.router.Listed(p) {
		if len(s.Subcommands) == 0 {
			lines = append(lines, fmt.Sprintf("- `%s%s`: %s", pre, s.line(nil), s.Summary))
			continue
		}
		for i := range s.Subcommands {
			if sc := &s.Subcommands[i]; !sc.Hidden {
				lines = append(lines, fmt.Sprintf("- `%s%s`: %s", pre, s.line(sc), sc.Summary))
			}
		}
	}
	r.Sections = []Section{{Heading: "Commands", Body: strings.Join(lines, "\n")}}
	if p == PlatformSlack {
		r.Footer = "Every command also works after /careerbot: /careerbot explain raft."
	}
	r.Buttons = []Button{
		{Label: "Topic index", Action: Action{Command: "topics"}},
		{Label: "Where to start", Action: Action{Command: "explain"}},
	}
	return r
}

// commandHelp shows one command: each form with its options and examples.
func commandHelp(s Spec, pre string) Reply {
	r := Reply{Title: pre + s.Name, Text: s.Summary}
	add := func(sc *Subcommand) {
		f := &s.Form
		if sc != nil {
			f = &sc.Form
		}
		var lines []string
		if sc != nil {
			lines = append(lines, sc.Summary)
		}
		for _, o := range f.Options {
			line := fmt.Sprintf("- `%s`: %s", o.Name, o.Description)
			if len(o.Choices) > 0 {
				line += " (" + choiceList(o.Choices) + ")"
			}
			if o.Required {
				line += ", required"
			}
			lines = append(lines, line)
		}
		for _, ex := range f.Examples {
			lines = append(lines, "- `"+pre+ex+"`")
		}
		if f.Access == AdminOnly {
			lines = append(lines, "Workspace admins only.")
		}
		r.Sections = append(r.Sections, Section{Heading: pre + s.line(sc), Body: strings.Join(lines, "\n")})
	}
	if len(s.Subcommands) == 0 {
		add(nil)
	}
	for i := range s.Subcommands {
		if sc := &s.Subcommands[i]; !sc.Hidden {
			add(sc)
		}
	}
	r.Footer = "Options can be typed by name too: " + pre + s.Name + " name:value."
	return r
}
