package slack

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	goslack "github.com/slack-go/slack"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/markdown"
	"github.com/careerbot/careerbot/internal/sanitize"
)

// Message is a Slack message payload: the body of a slash-command response, a response_url post,
// or the fields of chat.postMessage / a Home tab view.
type Message struct {
	Text            string          `json:"text"` // notification fallback, always set
	Blocks          []goslack.Block `json:"blocks"`
	ResponseType    string          `json:"response_type,omitempty"` // "ephemeral" or "in_channel"
	ReplaceOriginal bool            `json:"replace_original,omitempty"`
	DeleteOriginal  bool            `json:"delete_original,omitempty"`
}

// RenderOptions adjust Render.
type RenderOptions struct {
	// MaxBlocks is the block limit: 50 for messages (default when 0), 100 for a Home tab.
	MaxBlocks int
}

// Block limits for RenderOptions.MaxBlocks (PLATFORMS.md, "Block Kit limits").
const (
	MaxMessageBlocks = 50
	MaxHomeBlocks    = 100
)

// Response types of a slash-command or response_url reply.
const (
	ResponseEphemeral = "ephemeral"
	ResponseInChannel = "in_channel"
)

// ActionIDPrefix starts the action_id of every button Render makes; the number after it only
// keeps ids unique, the button's value carries the command.
const ActionIDPrefix = "careerbot:"

// Block Kit limits (PLATFORMS.md, "Block Kit limits"), in characters as Slack counts them
// (runes here, as slack-go's validation does). Lengths are measured after escaping: "&amp;"
// is five characters on the wire.
const (
	maxSectionText     = 3000
	maxFieldsPerBlock  = 10
	maxFieldText       = 2000
	maxHeaderText      = 150
	maxContextElements = 10
	maxButtonText      = 75
	maxButtonValue     = 2000
	maxFallbackText    = 3000
	buttonsPerBlock    = 5 // Slack allows 25 per actions block; 5 keeps a row readable
)

// Lengths careerbot chooses so that one part can never crowd out the rest of its block.
const (
	maxHeading   = 250  // a section heading, a field name
	maxLinkLabel = 200  // the visible text of a link
	maxLinkURL   = 2000 // a longer URL is shown as text without a link
)

// Render turns a reply into a Block Kit message. Every piece of text from the reply is escaped
// (&, <, >) before the only markup Render writes itself, links to http(s) URLs, so nothing in a
// reply can mention a user, a channel or @here, or disguise a link. Text too long for one block
// is split over several; when the message would pass opts.MaxBlocks, trailing content is left
// out and a note says so, while the buttons stay.
func Render(r bot.Reply, opts RenderOptions) Message {
	var rd *Renderer
	return rd.Render(r, opts)
}

// Renderer renders replies like Render, with the stock replies it was given (bot.Reply.Stock)
// prepared once: a reply built on one of them costs only what it adds. The zero value and nil
// prepare nothing. A Renderer is read-only after NewRenderer and safe for concurrent use.
type Renderer struct {
	stock map[*bot.Reply]*parts
	json  map[any][]byte // the JSON of prepared blocks and buttons, by pointer; see Encode
}

// NewRenderer prepares every stock reply (bot.Router.Stock).
func NewRenderer(stock []*bot.Reply) *Renderer {
	rd := &Renderer{stock: make(map[*bot.Reply]*parts, len(stock)), json: map[any][]byte{}}
	for _, s := range stock {
		p := prepare(*s, 0)
		rd.stock[s] = &p
		rd.remember(&p)
	}
	return rd
}

// Render renders r; see the package function Render.
func (rd *Renderer) Render(r bot.Reply, opts RenderOptions) Message {
	if r.Stock == nil {
		p := prepare(r, 0)
		return assemble(r, &p, nil, opts)
	}
	var base *parts
	if rd != nil {
		base = rd.stock[r.Stock]
	}
	if base == nil {
		full := r.Full()
		p := prepare(full, 0)
		return assemble(full, &p, nil, opts)
	}
	if r.Title != "" || r.Text != "" || len(r.Fields) > 0 || len(r.Links) > 0 {
		// These are laid out together with the stock's: render the whole reply.
		full := r.Full()
		p := prepare(full, 0)
		return assemble(full, &p, nil, opts)
	}
	own := prepare(bot.Reply{Sections: r.Sections, Buttons: r.Buttons, Footer: r.Footer}, len(base.buttons))
	return assemble(r, base, &own, opts)
}

