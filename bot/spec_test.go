package bot_test

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/bottest"
	"github.com/careerbot/careerbot/bot/study"
	"github.com/careerbot/careerbot/knowledge"
)

func deployRouter(t testing.TB) (*bot.Router, *bottest.Recorder) {
	t.Helper()
	r := bot.NewRouter(slog.New(slog.DiscardHandler), nil)
	rec := &bottest.Recorder{}
	r.Handle(bottest.Deploy, rec)
	return r, rec
}

func run(r *bot.Router, cmd bot.Command) bot.Reply {
	return r.Dispatch(context.Background(), cmd).Full()
}

// TestReadText reads typed text against the throwaway command's spec.
func TestReadText(t *testing.T) {
	r, rec := deployRouter(t)
	tests := []struct {
		text string
		want string // the handler's summary, or the reply title when the handler must not run
	}{
		{"web", "start service=web"},
		{"start web", "start service=web"},
		{"web production", "start env=production service=web"},
		{"production web", "start env=production service=web"},
		{"web PROD", "start env=production service=web"},
		{"web replicas 2 because it is friday", "start note=because it is friday replicas=2 service=web"},
		{"web replicas:2", "start replicas=2 service=web"},
		{`service:"web" note:"a b c" stage`, "start env=staging note=a b c service=web"},
		{"Service:web", "start service=web"},
		{"rollback #12", "Only admins can do that"},
		{"", "How to use /deploy"},
		{"web replicas 0", "How to use /deploy"},
		{"web replicas many", "How to use /deploy"},
		{"web replicas:many", "How to use /deploy"},
		{"web env:moon", "How to use /deploy"},
		{"web env:staging env:production", "How to use /deploy"},
		{strings.Repeat("x", 21), "How to use /deploy"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			before, _ := rec.Last()
			got := run(r, bot.Command{Platform: bot.PlatformCLI, Name: "deploy", Text: tt.text})
			if !strings.Contains(tt.want, "=") {
				if got.Title != tt.want {
					t.Errorf("title %q, want %q (%s)", got.Title, tt.want, got.Text)
				}
				if after, _ := rec.Last(); bottest.Summary(after) != bottest.Summary(before) {
					t.Errorf("the handler ran: %s", bottest.Summary(after))
				}
				return
			}
			if got.Title != tt.want {
				t.Errorf("%q, want %q (%s)", got.Title, tt.want, got.Text)
			}
		})
	}
}

// TestAccessOnEveryRoute: the admin-only form is refused to a member, and allowed to an admin,
// however it is reached, and the platform is asked only when a form needs the answer.
func TestAccessOnEveryRoute(t *testing.T) {
	r, _ := deployRouter(t)
	asked := 0
	member := func(admin bool) bot.Command {
		return bot.Command{Platform: bot.PlatformSlack, Workspace: "T1", Channel: "C1", User: "U1",
			AdminCheck: func(context.Context) bool { asked++; return admin }}
	}
	routes := []struct {
		name string
		run  func(base bot.Command) bot.Reply
	}{
		{"command", func(b bot.Command) bot.Reply { b.Name, b.Text = "deploy", "rollback 3"; return run(r, b) }},
		{"alias", func(b bot.Command) bot.Reply { b.Name, b.Text = "ship", "rollback 3"; return run(r, b) }},
		{"umbrella", func(b bot.Command) bot.Reply { b.Name, b.Text = "careerbot", "deploy rollback 3"; return run(r, b) }},
		{"button", func(b bot.Command) bot.Reply { return r.Press(context.Background(), b, "deploy rollback 3").Full() }},
		{"mention", func(b bot.Command) bot.Reply { return run(r, r.Said(b, "deploy rollback 3")) }},
		{"options", func(b bot.Command) bot.Reply {
			b.Name, b.Sub, b.Options = "deploy", "rollback", map[string]string{"id": "3"}
			return run(r, b)
		}},
	}
	for _, route := range routes {
		if got := route.run(member(false)); got.Title != "Only admins can do that" {
			t.Errorf("%s, member: %q", route.name, got.Title)
		}
		if got := route.run(member(true)); got.Title != "rollback id=3" {
			t.Errorf("%s, admin: %q", route.name, got.Title)
		}
	}
	asked = 0
	b := member(false)
	b.Name, b.Text = "deploy", "web"
	run(r, b)
	if asked != 0 {
		t.Errorf("the platform was asked %d times for a form anyone may run", asked)
	}
}

