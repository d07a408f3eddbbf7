package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/study"
	"github.com/careerbot/careerbot/knowledge"
)

// runExplain answers "careerbot explain <topic...>" through the same handler as /explain.
func runExplain(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("explain", "explain <topic or question...>\n\nExplains a topic: careerbot explain raft, careerbot explain how does raft elect a leader.", stderr)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	return runCommand(ctx, "explain", fs.Args(), stdout, stderr)
}

// runTopics answers "careerbot topics [category]".
func runTopics(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("topics", "topics [category]\n\nLists every topic by category, or one category's topics with summaries.", stderr)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	return runCommand(ctx, "topics", fs.Args(), stdout, stderr)
}

// runCommand dispatches one command through the core and prints the reply as plain text.
// A reply that found nothing exits 1, so scripts can tell.
func runCommand(ctx context.Context, name string, args []string, stdout, stderr io.Writer) int {
	kb, err := knowledge.Builtin()
	if err != nil {
		fmt.Fprintf(stderr, "careerbot: %v\n", err)
		return exitFail
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	router := bot.NewRouter(log, nil)
	study.Register(router, kb, nil, log)
	reply := router.Dispatch(ctx, bot.Command{Platform: bot.PlatformCLI, Name: name, Text: strings.Join(args, " ")})
	fmt.Fprint(stdout, bot.PlainText(reply, "careerbot "))
	if reply.NotFound {
		return exitFail
	}
	return exitOK
}

// runKnowledge serves "careerbot knowledge lint [--dir DIR]".
func runKnowledge(args []string, stdout, stderr io.Writer) int {
	const synopsis = "knowledge lint [--dir DIR]\n\nChecks every topic file (the built-in ones and their learning paths, or DIR's *.md) and prints each problem as file: reason."
	if code, ok := expectSubcommand(args, "lint", synopsis, stdout, stderr); !ok {
		return code
	}
	fs := newFlags("knowledge lint", synopsis, stderr)
	dir := fs.String("dir", "", "lint the topic files in `DIR` instead of the built-in ones")
	if code, ok := parseFlags(fs, args[1:]); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "careerbot knowledge lint: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	var (
		problems []knowledge.Problem
		err      error
	)
	if *dir != "" {
		problems, err = knowledge.Lint(os.DirFS(*dir))
	} else {
		problems, err = knowledge.LintBuiltin()
	}
	if err != nil {
		fmt.Fprintf(stderr, "careerbot knowledge lint: %v\n", err)
		return exitFail
	}
	for _, p := range problems {
		fmt.Fprintln(stdout, p)
	}
	errs, warnings := len(knowledge.Errors(problems)), 0
	warnings = len(problems) - errs
	if errs > 0 {
		fmt.Fprintf(stderr, "%d problem(s), %d warning(s)\n", errs, warnings)
		return exitFail
	}
	if warnings > 0 {
		fmt.Fprintf(stdout, "ok: every topic file is valid (%d warning(s))\n", warnings)
		return exitOK
	}
	fmt.Fprintln(stdout, "ok: every topic file is valid")
	return exitOK
}