// parts is a reply rendered piece by piece, before the pieces are fitted into one message.
type parts struct {
	header   goslack.Block // nil without a title
	text     []goslack.Block
	fields   []goslack.Block
	sections []goslack.Block
	links    []goslack.Block
	footer   goslack.Block // nil without a footer
	buttons  []goslack.BlockElement
	fallback string
	// rows are the action blocks of buttons, five to a row; a stock's full rows are reused.
	rows []goslack.Block
}

// prepare renders each piece of r. Button action ids are numbered from firstID, so the buttons
// of a reply can follow those of its stock.
func prepare(r bot.Reply, firstID int) parts {
	p := parts{
		header:  headerBlock(r.Title),
		footer:  footerBlock(r.Footer),
		buttons: buttonElements(r.Buttons, firstID),
	}
	if r.Text != "" {
		p.text = textBlocks(r.Text)
	}
	if len(r.Fields) > 0 {
		p.fields = fieldBlocks(r.Fields)
	}
	if len(r.Links) > 0 {
		p.links = linkBlocks(r.Links)
	}
	for _, s := range r.Sections {
		p.sections = append(p.sections, sectionBlocks(s)...)
	}
	if r.Title != "" || r.Text != "" {
		p.fallback = fallbackText(r)
	}
	if firstID == 0 {
		p.rows = actionRows(p.buttons)
	}
	return p
}

// assemble fits the parts of base, followed by those of own (nil when there is no stock), into
// one message: own's sections and buttons follow base's, and its footer replaces base's.
func assemble(r bot.Reply, base, own *parts, opts RenderOptions) Message {
	maxBlocks := opts.MaxBlocks
	if maxBlocks <= 0 {
		maxBlocks = MaxMessageBlocks
	}
	footer, rows, sections := base.footer, base.rows, len(base.sections)
	if own != nil {
		if own.footer != nil {
			footer = own.footer
		}
		if len(own.buttons) > 0 {
			rows = appendRows(base, own.buttons)
		}
		sections += len(own.sections)
	}
	n := 1 + len(base.text) + len(base.fields) + sections + len(base.links)
	// One allocation for the whole message when it fits: limitBlocks appends in place.
	content := make([]goslack.Block, 0, n+1+len(rows))
	if base.header != nil {
		content = append(content, base.header)
	}
	content = append(content, base.text...)
	content = append(content, base.fields...)
	content = append(content, base.sections...)
	if own != nil {
		content = append(content, own.sections...)
	}
	content = append(content, base.links...)
	fallback := base.fallback
	if fallback == "" {
		fallback = bot.Name
	}
	return Message{
		Text:         fallback,
		Blocks:       limitBlocks(content, footer, rows, maxBlocks),
		ResponseType: responseType(r.Visibility),
	}
}

// concat is a followed by b, in a new slice when b is not empty, so a stock's slices are never
// written through.
func concat[T any](a, b []T) []T {
	if len(b) == 0 {
		return a
	}
	out := make([]T, 0, len(a)+len(b))
	return append(append(out, a...), b...)
}

func responseType(v bot.Visibility) string {
	if v == bot.Public {
		return ResponseInChannel
	}
	return ResponseEphemeral // the default for anything else: never show more than asked
}

// limitBlocks keeps the message within maxBlocks. When it must cut, it keeps the buttons first,
// then the footer, then as much content as fits from the start, and says what it left out.
// footer may be nil. When everything fits, the footer and actions are appended to content.
func limitBlocks(content []goslack.Block, footer goslack.Block, actions []goslack.Block, maxBlocks int) []goslack.Block {
	nFooter := 0
	if footer != nil {
		nFooter = 1
	}
	if len(content)+nFooter+len(actions) <= maxBlocks {
		blocks := content
		if footer != nil {
			blocks = append(blocks, footer)
		}
		return append(blocks, actions...)
	}
	blocks := make([]goslack.Block, 0, maxBlocks)
	room := maxBlocks - 1 // the note
	nActions := min(len(actions), room)
	room -= nActions
	nFooter = min(nFooter, room)
	room -= nFooter
	nContent := min(len(content), room)
	left := len(content) - nContent + (1 - nFooter) + len(actions) - nActions
	if footer == nil {
		left--
	}

	blocks = append(blocks, content[:nContent]...)
	blocks = append(blocks, contextBlock(mrkdwn(shortenedNote(left))))
	if nFooter > 0 {
		blocks = append(blocks, footer)
	}
	return append(blocks, actions[:nActions]...)
}

