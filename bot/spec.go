package bot

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Spec declares a command once, for every platform: the Slack manifest and text parser, the
// Discord registration and option decoding, autocomplete and help are all derived from it, so
// adding a command touches this package and its handler only.
//
// A command either has one form of its own (Form) or subcommands, each a form with its own
// options ("/materials remove <id>"). Typed text ("materials raft top", Slack's slash commands,
// mentions, buttons, the terminal) and named options (Discord) are both checked against the form
// before the handler runs, so a handler reads Command.Options and never parses.
type Spec struct {
	Name string // lower case, without the slash
	Form        // the command's options when it has no subcommands; its summary in any case
	// Subcommands, when set, replace the command's own options. At most one is the Default, run
	// when the text names no subcommand (Discord, which has no default, registers it by name).
	Subcommands []Subcommand
	// Aliases are further names that route to the command; they are not listed or registered.
	Aliases []string
	// Hidden commands are routed and registered but not listed in help (Slack's /careerbot).
	Hidden bool
	// Skip names the platforms that neither register nor list the command; it is routed on
	// every platform regardless. Slack has /careerbot help instead of /help; Discord has /help
	// instead of /careerbot.
	Skip []Platform
	// Umbrella commands run the command named by their first word ("/careerbot explain raft"),
	// and help when there is none. They have no handler of their own.
	Umbrella bool
	// Questions marks the command that answers a line that names no command ("@careerbot how
	// does raft elect a leader"); see Router.Said.
	Questions bool
	// Home, when set, puts the command's reply (with no options) on a platform's home view
	// under this title; see Router.Home.
	Home string
}

// Form is what one invocation of a command looks like: a command without subcommands, or one
// subcommand.
type Form struct {
	Summary  string   // one line, at most 100 characters (Discord's limit)
	Usage    string   // arguments as help shows them; derived from Options when empty
	Examples []string // command lines without the slash: "explain how does raft elect a leader"
	Options  []Option
	Access   Access
	// Shareable forms answer privately with a "Share in channel" button, and a trailing
	// "public" in typed text posts the answer for the channel at once.
	Shareable bool
}

// Subcommand is one form of a command with subcommands.
type Subcommand struct {
	Name string
	Form
	Aliases []string // further words that name it: "rm" for "remove"
	// Hidden subcommands are reached by typing or by buttons ("materials upvote 42") but are
	// neither registered nor listed.
	Hidden  bool
	Default bool
}

// Access says who may run a form.
type Access int

// Access levels. Dispatch applies them on every route into a handler: a slash command, the
// umbrella command, a button, a mention.
const (
	// Anyone may run the form.
	Anyone Access = iota
	// AdminAware forms are open to everyone but act differently for admins (removing another
	// member's link): dispatch asks the platform whether the user is an admin first, so
	// Command.IsAdmin is reliable in the handler.
	AdminAware
	// AdminOnly forms are refused to anyone the platform does not call an admin.
	AdminOnly
)

// OptionType is the type of an option's value.
type OptionType int

// Option types, as Slack users type them and Discord declares them.
const (
	String OptionType = iota
	Integer
	Boolean
)

// Option is one named value of a form. In typed text an option is given as name:value
// (name:"a few words"), or by position in the order of Options, or, for an option with
// choices, by one of its choices alone ("top"), or, for a Named option, as "name value".
type Option struct {
	Name        string // lower case: what Discord shows and what name:value uses
	Description string // at most 100 characters
	Type        OptionType
	Required    bool
	// MinLength and MaxLength bound a string's length in characters; 0 means no bound.
	MinLength, MaxLength int
	// MinValue and MaxValue bound an integer; both 0 means no bounds.
	MinValue, MaxValue int64
	// Choices, when set, are the only values accepted (compared without case).
	Choices []Choice
	// Complete names the autocomplete source of a string option ("topics"); see
	// Router.Completer.
	Complete string
	// Rest makes a positional option take every word that is left: the last one of a form.
	Rest bool
	// Named options are never positional: only name:value or "name value".
	Named bool
	// Take, for a positional option, says how many of the leading words are its value; 0 leaves
	// the option unset and the words to the next one. Without it, an option takes one word (all
	// of them with Rest).
	Take func(words []string) int
}

// positional reports whether words can fill the option by their place in the text. Options
// with choices are filled by naming a choice, wherever it stands, unless they take the rest.
func (o *Option) positional() bool { return !o.Named && (len(o.Choices) == 0 || o.Rest) }

// Choice is one accepted value of an option.
type Choice struct {
	Name    string   // what Discord and help show
	Value   string   // what the handler receives
	Aliases []string // further words that mean it in typed text
}

// forms returns every form of the spec with the subcommand name it answers to ("" for the
// command's own form).
func (s *Spec) forms() []*Form {
	if len(s.Subcommands) == 0 {
		return []*Form{&s.Form}
	}
	out := make([]*Form, len(s.Subcommands))
	for i := range s.Subcommands {
		out[i] = &s.Subcommands[i].Form
	}
	return out
}

// sub finds the subcommand a word names.
func (s *Spec) sub(word string) (*Subcommand, bool) {
	word = strings.ToLower(word)
	for i := range s.Subcommands {
		sc := &s.Subcommands[i]
		if sc.Name == word || slices.Contains(sc.Aliases, word) {
			return sc, true
		}
	}
	return nil, false
}

