package bot

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// usageError is a command whose text or options do not fit its Spec. Msg is a sentence for the
// user; the router adds the form's usage and examples.
type usageError struct {
	form *Form
	sub  *Subcommand
	msg  string
}

func (e *usageError) Error() string { return e.msg }

// args are a command's options once read and checked against its spec.
type args struct {
	sub    *Subcommand // nil for a command without subcommands
	form   *Form
	values map[string]string
	public bool // typed text ended in "public"
}

// readText reads typed text against the spec: a subcommand word first (or the default one),
// then name:value pairs, "name value" for named options, choices by themselves, and the rest by
// position.
func (s *Spec) readText(text string) (args, error) {
	words := strings.Fields(text)
	a := args{form: &s.Form, values: map[string]string{}}
	if len(s.Subcommands) > 0 {
		if len(words) > 0 {
			if sc, ok := s.sub(words[0]); ok {
				a.sub, words = sc, words[1:]
			}
		}
		if a.sub == nil {
			sc, ok := s.defaultSub()
			if !ok {
				return a, &usageError{msg: s.subcommandHint(words)}
			}
			a.sub = sc
		}
		a.form = &a.sub.Form
	}
	if a.form.Shareable && len(words) > 0 && strings.EqualFold(words[len(words)-1], "public") {
		a.public, words = true, words[:len(words)-1]
	}
	f := a.form
	fail := func(format string, v ...any) (args, error) {
		return a, &usageError{form: f, sub: a.sub, msg: fmt.Sprintf(format, v...)}
	}

	// name:value, name:"a few words" and "name value" (named options).
	var left []string
	for i := 0; i < len(words); i++ {
		w := words[i]
		if k, v, ok := strings.Cut(w, ":"); ok && v != "" {
			if o, ok := f.Option(strings.ToLower(k)); ok {
				if strings.HasPrefix(v, `"`) {
					v = v[1:]
					for !strings.HasSuffix(v, `"`) && i+1 < len(words) {
						i++
						v += " " + words[i]
					}
					v = strings.TrimSuffix(v, `"`)
				}
				if _, dup := a.values[o.Name]; dup {
					return fail("%s is given twice.", o.Name)
				}
				a.values[o.Name] = v
				continue
			}
		}
		if o, ok := f.Option(strings.ToLower(w)); ok && o.Named && i+1 < len(words) {
			if _, dup := a.values[o.Name]; !dup {
				a.values[o.Name] = words[i+1]
				i++
				continue
			}
		}
		left = append(left, w)
	}
	// Choices by themselves: "top", "new".
	words, left = left, left[:0:0]
	for _, w := range words {
		if o := f.choiceNamed(w, a.values); o != nil {
			a.values[o.Name] = w
			continue
		}
		left = append(left, w)
	}
	// The rest by position.
	for i := range f.Options {
		o := &f.Options[i]
		if len(left) == 0 {
			break
		}
		if _, set := a.values[o.Name]; set || !o.positional() {
			continue
		}
		n := 1
		switch {
		case o.Take != nil:
			n = min(o.Take(left), len(left))
		case o.Rest:
			n = len(left)
		}
		if n > 0 {
			a.values[o.Name] = strings.Join(left[:n], " ")
			left = left[n:]
		}
	}
	if len(left) > 0 {
		return fail("careerbot did not understand %s.", Quote(strings.Join(left, " "), 60))
	}
	return a, f.check(a.values, a.sub)
}

// readOptions checks options a platform sent by name (Discord) against the spec.
func (s *Spec) readOptions(sub string, values map[string]string) (args, error) {
	a := args{form: &s.Form, values: values}
	if len(s.Subcommands) > 0 {
		sc, ok := s.sub(sub)
		if !ok {
			sc, ok = s.defaultSub()
		}
		if !ok {
			return a, &usageError{msg: s.subcommandHint(nil)}
		}
		a.sub, a.form = sc, &sc.Form
	}
	for name := range values {
		if _, ok := a.form.Option(name); !ok {
			delete(values, name) // an option from an older registration: ignore it
		}
	}
	return a, a.form.check(values, a.sub)
}

// choiceNamed finds the unset option that has w among its choices.
func (f *Form) choiceNamed(w string, set map[string]string) *Option {
	for i := range f.Options {
		o := &f.Options[i]
		if _, done := set[o.Name]; done || o.Rest || len(o.Choices) == 0 {
			continue
		}
		if _, ok := o.choice(w, false); ok {
			return o
		}
	}
	return nil
}

// choice finds the choice w names, by value, name or alias, without case; with prefix, also
// the one choice whose value or name starts with w ("cons" for "consensus").
func (o *Option) choice(w string, prefix bool) (Choice, bool) {
	for _, c := range o.Choices {
		if strings.EqualFold(w, c.Value) || strings.EqualFold(w, c.Name) {
			return c, true
		}
		for _, a := range c.Aliases {
			if strings.EqualFold(w, a) {
				return c, true
			}
		}
	}
	if !prefix {
		return Choice{}, false
	}
	if found := o.prefixed(w); len(found) == 1 {
		return found[0], true
	}
	return Choice{}, false
}