func shortenedNote(left int) string {
	parts := "parts"
	if left == 1 {
		parts = "part"
	}
	return fmt.Sprintf("_This reply was shortened to fit in Slack: %d more %s not shown._", left, parts)
}

// headerBlock shows the title as plain text, which Slack limits to 150 characters.
func headerBlock(title string) goslack.Block {
	t := fitEscaped(sanitize.Text(title), maxHeaderText)
	if t == "" {
		return nil
	}
	return goslack.NewHeaderBlock(goslack.NewTextBlockObject(goslack.PlainTextType, t, false, false))
}

// textBlocks shows Markdown-subset text as one section per 3,000 characters.
func textBlocks(text string) []goslack.Block {
	var blocks []goslack.Block
	for _, chunk := range splitMrkdwn(toMrkdwn(markdown.Clean(text)), maxSectionText, maxSectionText) {
		blocks = append(blocks, sectionBlock(chunk))
	}
	return blocks
}

// fieldBlocks shows fields as "*Name*\nValue", ten to a section. A value that does not fit in
// a field is shortened with an ellipsis: fields are meant for short facts.
func fieldBlocks(fields []bot.Field) []goslack.Block {
	var texts []*goslack.TextBlockObject
	for _, f := range fields {
		name := fitEscaped(sanitize.Text(f.Name), maxHeading)
		if name != "" {
			name = "*" + name + "*"
		}
		room := maxFieldText
		if name != "" {
			room -= utf8.RuneCountInString(name) + 1
		}
		value := fitEscaped(strings.TrimSpace(toMrkdwn(markdown.Clean(f.Value))), room)
		text := markdown.JoinNonEmpty("\n", name, value)
		if strings.TrimSpace(text) == "" {
			continue
		}
		texts = append(texts, mrkdwn(text))
	}
	var blocks []goslack.Block
	for len(texts) > 0 {
		n := min(len(texts), maxFieldsPerBlock)
		blocks = append(blocks, goslack.NewSectionBlock(nil, texts[:n], nil))
		texts = texts[n:]
	}
	return blocks
}

// sectionBlocks shows a section as "*Heading*\nBody", the heading linked when the section has a
// URL, and the body split over further sections when it is long.
func sectionBlocks(s bot.Section) []goslack.Block {
	heading := fitEscaped(sanitize.Text(s.Heading), maxHeading)
	if u, ok := linkURL(s.URL); ok {
		if heading == "" {
			heading = fitEscaped(sanitize.Text(s.URL), maxHeading)
		}
		heading = "<" + u + "|" + heading + ">"
	}
	if heading != "" {
		heading = "*" + heading + "*"
	}
	first := maxSectionText
	if heading != "" {
		first -= utf8.RuneCountInString(heading) + 1
	}
	chunks := splitMrkdwn(toMrkdwn(markdown.Clean(s.Body)), first, maxSectionText)
	if heading != "" {
		if len(chunks) == 0 {
			chunks = []string{heading}
		} else {
			chunks[0] = heading + "\n" + chunks[0]
		}
	}
	blocks := make([]goslack.Block, len(chunks))
	for i, c := range chunks {
		blocks[i] = sectionBlock(c)
	}
	return blocks
}

// linkBlocks shows links side by side in a context block, or one a line in sections when there
// are more than a context block holds.
func linkBlocks(links []bot.Link) []goslack.Block {
	var items []string
	for _, l := range links {
		label := fitEscaped(sanitize.Text(l.Text), maxLinkLabel)
		u, ok := linkURL(l.URL)
		switch {
		case ok && label == "":
			items = append(items, "<"+u+"|"+fitEscaped(sanitize.Text(l.URL), maxLinkLabel)+">")
		case ok:
			items = append(items, "<"+u+"|"+label+">")
		case label != "":
			items = append(items, label)
		}
	}
	if len(items) == 0 {
		return nil
	}
	if len(items) <= maxContextElements {
		elements := make([]goslack.MixedElement, len(items))
		for i, it := range items {
			elements[i] = mrkdwn(it)
		}
		return []goslack.Block{goslack.NewContextBlock("", elements...)}
	}
	// Items are markup already, each far shorter than a section: pack whole lines.
	var blocks []goslack.Block
	var cur strings.Builder
	n := 0
	for _, it := range items {
		line := "• " + it
		ln := utf8.RuneCountInString(line)
		if n > 0 && n+1+ln > maxSectionText {
			blocks = append(blocks, sectionBlock(cur.String()))
			cur.Reset()
			n = 0
		}
		if n > 0 {
			cur.WriteByte('\n')
			n++
		}
		cur.WriteString(line)
		n += ln
	}
	return append(blocks, sectionBlock(cur.String()))
}