// defaultSub is the subcommand run when the text names none.
func (s *Spec) defaultSub() (*Subcommand, bool) {
	for i := range s.Subcommands {
		if s.Subcommands[i].Default {
			return &s.Subcommands[i], true
		}
	}
	return nil, false
}

// On reports whether the spec is registered on platform p.
func (s Spec) On(p Platform) bool { return !slices.Contains(s.Skip, p) }

// Option finds a form's option by name.
func (f *Form) Option(name string) (*Option, bool) {
	for i := range f.Options {
		if f.Options[i].Name == name {
			return &f.Options[i], true
		}
	}
	return nil, false
}

// Synopsis is the form's arguments as help shows them: Usage, or "<required> [optional]" from
// its options.
func (f *Form) Synopsis() string {
	if f.Usage != "" {
		return f.Usage
	}
	parts := make([]string, 0, len(f.Options))
	for _, o := range f.Options {
		word := o.Name
		if o.Named {
			word = o.Name + " N"
			if o.Type == String {
				word = o.Name + ":…"
			}
		}
		if len(o.Choices) > 0 && len(o.Choices) <= 4 {
			vals := make([]string, len(o.Choices))
			for i, c := range o.Choices {
				vals[i] = c.Value
			}
			word = strings.Join(vals, "|")
		}
		if o.Required {
			parts = append(parts, "<"+word+">")
		} else {
			parts = append(parts, "["+word+"]")
		}
	}
	return strings.Join(parts, " ")
}

// Line is a subcommand's invocation as help shows it: "materials remove <id>".
func (s *Spec) line(sc *Subcommand) string {
	words := []string{s.Name}
	if sc != nil && !sc.Default {
		words = append(words, sc.Name)
	}
	f := &s.Form
	if sc != nil {
		f = &sc.Form
	}
	if syn := f.Synopsis(); syn != "" {
		words = append(words, syn)
	}
	return strings.Join(words, " ")
}

var namePattern = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,31}$`)

// maxDescription is the longest summary or option description: Discord's limit.
const maxDescription = 100

// validate reports a spec that no platform could register or that the parser could not read;
// Router.Handle panics on it, since it is a programming error.
func (s *Spec) validate() error {
	if !namePattern.MatchString(s.Name) {
		return fmt.Errorf("command name %q: want 1-32 of a-z, 0-9, - and _", s.Name)
	}
	if s.Summary == "" || utf8.RuneCountInString(s.Summary) > maxDescription {
		return fmt.Errorf("command %s: the summary must have 1 to %d characters", s.Name, maxDescription)
	}
	for _, a := range s.Aliases {
		if !namePattern.MatchString(a) {
			return fmt.Errorf("command %s: alias %q is not a valid name", s.Name, a)
		}
	}
	if len(s.Subcommands) > 0 && len(s.Options) > 0 {
		return fmt.Errorf("command %s: a command with subcommands has no options of its own", s.Name)
	}
	defaults := 0
	seen := map[string]bool{}
	for _, sc := range s.Subcommands {
		for _, n := range append([]string{sc.Name}, sc.Aliases...) {
			if !namePattern.MatchString(n) || seen[n] {
				return fmt.Errorf("command %s: subcommand name %q is invalid or used twice", s.Name, n)
			}
			seen[n] = true
		}
		if sc.Default {
			defaults++
		}
		if !sc.Hidden && (sc.Summary == "" || utf8.RuneCountInString(sc.Summary) > maxDescription) {
			return fmt.Errorf("command %s %s: the summary must have 1 to %d characters", s.Name, sc.Name, maxDescription)
		}
	}
	if defaults > 1 {
		return fmt.Errorf("command %s: %d default subcommands, want at most 1", s.Name, defaults)
	}
	for _, f := range s.forms() {
		if err := f.validate(); err != nil {
			return fmt.Errorf("command %s: %w", s.Name, err)
		}
	}
	return nil
}

func (f *Form) validate() error {
	seen := map[string]bool{}
	optional, rest := false, false
	for i, o := range f.Options {
		if !namePattern.MatchString(o.Name) || seen[o.Name] {
			return fmt.Errorf("option name %q is invalid or used twice", o.Name)
		}
		seen[o.Name] = true
		if o.Description == "" || utf8.RuneCountInString(o.Description) > maxDescription {
			return fmt.Errorf("option %s: the description must have 1 to %d characters", o.Name, maxDescription)
		}
		if o.Required && optional {
			return fmt.Errorf("option %s: required options come before optional ones", o.Name)
		}
		optional = optional || !o.Required
		if o.Rest {
			if rest || o.Named || o.Type != String {
				return fmt.Errorf("option %s: only one string option takes the rest of the text", o.Name)
			}
			rest = true
		} else if rest && o.positional() {
			return fmt.Errorf("option %s: no positional option can follow the one that takes the rest (%s)", o.Name, f.Options[i-1].Name)
		}
		if o.Type != String && (o.Complete != "" || o.Take != nil) {
			return fmt.Errorf("option %s: only string options have autocomplete or Take", o.Name)
		}
	}
	return nil
}

// Hint is the whole command's arguments in one line, as Slack's usage hint shows them: the
// form's synopsis, or each listed subcommand's, separated by " · ".
func (s Spec) Hint() string {
	if len(s.Subcommands) == 0 {
		return s.Synopsis()
	}
	var parts []string
	for i := range s.Subcommands {
		sc := &s.Subcommands[i]
		if sc.Hidden {
			continue
		}
		p := sc.Synopsis()
		if !sc.Default {
			p = strings.TrimSpace(sc.Name + " " + p)
		}
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " · ")
}
