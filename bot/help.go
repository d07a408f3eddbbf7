package bot

import (
	"context"
	"fmt"
	"strings"
)

// helpHandler answers /help (Discord) and /careerbot help (Slack) with the commands the router
// knows, so a command appears in help exactly when it is routed.
type helpHandler struct {
	router *Router
}

func (h helpHandler) Handle(context.Context, Command) (Reply, error) {
	r := Reply{
		Title: "careerbot",
		Text: "careerbot explains distributed-architecture topics, from foundations such as CAP and " +
			"consensus to Kubernetes, observability and security, and keeps the study links your team shares.",
	}
	lines := make([]string, 0, len(h.router.specs))
	for _, s := range h.router.Specs() {
		usage := "/" + s.Name
		if s.Usage != "" {
			usage += " " + s.Usage
		}
		lines = append(lines, fmt.Sprintf("- `%s`: %s", usage, s.Summary))
	}
	r.Sections = []Section{{Heading: "Commands", Body: strings.Join(lines, "\n")}}
	r.Buttons = []Button{
		{Label: "Topic index", Action: Action{Command: "topics"}},
		{Label: "Where to start", Action: Action{Command: "explain"}},
	}
	return r, nil
}

// careerbotHandler serves Slack's umbrella command: "/careerbot help" and "/careerbot" show help,
// "/careerbot explain raft" runs explain, so one command reaches everything.
type careerbotHandler struct {
	router *Router
}

func (h careerbotHandler) Handle(ctx context.Context, cmd Command) (Reply, error) {
	name, text, err := Parse(cmd.Text)
	if err != nil || name == "help" || name == "careerbot" || !h.router.Knows(name) {
		return helpHandler(h).Handle(ctx, cmd)
	}
	cmd.Name, cmd.Text, cmd.Options = name, text, nil
	return h.router.handlers[name].Handle(ctx, cmd)
}
