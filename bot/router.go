package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"strings"
	"time"
)

// Handler answers one command.
type Handler interface {
	Handle(ctx context.Context, cmd Command) (Reply, error)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, cmd Command) (Reply, error)

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, cmd Command) (Reply, error) { return f(ctx, cmd) }

// Stocker is a handler whose replies share fixed parts (see Reply.Stock); Router.Stock lists
// them for renderers to prepare.
type Stocker interface {
	Stock() []*Reply
}

// Metrics receives one observation per handled command. It is optional.
type Metrics interface {
	CommandHandled(platform Platform, command, outcome string, elapsed time.Duration)
}

// Outcomes reported to Metrics.
const (
	OutcomeOK        = "ok"
	OutcomeNotFound  = "not_found"
	OutcomeUnknown   = "unknown_command"
	OutcomeUsage     = "usage"
	OutcomeForbidden = "forbidden"
	OutcomeStale     = "stale_button"
	OutcomeError     = "error"
)

// Completer suggests values for an option as the user types (Discord's autocomplete, the
// playground): at most n, best first.
type Completer func(input string, n int) []Choice

// Router dispatches commands to their handlers. Register every command before the first
// Dispatch; after that the router is read-only and safe for concurrent use.
type Router struct {
	log        *slog.Logger
	metrics    Metrics
	entries    []*entry
	byName     map[string]*entry // names and aliases
	completers map[string]Completer
}

type entry struct {
	spec    Spec
	handler Handler
}

// NewRouter returns an empty router. metrics may be nil.
func NewRouter(log *slog.Logger, metrics Metrics) *Router {
	r := &Router{log: log, metrics: metrics, byName: make(map[string]*entry), completers: make(map[string]Completer)}
	r.completers["commands"] = r.completeCommands
	r.Handle(helpSpec, helpHandler{router: r})
	r.Handle(umbrellaSpec, nil)
	return r
}

// ordered is every entry in registration order, except that help and the umbrella command,
// which every router has from the start, come last.
func (r *Router) ordered() []*entry {
	builtin := func(e *entry) bool { return e.spec.Name == helpSpec.Name || e.spec.Name == umbrellaSpec.Name }
	out := slices.DeleteFunc(slices.Clone(r.entries), builtin)
	for _, e := range r.entries {
		if builtin(e) {
			out = append(out, e)
		}
	}
	return out
}

// Handle registers h for spec. A spec no platform could register, or a name used twice, is a
// wiring bug and panics.
func (r *Router) Handle(spec Spec, h Handler) {
	if err := spec.validate(); err != nil {
		panic("bot: " + err.Error())
	}
	if spec.Umbrella != (h == nil) {
		panic(fmt.Sprintf("bot: command %q: an umbrella command has no handler, any other one has", spec.Name))
	}
	e := &entry{spec: spec, handler: h}
	for _, name := range append([]string{spec.Name}, spec.Aliases...) {
		if _, dup := r.byName[name]; dup {
			panic(fmt.Sprintf("bot: command %q registered twice", name))
		}
		r.byName[name] = e
	}
	r.entries = append(r.entries, e)
}

// Completer registers an autocomplete source under the name Option.Complete uses.
func (r *Router) Completer(source string, c Completer) { r.completers[source] = c }

// Complete suggests up to n values for the option of a command (and subcommand) that the user
// is typing, from the option's autocomplete source. It returns nothing for an option without
// one.
func (r *Router) Complete(command, sub, option, input string, n int) []Choice {
	e, ok := r.byName[command]
	if !ok {
		return nil
	}
	form := &e.spec.Form
	if len(e.spec.Subcommands) > 0 {
		sc, ok := e.spec.sub(sub)
		if !ok {
			return nil
		}
		form = &sc.Form
	}
	o, ok := form.Option(option)
	if !ok || o.Complete == "" {
		return nil
	}
	c, ok := r.completers[o.Complete]
	if !ok {
		return nil
	}
	return c(Clean(input), n)
}

func (r *Router) completeCommands(input string, n int) []Choice {
	var out []Choice
	for _, e := range r.ordered() {
		if !e.spec.Hidden && strings.HasPrefix(e.spec.Name, strings.ToLower(input)) && len(out) < n {
			out = append(out, Choice{Name: e.spec.Name, Value: e.spec.Name})
		}
	}
	return out
}

// Commands returns the specs a platform registers (Slack's manifest, Discord's commands), in
// registration order, hidden ones included.
func (r *Router) Commands(p Platform) []Spec {
	var out []Spec
	for _, e := range r.ordered() {
		if e.spec.On(p) {
			out = append(out, e.spec)
		}
	}
	return out
}