// footerBlock shows the footer as one line of context.
func footerBlock(footer string) goslack.Block {
	t := fitEscaped(boldToMrkdwn(sanitize.Text(footer)), maxSectionText)
	if t == "" {
		return nil
	}
	return contextBlock(mrkdwn(t))
}

// buttonElements makes the buttons, numbering their action ids from firstID. A button's value
// is its encoded action (the command line it runs), which the interaction handler reads back; a
// button whose action does not fit is left out rather than sent cut.
func buttonElements(buttons []bot.Button, firstID int) []goslack.BlockElement {
	var elements []goslack.BlockElement
	for _, b := range buttons {
		value := strings.ToValidUTF8(b.Action.Encode(), "\uFFFD")
		if strings.TrimSpace(b.Action.Line()) == "" || utf8.RuneCountInString(value) > maxButtonValue {
			continue
		}
		label := fitEscaped(sanitize.Text(b.Label), maxButtonText)
		if label == "" {
			label = fitEscaped(sanitize.Text(value), maxButtonText)
		}
		if label == "" {
			continue
		}
		id := actionID(firstID + len(elements))
		text := goslack.NewTextBlockObject(goslack.PlainTextType, label, false, false)
		elements = append(elements, goslack.NewButtonBlockElement(id, value, text))
	}
	return elements
}

// actionIDs are the first action ids, made once: a message has at most 50 blocks.
var actionIDs = func() (ids [2 * MaxHomeBlocks]string) {
	for i := range ids {
		ids[i] = ActionIDPrefix + strconv.Itoa(i)
	}
	return ids
}()

func actionID(i int) string {
	if i < len(actionIDs) {
		return actionIDs[i]
	}
	return ActionIDPrefix + strconv.Itoa(i)
}

// actionRows lays buttons out five to a row.
func actionRows(elements []goslack.BlockElement) []goslack.Block {
	return appendActionRows(nil, elements)
}

func appendActionRows(blocks []goslack.Block, elements []goslack.BlockElement) []goslack.Block {
	for len(elements) > 0 {
		n := min(len(elements), buttonsPerBlock)
		blocks = append(blocks, goslack.NewActionBlock("", elements[:n]...))
		elements = elements[n:]
	}
	return blocks
}

// appendRows is the rows of base's buttons followed by more: base's full rows are kept, the
// rest laid out again.
func appendRows(base *parts, more []goslack.BlockElement) []goslack.Block {
	full := len(base.buttons) / buttonsPerBlock
	rest := concat(base.buttons[full*buttonsPerBlock:], more)
	rows := make([]goslack.Block, full, full+(len(rest)+buttonsPerBlock-1)/buttonsPerBlock)
	copy(rows, base.rows)
	return appendActionRows(rows, rest)
}

// fallbackText is the notification text: the title and the first line of the text.
func fallbackText(r bot.Reply) string {
	first, inFence := "", false
	for line := range strings.SplitSeq(markdown.Clean(r.Text), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case markdown.IsFence(line):
			inFence = !inFence
		case !inFence && line != "":
			first = strings.TrimPrefix(line, "- ")
		}
		if first != "" {
			break
		}
	}
	s := markdown.JoinNonEmpty(" — ", sanitize.Text(r.Title), sanitize.Text(first))
	if s == "" {
		s = bot.Name
	}
	return fitEscaped(boldToMrkdwn(s), maxFallbackText)
}

func sectionBlock(text string) goslack.Block {
	return goslack.NewSectionBlock(mrkdwn(text), nil, nil)
}

func contextBlock(elements ...goslack.MixedElement) goslack.Block {
	return goslack.NewContextBlock("", elements...)
}

// mrkdwn is a mrkdwn text object with verbatim set, so Slack turns no plain text into links
// or mentions: text must be escaped already.
func mrkdwn(text string) *goslack.TextBlockObject {
	return goslack.NewTextBlockObject(goslack.MarkdownType, text, false, true)
}

