package main

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/slack"
	"github.com/careerbot/careerbot/knowledge"
)

// runSlack serves "careerbot slack manifest --url https://...".
func runSlack(args []string, stdout, stderr io.Writer) int {
	const synopsis = "slack manifest --url https://HOST [--socket-mode]\n\n" +
		"Prints the Slack app manifest for a deployment: paste it at api.slack.com/apps (Create New App, From a manifest)."
	if code, ok := expectSubcommand(args, "manifest", synopsis, stdout, stderr); !ok {
		return code
	}
	fs := newFlags("slack manifest", synopsis, stderr)
	base := fs.String("url", "", "the deployment's public `URL` (https), where Slack sends requests")
	socket := fs.Bool("socket-mode", false, "use Socket Mode: no request URLs")
	if code, ok := parseFlags(fs, args[1:]); !ok {
		return code
	}
	if *base == "" && !*socket {
		fmt.Fprintln(stderr, "careerbot slack manifest: --url is required (or --socket-mode)")
		fs.Usage()
		return exitUsage
	}
	kb, err := knowledge.Builtin()
	if err != nil {
		fmt.Fprintf(stderr, "careerbot: %v\n", err)
		return exitFail
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	router := newRouter(kb, knowledge.NewLibrary(nil, kb), nil, nil, log, nil)
	out, err := slack.Manifest(router.Commands(bot.PlatformSlack), *base, *socket)
	if err != nil {
		fmt.Fprintf(stderr, "careerbot slack manifest: %v\n", err)
		return exitUsage
	}
	_, _ = stdout.Write(out)
	return exitOK
}