// prefixed is the choices whose value or name starts with w, of at least 2 letters.
func (o *Option) prefixed(w string) []Choice {
	if utf8.RuneCountInString(w) < 2 {
		return nil
	}
	lw := strings.ToLower(w)
	var found []Choice
	for _, c := range o.Choices {
		if strings.HasPrefix(strings.ToLower(c.Value), lw) || strings.HasPrefix(strings.ToLower(c.Name), lw) {
			found = append(found, c)
		}
	}
	return found
}

// check validates values in place: required options present, integers and booleans well
// formed and within bounds, strings within their lengths, choices canonical.
func (f *Form) check(values map[string]string, sub *Subcommand) error {
	fail := func(format string, v ...any) error {
		return &usageError{form: f, sub: sub, msg: fmt.Sprintf(format, v...)}
	}
	for i := range f.Options {
		o := &f.Options[i]
		v, ok := values[o.Name]
		v = strings.TrimSpace(Clean(v))
		if !ok || v == "" {
			delete(values, o.Name)
			if o.Required {
				return fail("This needs %s.", lowerFirst(o.Description))
			}
			continue
		}
		switch o.Type {
		case Integer:
			n, err := strconv.ParseInt(strings.TrimPrefix(v, "#"), 10, 64)
			if err != nil {
				if f, ferr := strconv.ParseFloat(v, 64); ferr == nil && f == float64(int64(f)) {
					n, err = int64(f), nil // Discord sends integers as JSON numbers
				}
			}
			if err != nil {
				return fail("%s must be a whole number, not %s.", o.Name, Quote(v, 30))
			}
			if (o.MinValue != 0 || o.MaxValue != 0) && n < o.MinValue {
				return fail("%s must be at least %d.", o.Name, o.MinValue)
			}
			if o.MaxValue != 0 && n > o.MaxValue {
				return fail("%s must be at most %d.", o.Name, o.MaxValue)
			}
			v = strconv.FormatInt(n, 10)
		case Boolean:
			b, err := strconv.ParseBool(strings.ToLower(v))
			if err != nil {
				switch strings.ToLower(v) {
				case "yes", "on":
					b, err = true, nil
				case "no", "off":
					b, err = false, nil
				}
			}
			if err != nil {
				return fail("%s must be yes or no, not %s.", o.Name, Quote(v, 30))
			}
			v = strconv.FormatBool(b)
		default:
			if len(o.Choices) > 0 {
				c, ok := o.choice(v, true)
				if !ok {
					if maybe := o.prefixed(v); len(maybe) > 1 {
						return fail("%s could be %s: say which.", Quote(v, 40), choiceList(maybe))
					}
					return fail("%s must be one of %s, not %s.", o.Name, choiceList(o.Choices), Quote(v, 40))
				}
				v = c.Value
			}
			n := utf8.RuneCountInString(v)
			if o.MaxLength > 0 && n > o.MaxLength {
				return fail("The %s has %d characters; keep it to %d.", o.Name, n, o.MaxLength)
			}
			if n < o.MinLength {
				return fail("The %s needs at least %d characters.", o.Name, o.MinLength)
			}
		}
		values[o.Name] = v
	}
	return nil
}

// subcommandHint is the sentence for text that names no subcommand of a command that has no
// default one.
func (s *Spec) subcommandHint(words []string) string {
	names := make([]string, 0, len(s.Subcommands))
	for _, sc := range s.Subcommands {
		if !sc.Hidden {
			names = append(names, "`"+s.Name+" "+sc.Name+"`")
		}
	}
	if len(words) == 0 {
		return "Say what to do: " + JoinOr(names) + "."
	}
	return fmt.Sprintf("%s is not something %s does. Try %s.", Quote(words[0], 30), "`/"+s.Name+"`", JoinOr(names))
}

func choiceList(cs []Choice) string {
	vals := make([]string, len(cs))
	for i, c := range cs {
		vals[i] = "`" + c.Value + "`"
	}
	return JoinOr(vals)
}

// lowerFirst lower-cases the first letter of a description to use it mid-sentence ("The link"
// → "the link"), leaving abbreviations ("URL") alone.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == len(s) || !unicode.IsUpper(r) {
		return s
	}
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// line is the command line that runs the same command with the same options again, as a button
// carries it: the subcommand, then name:value for every option but the one that takes the rest,
// which ends the line as typed.
func (a args) line(name string) string {
	words := []string{name}
	if a.sub != nil && !a.sub.Default {
		words = append(words, a.sub.Name)
	}
	rest := ""
	for _, o := range a.form.Options {
		v, ok := a.values[o.Name]
		if !ok {
			continue
		}
		if o.Rest {
			rest = v
			continue
		}
		if strings.ContainsAny(v, " \t\n") {
			v = `"` + strings.ReplaceAll(v, `"`, "") + `"`
		}
		words = append(words, o.Name+":"+v)
	}
	if rest != "" {
		words = append(words, rest)
	}
	return strings.Join(words, " ")
}