// Listed returns the specs help lists on platform p.
func (r *Router) Listed(p Platform) []Spec {
	return slices.DeleteFunc(r.Commands(p), func(s Spec) bool { return s.Hidden })
}

// Spec returns the spec of the command called name or one of its aliases.
func (r *Router) Spec(name string) (Spec, bool) {
	e, ok := r.byName[name]
	if !ok {
		return Spec{}, false
	}
	return e.spec, true
}

// Knows reports whether a command name or alias is routed.
func (r *Router) Knows(name string) bool {
	_, ok := r.byName[name]
	return ok
}

// Stock returns the fixed parts of replies that handlers share (Reply.Stock), for renderers to
// prepare once.
func (r *Router) Stock() []*Reply {
	var out []*Reply
	for _, e := range r.entries {
		if s, ok := e.handler.(Stocker); ok {
			out = append(out, s.Stock()...)
		}
	}
	return out
}

// Dispatch runs the command's handler and always returns a reply the user can read: an unknown
// command, text that does not fit the command, a form the user may not run, a handler error or
// a handler panic become a polite answer, and the operator gets the details in the log. Every
// route into a handler (slash commands, the umbrella command, buttons, mentions) comes through
// here, so the Spec's access rule is applied on all of them.
func (r *Router) Dispatch(ctx context.Context, cmd Command) (reply Reply) {
	start := time.Now()
	name, outcome := "unknown", OutcomeOK
	defer func() {
		if p := recover(); p != nil {
			r.log.ErrorContext(ctx, "command panicked", "platform", cmd.Platform, "workspace", cmd.Workspace,
				"channel", cmd.Channel, "command", cmd.Name, "panic", p, "stack", string(debug.Stack()))
			reply, outcome = failure(), OutcomeError
		}
		if reply.NotFound && outcome == OutcomeOK {
			outcome = OutcomeNotFound
		}
		if r.metrics != nil {
			r.metrics.CommandHandled(cmd.Platform, name, outcome, time.Since(start))
		}
	}()
	reply, outcome = r.route(ctx, cmd, false, &name)
	return reply
}

// Press runs the button whose encoded action a platform sent back (Action.Encode). A button
// careerbot cannot read, or whose command no longer exists, gets an answer saying so.
func (r *Router) Press(ctx context.Context, base Command, encoded string) Reply {
	a, ok := DecodeAction(encoded)
	if !ok || !r.Knows(a.Command) {
		if r.metrics != nil {
			r.metrics.CommandHandled(base.Platform, "button", OutcomeStale, 0)
		}
		return StaleButton()
	}
	return r.Dispatch(ctx, a.For(base))
}

// StaleButton answers a click on a button careerbot no longer knows: an old message, a removed
// feature.
func StaleButton() Reply {
	return Reply{
		Title: "This button no longer works",
		Text:  "It belongs to an older message or a feature that has changed. Type the command instead, for example `/explain raft`; `/help` lists them all.",
	}
}

// route finds the handler, reads the command's options against its spec, applies its access
// rule and runs it. It returns the reply and the outcome, and sets name to the command's name
// for metrics as soon as it is known.
func (r *Router) route(ctx context.Context, cmd Command, inner bool, name *string) (Reply, string) {
	e, ok := r.byName[cmd.Name]
	if !ok {
		return r.unknown(cmd.Name), OutcomeUnknown
	}
	spec := &e.spec
	*name = spec.Name
	if spec.Umbrella {
		next, text, err := Parse(cmd.Text)
		if e, known := r.byName[next]; inner || err != nil || !known || e.spec.Umbrella {
			next, text = helpSpec.Name, ""
		}
		cmd.Name, cmd.Text, cmd.Sub, cmd.Options = next, text, "", nil
		return r.route(ctx, cmd, true, name)
	}

	var a args
	var err error
	if cmd.Options != nil {
		a, err = spec.readOptions(cmd.Sub, cmd.Options)
	} else {
		a, err = spec.readText(cmd.Text)
	}
	if ue := (*usageError)(nil); errors.As(err, &ue) {
		return r.usage(spec, ue), OutcomeUsage
	}
	if a.form.Access != Anyone && !cmd.IsAdmin && cmd.AdminCheck != nil {
		cmd.IsAdmin = cmd.AdminCheck(ctx)
	}
	if a.form.Access == AdminOnly && !cmd.IsAdmin {
		return forbidden(spec, a.sub), OutcomeForbidden
	}
	cmd.Name, cmd.Options, cmd.Public = spec.Name, a.values, cmd.Public || a.public
	cmd.Sub = ""
	if a.sub != nil {
		cmd.Sub = a.sub.Name
	}
	reply, err := e.handler.Handle(ctx, cmd)
	if err != nil {
		r.log.ErrorContext(ctx, "command failed", "platform", cmd.Platform, "workspace", cmd.Workspace,
			"channel", cmd.Channel, "command", cmd.Name, "err", err)
		return failure(), OutcomeError
	}
	if cmd.Public {
		reply.Visibility = Public
	}
	if a.form.Shareable && reply.Visibility != Public && cmd.Channel != "" {
		line := a.line(spec.Name)
		_, args, _ := strings.Cut(line, " ")
		reply.Buttons = append(reply.Buttons[:len(reply.Buttons):len(reply.Buttons)],
			Button{Label: ShareLabel, Action: Action{Command: spec.Name, Args: args, Public: true}})
	}
	return reply, OutcomeOK
}

