package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// version and commit are set at build time with -ldflags "-X main.version=v1.2.3
// -X main.commit=…" (deploy/Dockerfile); a plain go build reads the commit from the build info.
var (
	version = "dev"
	commit  = ""
)

// Exit codes: 0 success, 1 the command failed, 2 it was used wrongly.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

const usage = `careerbot explains distributed architecture in Slack and Discord.

Usage:
  careerbot <command> [flags] [arguments]

Commands:
  serve                 run the bot: HTTP endpoints on CAREERBOT_ADDR (default 127.0.0.1:8080)
  healthcheck           exit 0 when the serve on CAREERBOT_ADDR answers /healthz (the image's HEALTHCHECK)
  explain <topic...>    explain a topic or answer a question in the terminal
  topics [category]     list the topics, all or one category's
  path [role]           a learning path for a role, from basics to advanced
  quiz [topic]          answer a multiple-choice question in the terminal
  jobs fetch|sources    read the job sources now (--json for scripts), or list them
  knowledge lint        check the topic files and report every problem
  slack manifest        print the Slack app manifest for a deployment URL
  discord register      register the Discord application commands (globally or in a guild)

Flags:
  -h, --help            show this help (also after any command)
  --version             print the version

Configuration comes from the environment; README.md lists every variable.
`

// env reads one environment variable; os.Getenv in production, a map in tests.
type env func(string) string

// run is the whole program: it parses args, runs one command and returns the exit code.
func run(ctx context.Context, args []string, getenv env, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case "-version", "--version", "version":
		fmt.Fprintln(stdout, versionString())
		return exitOK
	case "serve":
		return runServe(ctx, args[1:], getenv, stdout, stderr)
	case "healthcheck":
		return runHealthcheck(ctx, args[1:], getenv, stderr)
	case "explain":
		return runExplain(ctx, args[1:], stdout, stderr)
	case "topics":
		return runTopics(ctx, args[1:], stdout, stderr)
	case "path":
		return runPath(ctx, args[1:], stdout, stderr)
	case "quiz":
		return runQuiz(ctx, args[1:], stdin, stdout, stderr)
	case "knowledge":
		return runKnowledge(args[1:], stdout, stderr)
	case "jobs":
		return runJobs(ctx, args[1:], getenv, stdout, stderr)
	case "slack":
		return runSlack(args[1:], stdout, stderr)
	case "discord":
		return runDiscord(ctx, args[1:], getenv, stdout, stderr)
	}
	if strings.HasPrefix(args[0], "-") {
		fmt.Fprintf(stderr, "careerbot: unknown flag %s\n\n%s", args[0], usage)
	} else if guess := suggestCommand(args[0]); guess != "" {
		fmt.Fprintf(stderr, "careerbot: unknown command %q; did you mean %q?\n\n%s", args[0], guess, usage)
	} else {
		fmt.Fprintf(stderr, "careerbot: unknown command %q\n\n%s", args[0], usage)
	}
	return exitUsage
}

// commands are the names run dispatches, for suggestions.
var commands = []string{"serve", "healthcheck", "explain", "topics", "jobs", "knowledge", "slack", "discord", "help", "version"}

// suggestCommand returns the command closest to name when it is a plausible typo (at most two
// edits, and fewer than half of name), or "".
func suggestCommand(name string) string {
	best, bestDist := "", 0
	for _, c := range commands {
		d := editDistance(name, c)
		if d > 2 || 2*d >= len([]rune(name)) {
			continue
		}
		if best == "" || d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b: insertions,
// deletions, substitutions and swaps of adjacent letters each count one ("explian" is one
// edit from "explain").
func editDistance(a, b string) int {
	s, t := []rune(a), []rune(b)
	// d[i][j] is the distance between s[:i] and t[:j].
	d := make([][]int, len(s)+1)
	for i := range d {
		d[i] = make([]int, len(t)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(s); i++ {
		for j := 1; j <= len(t); j++ {
			cost := 1
			if s[i-1] == t[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && s[i-1] == t[j-2] && s[i-2] == t[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(s)][len(t)]
}

// newFlags returns a flag set that reports errors instead of exiting, with a usage line.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: careerbot %s\n", synopsis)
		if hasFlags(fs) {
			fmt.Fprintln(stderr, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// expectSubcommand checks that args start with the one subcommand a command group has
// ("knowledge lint"): help asked for is a success, anything else a usage error. ok is false
// when the caller should return code.
func expectSubcommand(args []string, want, synopsis string, stdout, stderr io.Writer) (code int, ok bool) {
	switch {
	case len(args) > 0 && args[0] == want:
		return exitOK, true
	case len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help"):
		fmt.Fprintf(stdout, "Usage: careerbot %s\n", synopsis)
		return exitOK, false
	}
	fmt.Fprintf(stderr, "Usage: careerbot %s\n", synopsis)
	return exitUsage, false
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// parseFlags parses args and maps the outcome to an exit code: help is a success, a bad flag a
// usage error. ok is false when the caller should return code.
func parseFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return exitOK, true
	case errors.Is(err, flag.ErrHelp):
		return exitOK, false
	default:
		return exitUsage, false
	}
}

func versionString() string {
	v := "careerbot " + version
	if commit != "" {
		return v + " (" + commit + ")"
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " (" + s.Value[:12] + ")"
		}
	}
	return v + " " + info.GoVersion
}
