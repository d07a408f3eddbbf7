package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/career"
	"github.com/careerbot/careerbot/bot/study"
	"github.com/careerbot/careerbot/jobs"
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

// terminalRouter routes the commands the terminal offers: the study commands, /path without job
// openings and /quiz with state for this run only. False when the knowledge base does not load.
func terminalRouter(stderr io.Writer) (*bot.Router, bool) {
	kb, err := knowledge.Builtin()
	if err != nil {
		fmt.Fprintf(stderr, "careerbot: %v\n", err)
		return nil, false
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	router := bot.NewRouter(log, nil)
	study.Register(router, kb, nil, log)
	study.RegisterPaths(router, kb, nil)
	study.RegisterQuiz(router, kb, knowledge.NewMemoryQuizStore(), log)
	return router, true
}

// runCommand dispatches one command through the core and prints the reply as plain text.
// A reply that found nothing exits 1, so scripts can tell.
func runCommand(ctx context.Context, name string, args []string, stdout, stderr io.Writer) int {
	router, ok := terminalRouter(stderr)
	if !ok {
		return exitFail
	}
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
	errs := len(knowledge.Errors(problems))
	warnings := len(problems) - errs
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

// openingsFor finds openings for /path opening:<id>: among the open ones in the catalogue, else
// among stored ones, so a plan still works for an opening posted earlier that has since closed.
func openingsFor(j *career.Jobs) study.Openings {
	skills := make(map[string]jobs.Skill)
	for _, s := range jobs.Skills() {
		skills[s.ID] = s
	}
	return func(ctx context.Context, id string) (study.Opening, bool, error) {
		var doc *jobs.Doc
		if d, ok := j.Catalog.Doc(id); ok {
			doc = d
		} else if j.Openings != nil {
			o, err := j.Openings.Opening(ctx, id)
			switch {
			case errors.Is(err, jobs.ErrNotFound):
				return study.Opening{}, false, nil
			case err != nil:
				return study.Opening{}, false, err
			}
			doc = jobs.Index(&o)
		} else {
			return study.Opening{}, false, nil
		}
		out := study.Opening{Title: doc.Opening.Title, Company: doc.Opening.Company}
		at := make(map[string]int)
		for _, sid := range doc.Skills() {
			s := skills[sid]
			for _, t := range s.Topics {
				i, ok := at[t]
				if !ok {
					i = len(out.Topics)
					at[t] = i
					out.Topics = append(out.Topics, study.OpeningTopic{ID: t})
				}
				out.Topics[i].Skills = append(out.Topics[i].Skills, s.Name)
			}
		}
		return out, true, nil
	}
}

// runPath answers "careerbot path [role]" through the same handler as /path.
func runPath(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := newFlags("path", "path [role]\n\nShows a role's learning path, from basics to advanced: careerbot path sre, careerbot path platform engineer.", stderr)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	return runCommand(ctx, "path", fs.Args(), stdout, stderr)
}

// terminalUser is who answers quizzes in the terminal, for the quiz state of one run.
const terminalUser = "terminal"

// runQuiz asks "careerbot quiz [topic]": one question, through the same handlers as /quiz, with
// the answer read as a letter from stdin. With no answer (stdin closed) it shows the question
// only and exits 0.
func runQuiz(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlags("quiz", "quiz [topic]\n\nAsks a multiple-choice question and reads your answer (A, B, C or D): careerbot quiz raft.", stderr)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	router, ok := terminalRouter(stderr)
	if !ok {
		return exitFail
	}
	base := bot.Command{Platform: bot.PlatformCLI, User: terminalUser}
	ask := base
	ask.Name, ask.Text = "quiz", strings.Join(fs.Args(), " ")
	question := router.Dispatch(ctx, ask).Full()
	buttons := question.Buttons
	question.Buttons = nil // answered here, not by typing the buttons' commands
	fmt.Fprint(stdout, bot.PlainText(question, "careerbot "))
	if question.NotFound {
		return exitFail
	}
	if len(buttons) == 0 || buttons[0].Action.Command != study.AnswerCommand {
		return exitOK
	}
	letters := make([]string, len(buttons))
	for i, b := range buttons {
		letters[i] = b.Label
	}
	prompt := fmt.Sprintf("\nYour answer (%s): ", strings.Join(letters, ", "))
	in := bufio.NewScanner(stdin)
	for {
		fmt.Fprint(stdout, prompt)
		if !in.Scan() {
			fmt.Fprintln(stdout)
			return exitOK
		}
		choice := strings.ToUpper(strings.TrimSpace(in.Text()))
		for _, b := range buttons {
			if b.Label == choice {
				result := router.Dispatch(ctx, b.Action.For(base))
				fmt.Fprint(stdout, "\n"+bot.PlainText(result, "careerbot "))
				return exitOK
			}
		}
		fmt.Fprintf(stdout, "%q is not one of the options.", in.Text())
	}
}