// Escaping.

var (
	mrkdwnEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	urlEscaper    = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "|", "%7C")
)

// escape makes text from a reply safe to put in any Slack text: Slack reads only these three
// characters as markup for mentions and links.
func escape(s string) string { return mrkdwnEscaper.Replace(s) }

// escapedLen is the length of escape(s) in runes, without building it.
func escapedLen(s string) int {
	n := utf8.RuneCountInString(s)
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '&':
			n += 4
		case '<', '>':
			n += 3
		}
	}
	return n
}

// fitEscaped escapes s, shortened so the escaped text has at most n runes.
func fitEscaped(s string, n int) string {
	return markdown.Fit(s, n, escape, utf8.RuneCountInString)
}

// linkURL returns u ready to go inside <…|…>, or false when it is not an http(s) URL, or too
// long, or holds characters that would break the link.
func linkURL(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" || !utf8.ValidString(raw) || strings.ContainsFunc(raw, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
	}) {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	out := urlEscaper.Replace(u.Scheme + raw[len(u.Scheme):]) // url.Parse lower-cases the scheme
	if utf8.RuneCountInString(out) > maxLinkURL {
		return "", false
	}
	return out, true
}

// Text cleaning and the Markdown subset.

// toMrkdwn converts the Markdown subset of bot.Reply to Slack mrkdwn: "**bold**" becomes
// "*bold*" and "- " items become "• ", outside code. Fences lose a language tag, which Slack would
// show as the first line of code; any other text on a fence line moves inside the block.
func toMrkdwn(text string) string {
	text = strings.TrimSpace(text)
	if !strings.Contains(text, "**") && !strings.Contains(text, "- ") && !strings.Contains(text, "```") {
		return text // nothing to convert
	}
	var b strings.Builder
	b.Grow(len(text) + 16)
	inFence := false
	for i, line := range splitLines(text) {
		if i > 0 {
			b.WriteByte('\n')
		}
		switch {
		case markdown.IsFence(line):
			info := strings.TrimSpace(line[len("```"):])
			switch {
			case !inFence && strings.Contains(info, " "):
				b.WriteString("```\n" + info)
			case inFence && info != "":
				b.WriteString(info + "\n```")
			default:
				b.WriteString("```")
			}
			inFence = !inFence
		case inFence:
			b.WriteString(line)
		default:
			writeBullet(&b, line)
		}
	}
	return b.String()
}

// splitLines is strings.SplitSeq(text, "\n") with the line's index.
func splitLines(text string) func(yield func(int, string) bool) {
	return func(yield func(int, string) bool) {
		i := 0
		for line := range strings.SplitSeq(text, "\n") {
			if !yield(i, line) {
				return
			}
			i++
		}
	}
}

// writeBullet writes a line outside code with "- " items as "• " and "**" as "*".
func writeBullet(b *strings.Builder, line string) {
	rest := strings.TrimLeft(line, " ")
	if strings.HasPrefix(rest, "- ") {
		b.WriteString(line[:len(line)-len(rest)])
		b.WriteString("• ")
		line = rest[2:]
	}
	b.WriteString(boldToMrkdwn(line))
}

// boldToMrkdwn turns "**" into "*" outside `code` spans. A backtick without a partner opens no
// span.
func boldToMrkdwn(line string) string {
	if !strings.Contains(line, "**") {
		return line
	}
	parts := strings.Split(line, "`")
	for i := range parts {
		if i%2 == 0 || i == len(parts)-1 {
			parts[i] = strings.ReplaceAll(parts[i], "**", "*")
		}
	}
	return strings.Join(parts, "`")
}

// Splitting long text.

// mrkdwnSplitter cuts mrkdwn into chunks whose escaped length fits Slack's limits. Slack shows
// a fence's language as code, so fences carry none.
var mrkdwnSplitter = markdown.Splitter{
	Measure: escapedLen,
	Fence:   func(string) (string, string) { return "```\n", "\n```" },
}

// splitMrkdwn cuts mrkdwn text, not yet escaped, into escaped chunks of at most first runes (the
// first chunk) and rest runes (the others); see markdown.Splitter.
func splitMrkdwn(text string, first, rest int) []string {
	chunks := mrkdwnSplitter.Split(text, first, rest)
	for i, c := range chunks {
		chunks[i] = escape(c)
	}
	return chunks
}