// TestHelpFromSpecs: help lists every listed form of every command on the platform, and
// /help <command> shows one command's options and examples.
func TestHelpFromSpecs(t *testing.T) {
	r, _ := deployRouter(t)
	all := run(r, bot.Command{Platform: bot.PlatformDiscord, Name: "help"})
	body := all.Sections[0].Body
	for _, want := range []string{
		"`/deploy <service> [staging|production] [replicas N] [note]`: Deploy a service",
		"`/deploy rollback <id>`: Roll a deployment back (admins only)",
		"`/help [command]`",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("help lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "ship") || strings.Contains(body, "/careerbot") {
		t.Errorf("help lists an alias or the umbrella command:\n%s", body)
	}
	if slack := run(r, bot.Command{Platform: bot.PlatformSlack, Name: "careerbot", Text: "help"}); strings.Contains(slack.Sections[0].Body, "/help") {
		t.Errorf("Slack's help lists /help, which Slack does not register")
	}
	one := run(r, bot.Command{Platform: bot.PlatformDiscord, Name: "help", Text: "deploy"})
	text := strings.ToLower(bot.PlainText(one, ""))
	for _, want := range []string{"/deploy rollback <id>", "replicas: How many replicas", "env: Where to deploy it (staging or production)",
		"/deploy web production replicas 3", "Workspace admins only."} {
		if !strings.Contains(text, strings.ToLower(want)) {
			t.Errorf("/help deploy lacks %q:\n%s", want, text)
		}
	}
	if got := run(r, bot.Command{Platform: bot.PlatformDiscord, Name: "help", Text: "nope"}); !got.NotFound {
		t.Errorf("/help nope: %q", got.Title)
	}
}

// TestSpecValidation: a spec no platform could register is refused when it is registered.
func TestSpecValidation(t *testing.T) {
	ok := bot.Form{Summary: "Does things."}
	tests := map[string]bot.Spec{
		"bad name":             {Name: "Deploy!", Form: ok},
		"no summary":           {Name: "x"},
		"options and subs":     {Name: "x", Form: bot.Form{Summary: "s", Options: []bot.Option{{Name: "a", Description: "a"}}}, Subcommands: []bot.Subcommand{{Name: "b", Form: ok}}},
		"two defaults":         {Name: "x", Form: ok, Subcommands: []bot.Subcommand{{Name: "a", Default: true, Form: ok}, {Name: "b", Default: true, Form: ok}}},
		"required after opt":   {Name: "x", Form: bot.Form{Summary: "s", Options: []bot.Option{{Name: "a", Description: "a"}, {Name: "b", Description: "b", Required: true}}}},
		"after the rest":       {Name: "x", Form: bot.Form{Summary: "s", Options: []bot.Option{{Name: "a", Description: "a", Rest: true}, {Name: "b", Description: "b"}}}},
		"no description":       {Name: "x", Form: bot.Form{Summary: "s", Options: []bot.Option{{Name: "a"}}}},
		"integer autocomplete": {Name: "x", Form: bot.Form{Summary: "s", Options: []bot.Option{{Name: "a", Description: "a", Type: bot.Integer, Complete: "topics"}}}},
		"taken name":           {Name: "help", Form: ok},
	}
	for name, spec := range tests {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("registered %+v", spec)
				}
			}()
			r := bot.NewRouter(slog.New(slog.DiscardHandler), nil)
			r.Handle(spec, bot.HandlerFunc(func(context.Context, bot.Command) (bot.Reply, error) { return bot.Reply{}, nil }))
		})
	}
}

// TestShareButtonRunsTheSameCommand: the "Share in channel" button the router adds carries a
// command line that reads back into the same options, whatever the platform sent.
func TestShareButtonRunsTheSameCommand(t *testing.T) {
	r, rec := deployRouter(t)
	from := bot.Command{Platform: bot.PlatformDiscord, Workspace: "G1", Channel: "C1", User: "U1", Name: "deploy", Sub: "start",
		Options: map[string]string{"service": "web", "env": "staging", "replicas": "2", "note": "with spaces and \"quotes\""}}
	shareable := bottest.Deploy
	shareable.Name, shareable.Aliases = "deploy2", nil
	shareable.Subcommands = append([]bot.Subcommand(nil), shareable.Subcommands...)
	shareable.Subcommands[0].Shareable = true
	r.Handle(shareable, rec)
	from.Name = "deploy2"
	reply := r.Dispatch(context.Background(), from)
	want := bottest.Summary(mustLast(t, rec))
	var share *bot.Button
	for i := range reply.Buttons {
		if reply.Buttons[i].Action.Public {
			share = &reply.Buttons[i]
		}
	}
	if share == nil || share.Label != bot.ShareLabel {
		t.Fatalf("no share button on %+v", reply.Buttons)
	}
	got := r.Press(context.Background(), from, share.Action.Encode())
	if got.Visibility != bot.Public || got.Title != want {
		t.Errorf("the share button ran %q (%v), want %q", got.Title, got.Visibility, want)
	}
}

