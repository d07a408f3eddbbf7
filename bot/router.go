package bot

import (
	"context"
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

// Spec describes a command for help texts and for the platforms' command registration.
type Spec struct {
	Name    string // without the slash
	Usage   string // arguments, e.g. "<topic or question>"
	Summary string // one line: what it does
	// Option is the name of the command's single free-text option on platforms with named
	// options (Discord's topic:), empty when it takes none.
	Option string
	// Hidden commands are routed but not listed (aliases such as Slack's /careerbot).
	Hidden bool
	// Admin is set when some forms of the command need to know whether the user is an admin
	// (removing another member's material), so adapters ask the platform only then.
	Admin bool
}

// Metrics receives one observation per handled command. It is optional.
type Metrics interface {
	CommandHandled(platform Platform, command, outcome string, elapsed time.Duration)
}

// Outcomes reported to Metrics.
const (
	OutcomeOK       = "ok"
	OutcomeNotFound = "not_found"
	OutcomeUnknown  = "unknown_command"
	OutcomeError    = "error"
)

// Router dispatches commands to their handlers. Register every command before the first
// Dispatch; after that the router is read-only and safe for concurrent use.
type Router struct {
	log      *slog.Logger
	metrics  Metrics
	specs    []Spec
	handlers map[string]Handler
}

// NewRouter returns an empty router. metrics may be nil.
func NewRouter(log *slog.Logger, metrics Metrics) *Router {
	return &Router{log: log, metrics: metrics, handlers: make(map[string]Handler)}
}

// Handle registers h for the command spec.Name.
func (r *Router) Handle(spec Spec, h Handler) {
	if _, dup := r.handlers[spec.Name]; dup {
		panic(fmt.Sprintf("bot: command %q registered twice", spec.Name)) // a wiring bug
	}
	r.specs = append(r.specs, spec)
	r.handlers[spec.Name] = h
}

// Specs returns the registered commands that are listed, in registration order.
func (r *Router) Specs() []Spec {
	return slices.DeleteFunc(slices.Clone(r.specs), func(s Spec) bool { return s.Hidden })
}

// Commands returns every registered command, hidden ones included: what a platform registers.
func (r *Router) Commands() []Spec { return slices.Clone(r.specs) }

// Spec returns the registered command called name.
func (r *Router) Spec(name string) (Spec, bool) {
	i := slices.IndexFunc(r.specs, func(s Spec) bool { return s.Name == name })
	if i < 0 {
		return Spec{}, false
	}
	return r.specs[i], true
}

// Knows reports whether a command name is routed.
func (r *Router) Knows(name string) bool {
	_, ok := r.handlers[name]
	return ok
}

// Dispatch runs the command's handler and always returns a reply the user can read: an unknown
// command, a handler error or a handler panic become a polite answer, and the operator gets the
// details in the log.
func (r *Router) Dispatch(ctx context.Context, cmd Command) (reply Reply) {
	start := time.Now()
	outcome := OutcomeOK
	log := r.log.With("platform", cmd.Platform, "workspace", cmd.Workspace, "channel", cmd.Channel, "command", cmd.Name)
	defer func() {
		if p := recover(); p != nil {
			log.ErrorContext(ctx, "command panicked", "panic", p, "stack", string(debug.Stack()))
			reply, outcome = failure(), OutcomeError
		}
		if reply.NotFound && outcome == OutcomeOK {
			outcome = OutcomeNotFound
		}
		if r.metrics != nil {
			r.metrics.CommandHandled(cmd.Platform, metricName(r, cmd.Name), outcome, time.Since(start))
		}
	}()

	h, ok := r.handlers[cmd.Name]
	if !ok {
		outcome = OutcomeUnknown
		return r.unknown(cmd.Name)
	}
	reply, err := h.Handle(ctx, cmd)
	if err != nil {
		log.ErrorContext(ctx, "command failed", "err", err)
		outcome = OutcomeError
		return failure()
	}
	return reply
}

// metricName keeps label cardinality bounded: unknown command names are not labels.
func metricName(r *Router, name string) string {
	if r.Knows(name) {
		return name
	}
	return "unknown"
}

func failure() Reply {
	return Reply{
		Title: "Something went wrong",
		Text:  "That did not work on our side. Try again in a moment; if it keeps failing, tell the workspace admin.",
	}
}

func (r *Router) unknown(name string) Reply {
	names := make([]string, 0, len(r.specs))
	for _, s := range r.Specs() {
		names = append(names, "`"+s.Name+"`")
	}
	return Reply{
		Title:    "Unknown command",
		Text:     fmt.Sprintf("careerbot does not know %s. It knows %s.", Quote(name, 40), strings.Join(names, ", ")),
		Buttons:  []Button{{Label: "Help", Action: Action{Command: "help"}}},
		NotFound: true,
	}
}
