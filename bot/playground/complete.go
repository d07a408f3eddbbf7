package playground

import (
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/careerbot/careerbot/bot"
)

// maxSuggestions is how many suggestions the page lists at once.
const maxSuggestions = 8

// suggestion is one entry of the autocomplete list: Value is the whole line the input becomes
// when the visitor picks it.
type suggestion struct {
	Label  string `json:"label"`
	Value  string `json:"value"`
	Detail string `json:"detail,omitempty"`
}

// complete answers the page's autocomplete for ?text=, the line typed so far.
func (a *Adapter) complete(w http.ResponseWriter, r *http.Request) {
	text := r.URL.Query().Get("text")
	if len(text) > bot.MaxCommandText {
		writeJSON(w, http.StatusOK, []suggestion{})
		return
	}
	writeJSON(w, http.StatusOK, a.suggest(text, maxSuggestions))
}

// suggest completes a typed line from the commands' specs: command names while the first word
// is typed, then a command's subcommands, then the value of the option being typed from its
// autocomplete source through Router.Complete, the resolver Discord's autocomplete uses.
func (a *Adapter) suggest(text string, n int) []suggestion {
	out := []suggestion{}
	last, _ := utf8.DecodeLastRuneInString(text)
	finished := text != "" && unicode.IsSpace(last) // the last word is complete
	words := strings.Fields(strings.TrimPrefix(bot.Clean(text), "/"))
	if len(words) == 0 || len(words) == 1 && !finished {
		prefix := ""
		if len(words) == 1 {
			prefix = strings.ToLower(words[0])
		}
		for _, s := range a.router.Listed(bot.PlatformPlayground) {
			if strings.HasPrefix(s.Name, prefix) && len(out) < n {
				out = append(out, suggestion{Label: "/" + s.Name, Value: "/" + s.Name + " ", Detail: s.Summary})
			}
		}
		return out
	}
	spec, ok := a.router.Spec(strings.ToLower(words[0]))
	if !ok || spec.Umbrella {
		return out
	}
	head, args, current := words[:1], words[1:], ""
	if !finished {
		current, args = args[len(args)-1], args[:len(args)-1]
	}
	form, sub := &spec.Form, ""
	if len(spec.Subcommands) > 0 {
		var sc *bot.Subcommand
		if len(args) > 0 {
			if sc = subcommand(&spec, args[0]); sc != nil {
				head, args = words[:2], args[1:]
			}
		}
		if sc == nil && len(args) == 0 {
			for i := range spec.Subcommands {
				c := &spec.Subcommands[i]
				if !c.Hidden && strings.HasPrefix(c.Name, strings.ToLower(current)) && len(out) < n {
					out = append(out, suggestion{Label: "/" + spec.Name + " " + c.Name,
						Value: "/" + join(head, c.Name) + " ", Detail: c.Summary})
				}
			}
		}
		if sc == nil {
			sc = defaultSubcommand(&spec)
		}
		if sc == nil {
			return out
		}
		form, sub = &sc.Form, sc.Name
	}
	return append(out, a.suggestValue(spec.Name, sub, form, head, args, current, n-len(out))...)
}

// suggestValue completes the option that current (the word being typed, after args) fills:
// a name:value pair, or the next positional option.
func (a *Adapter) suggestValue(command, sub string, form *bot.Form, head, args []string, current string, n int) []suggestion {
	if n <= 0 {
		return nil
	}
	if k, v, ok := strings.Cut(current, ":"); ok {
		o, ok := form.Option(strings.ToLower(k))
		if !ok || o.Complete == "" {
			return nil
		}
		return a.choices(command, sub, o.Name, strings.TrimPrefix(v, `"`), n, func(value string) string {
			if strings.Contains(value, " ") {
				value = `"` + value + `"`
			}
			return "/" + join(append(head, args...), k+":"+value)
		})
	}
	// The words that fill options by position, by their index in args.
	var at []int
	for i, w := range args {
		if k, _, ok := strings.Cut(w, ":"); ok {
			if _, named := form.Option(strings.ToLower(k)); named {
				continue
			}
		}
		at = append(at, i)
	}
	pos := 0
	for i := range form.Options {
		o := &form.Options[i]
		if o.Named || len(o.Choices) > 0 && !o.Rest {
			continue // never filled by position
		}
		switch {
		case o.Rest && pos <= len(at):
			// The option takes every word from its place on, the one being typed included.
			cut, typed := len(args), []string{current}
			if pos < len(at) {
				cut = at[pos]
				typed = append(append([]string(nil), args[cut:]...), current)
			}
			before := append(append([]string(nil), head...), args[:cut]...)
			return a.choices(command, sub, o.Name, strings.TrimSpace(strings.Join(typed, " ")), n, func(value string) string {
				return "/" + join(before, value)
			})
		case pos == len(at):
			if o.Complete == "" {
				return nil
			}
			return a.choices(command, sub, o.Name, current, n, func(value string) string {
				return "/" + join(append(append([]string(nil), head...), args...), value)
			})
		}
		pos++
	}
	return nil
}

// choices asks the router for the option's suggestions and makes each the line line returns.
func (a *Adapter) choices(command, sub, option, input string, n int, line func(value string) string) []suggestion {
	var out []suggestion
	for _, c := range a.router.Complete(command, sub, option, input, n) {
		s := suggestion{Label: c.Name, Value: line(c.Value)}
		if c.Value != c.Name {
			s.Detail = c.Value
		}
		out = append(out, s)
	}
	return out
}

// subcommand finds the subcommand a word names, by name or alias.
func subcommand(s *bot.Spec, word string) *bot.Subcommand {
	word = strings.ToLower(word)
	for i := range s.Subcommands {
		sc := &s.Subcommands[i]
		if sc.Name == word {
			return sc
		}
		for _, alias := range sc.Aliases {
			if alias == word {
				return sc
			}
		}
	}
	return nil
}

// defaultSubcommand is the subcommand run when the text names none.
func defaultSubcommand(s *bot.Spec) *bot.Subcommand {
	for i := range s.Subcommands {
		if s.Subcommands[i].Default {
			return &s.Subcommands[i]
		}
	}
	return nil
}

// join joins words and a last word with spaces.
func join(words []string, last string) string {
	return strings.Join(append(append([]string(nil), words...), last), " ")
}
