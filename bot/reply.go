package bot

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
	base.Options = nil
	return base
}