// ShareLabel is the label of the button that posts a private answer for the channel.
const ShareLabel = "Share in channel"

func failure() Reply {
	return Reply{
		Title: "Something went wrong",
		Text:  "That did not work on our side. Try again in a moment; if it keeps failing, tell the workspace admin.",
	}
}

func (r *Router) unknown(name string) Reply {
	names := make([]string, 0, len(r.entries))
	for _, e := range r.ordered() {
		if !e.spec.Hidden {
			names = append(names, "`"+e.spec.Name+"`")
		}
	}
	return Reply{
		Title:    "Unknown command",
		Text:     fmt.Sprintf("careerbot does not know %s. It knows %s.", Quote(name, 40), strings.Join(names, ", ")),
		Buttons:  []Button{{Label: "Help", Action: Action{Command: "help"}}},
		NotFound: true,
	}
}

// usage answers a command whose text does not fit its spec: what is wrong, then how the form
// is used, with examples.
func (r *Router) usage(spec *Spec, e *usageError) Reply {
	reply := Reply{Title: "How to use /" + spec.Name, Text: e.msg, NotFound: true}
	var lines []string
	if e.form != nil {
		lines = append(lines, "`/"+spec.line(e.sub)+"`")
		for _, ex := range e.form.Examples {
			lines = append(lines, "- `/"+ex+"`")
		}
	} else {
		for i := range spec.Subcommands {
			if sc := &spec.Subcommands[i]; !sc.Hidden {
				lines = append(lines, "- `/"+spec.line(sc)+"`: "+sc.Summary)
			}
		}
	}
	reply.Sections = []Section{{Heading: "Usage", Body: strings.Join(lines, "\n")}}
	reply.Buttons = []Button{{Label: "Help on /" + spec.Name, Action: Action{Command: "help", Args: spec.Name}}}
	return reply
}

func forbidden(spec *Spec, sub *Subcommand) Reply {
	what := "/" + spec.Name
	if sub != nil {
		what += " " + sub.Name
	}
	return Reply{
		Title:    "Only admins can do that",
		Text:     fmt.Sprintf("`%s` needs a workspace admin (on Discord, the Manage Channels permission). Ask one to run it.", what),
		NotFound: true,
	}
}

// Said turns a line a user wrote to the bot (a mention: "@careerbot explain raft", "@careerbot
// how does raft elect a leader") into a command on base: the command it starts with, or else a
// question for the command whose spec takes questions, or help when the line is empty.
func (r *Router) Said(base Command, line string) Command {
	base.Sub, base.Options = "", nil
	name, text, err := Parse(line)
	switch {
	case err != nil:
		base.Name, base.Text = helpSpec.Name, ""
	case r.Knows(name):
		base.Name, base.Text = name, text
	default:
		base.Name, base.Text = helpSpec.Name, ""
		for _, e := range r.entries {
			if e.spec.Questions {
				base.Name, base.Text = e.spec.Name, Clean(line)
				break
			}
		}
	}
	return base
}

// Home is what a platform's home view shows a user (Slack's Home tab): what careerbot can do,
// then the replies of the commands whose spec asks to be on it, each under its home title.
func (r *Router) Home(ctx context.Context, base Command) []Reply {
	base.Sub, base.Options, base.Text = "", nil, ""
	out := []Reply{r.Dispatch(ctx, withName(base, helpSpec.Name))}
	for _, e := range r.ordered() {
		if e.spec.Home == "" {
			continue
		}
		reply := r.Dispatch(ctx, withName(base, e.spec.Name))
		reply.Title = e.spec.Home
		out = append(out, reply)
	}
	return out
}

func withName(c Command, name string) Command {
	c.Name = name
	return c
}