func mustLast(t *testing.T, rec *bottest.Recorder) bot.Command {
	t.Helper()
	c, ok := rec.Last()
	if !ok {
		t.Fatal("the handler did not run")
	}
	return c
}

func FuzzReadText(f *testing.F) {
	r, _ := deployRouter(f)
	for _, s := range []string{"web prod replicas 3 note", `service:"a b`, "rollback #9", "replicas", ":::", "env:", "start start start", "public"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got := r.Dispatch(context.Background(), bot.Command{Platform: bot.PlatformCLI, Name: "deploy", Text: text, IsAdmin: true})
		if got.Title == "" || got.Title == "Something went wrong" {
			t.Errorf("%q: %q", text, got.Title)
		}
	})
}

// TestLayout holds the import rules of the bot package doc: the adapters depend on the core
// alone (no knowledge base, no store), the core on no adapter, the shared text package on
// nothing of careerbot.
func TestLayout(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is not on PATH: %v", err)
	}
	deps := func(pkg string) []string {
		out, err := exec.Command(goTool, "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		return strings.Fields(string(out))
	}
	const mod = "github.com/careerbot/careerbot/"
	rules := []struct {
		pkg       string
		forbidden []string
	}{
		{mod + "bot/slack", []string{mod + "knowledge", mod + "bot/study", mod + "bot/discord", mod + "bot/deliver", mod + "bot/career"}},
		{mod + "bot/slack/slackfake", []string{mod}},
		{mod + "jobs", []string{mod + "bot"}},
		{mod + "bot/deliver", []string{mod + "bot/slack", mod + "bot/discord", mod + "knowledge"}},
		{mod + "bot/discord", []string{mod + "knowledge", mod + "bot/study", mod + "bot/slack", mod + "bot/deliver"}},
		{mod + "bot/discord/discordfake", []string{mod}},
		{mod + "bot/playground", []string{mod + "knowledge", mod + "jobs", mod + "bot/study", mod + "bot/career",
			mod + "bot/deliver", mod + "bot/slack", mod + "bot/discord", mod + "bot/web", mod + "bot/webhook"}},
		{mod + "bot", []string{mod + "knowledge", mod + "bot/slack", mod + "bot/discord", mod + "bot/web", mod + "bot/playground"}},
		{mod + "bot/markdown", []string{mod}},
		{mod + "bot/webhook", []string{mod}},
	}
	for _, rule := range rules {
		for _, d := range deps(rule.pkg) {
			for _, f := range rule.forbidden {
				if d != rule.pkg && strings.HasPrefix(d, f) {
					t.Errorf("%s depends on %s", rule.pkg, d)
				}
			}
		}
	}
}

// TestAdaptersNameNoCommand: no string literal in the adapters' code names a command, so a
// command reaches every platform from its spec alone.
func TestAdaptersNameNoCommand(t *testing.T) {
	kb, err := knowledge.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	r := bot.NewRouter(slog.New(slog.DiscardHandler), nil)
	study.Register(r, kb, knowledge.NewLibrary(nil, kb), slog.New(slog.DiscardHandler))
	// The umbrella command is called after the product, whose name (bot.Name) starts many
	// sentences: only the exact name, with or without the slash, would name the command.
	var names, exact []string
	for _, p := range []bot.Platform{bot.PlatformSlack, bot.PlatformDiscord, bot.PlatformCLI} {
		for _, s := range r.Commands(p) {
			if s.Umbrella {
				exact = append(exact, s.Name)
				continue
			}
			names = append(names, s.Name)
			names = append(names, s.Aliases...)
			for _, sc := range s.Subcommands {
				names = append(names, s.Name+" "+sc.Name)
			}
		}
	}
	for _, dir := range []string{"slack", "discord", "playground"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no files in %s: %v", dir, err)
		}
		for _, file := range files {
			if strings.HasSuffix(file, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					return true
				}
				for _, name := range exact {
					if s == name || s == "/"+name {
						t.Errorf("%s: the literal %q names the command %q", file, s, name)
					}
				}
				for _, name := range names {
					if s == name || s == "/"+name || strings.HasPrefix(s, name+" ") || strings.HasPrefix(s, "/"+name+" ") {
						t.Errorf("%s: the literal %q names the command %q", file, s, name)
					}
				}
				return true
			})
		}
	}
}
