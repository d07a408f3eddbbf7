package bot

import "strings"

// Visibility says who sees a reply.
type Visibility int

// Replies are ephemeral (only the caller sees them) unless a handler or the user asks for the
// channel: personal answers should not fill a channel by default.
const (
	Ephemeral Visibility = iota
	Public
)

// Reply is a platform-neutral answer. Text fields use a small Markdown subset that every adapter
// can render: paragraphs, "- " lists, **bold**, `code` and fenced code blocks.
// Handlers never escape: every adapter escapes every text field for its platform (Slack's &, <, >;
// Discord's mentions), so text from users and feeds can go anywhere in a Reply.
type Reply struct {
	Title      string
	Text       string // the lead paragraph
	Sections   []Section
	Fields     []Field // short name/value facts shown side by side
	Links      []Link
	Buttons    []Button
	Footer     string // one line of context under the reply
	Visibility Visibility

	// NotFound marks a reply that answers a request it could not fulfil (no topic matches),
	// so callers such as the terminal can exit non-zero.
	NotFound bool

	// Stock, when set, is the fixed part of the reply: content built once and shared by every
	// request that shows it (a topic's explanation), which renderers prepare ahead of time
	// (Router.Stock lists every stock reply). The reply shows the stock's title, text and
	// fields unless it sets its own, then the stock's sections, links and buttons followed by
	// its own; its own footer replaces the stock's. A stock reply is never modified.
	Stock *Reply
}

// Full returns the reply with its stock merged in, for renderers that do not prepare stock
// replies.
func (r Reply) Full() Reply {
	s := r.Stock
	if s == nil {
		return r
	}
	out := r
	out.Stock = nil
	if out.Title == "" {
		out.Title = s.Title
	}
	if out.Text == "" {
		out.Text = s.Text
	}
	out.Fields = concat(s.Fields, r.Fields)
	out.Sections = concat(s.Sections, r.Sections)
	out.Links = concat(s.Links, r.Links)
	out.Buttons = concat(s.Buttons, r.Buttons)
	if out.Footer == "" {
		out.Footer = s.Footer
	}
	return out
}

// concat is a followed by b in a new slice, so neither is ever written through the result.
func concat[T any](a, b []T) []T {
	if len(b) == 0 {
		return a[:len(a):len(a)]
	}
	out := make([]T, 0, len(a)+len(b))
	return append(append(out, a...), b...)
}

// Section is a titled block of text. When URL is set, the heading links to it.
type Section struct {
	Heading string
	Body    string
	URL     string
}

// Field is a short fact ("Level: intermediate").
type Field struct {
	Name  string
	Value string
}

// Link is a labelled URL.
type Link struct {
	Text string
	URL  string
}

// Button is an action a user can take from a reply. Adapters encode Action in the platform's
// button value or custom id and turn a click back into the Command it describes.
type Button struct {
	Label  string
	Action Action
}

// Action is a command a button runs: "explain raft" is Action{Command: "explain", Args: "raft"}.
type Action struct {
	Command string
	Args    string
	Public  bool // run it for the channel: the "Share in channel" button
}

// Line returns the action as the command line a user would type, without the slash.
func (a Action) Line() string {
	if a.Args == "" {
		return a.Command
	}
	return a.Command + " " + a.Args
}

// For turns a button click back into a command: base carries who clicked and where.
func (a Action) For(base Command) Command {
	base.Name = a.Command
	base.Text = a.Args
	base.Sub, base.Options = "", nil
	base.Public = a.Public
	return base
}

// publicPrefix starts an encoded action that runs for the channel.
const publicPrefix = "public:"

// Encode is the action as a platform button carries it (Slack's value, Discord's custom_id
// after its prefix): the command line, after "public:" for a share button.
func (a Action) Encode() string {
	switch {
	case !a.Public:
		return a.Line()
	case a.Args == "":
		return publicPrefix + a.Command
	}
	return publicPrefix + a.Command + " " + a.Args
}

// DecodeAction reads an action Encode wrote. It reports false for anything else.
func DecodeAction(s string) (Action, bool) {
	line, public := strings.CutPrefix(s, publicPrefix)
	name, text, err := Parse(line)
	if err != nil {
		return Action{}, false
	}
	return Action{Command: name, Args: text, Public: public}, true
}
