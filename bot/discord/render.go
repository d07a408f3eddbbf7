package discord

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/markdown"
	"github.com/careerbot/careerbot/internal/sanitize"
)

// CustomIDPrefix starts the custom_id of every button careerbot makes; the rest is the
// button's encoded action (bot.Action.Encode): the command line it runs.
const CustomIDPrefix = "cb:"

// BrandColor is the colour of the bar beside every careerbot embed.
const BrandColor = 0x3B6EA8

// Discord limits (PLATFORMS.md, "Messages and components"). Lengths are counted in UTF-16 code
// units, never fewer than the characters Discord counts, after escaping.
const (
	maxEmbedTitle       = 256
	maxEmbedDescription = 4096
	maxEmbedFields      = 25
	maxEmbedFieldName   = 256
	maxEmbedFieldValue  = 1024
	maxEmbedFooter      = 2048
	maxEmbedTotal       = 6000
	maxActionRows       = 5
	maxButtonsPerRow    = 5
	maxButtonLabel      = 80
	maxCustomID         = 100
)

// Lengths careerbot chooses so that one part can never crowd out the rest of the embed.
const (
	maxLinkLabel = 200
	maxLinkURL   = 512 // a longer URL is shown as text without a link (512 is Discord's link-button limit)
)

const (
	zeroWidthSpace = "\u200b"
	// shortenedNote goes in the footer when trailing content was left out.
	shortenedNote   = "Reply shortened to fit in Discord."
	emptyEmbedText  = bot.Name // Discord refuses an empty embed
	truncatedMarker = "\n…"
)

// Render returns the data of an interaction response (type 4 or 7), a follow-up or an edit.
//
// Everything is in one embed; content stays empty. Every text from the reply is escaped so that
// it can neither mention (ping or look like a mention) nor disguise a link, while Discord's own
// Markdown (**bold**, `code`, fenced blocks, "- " lists) keeps working; allowed_mentions is an
// empty list besides. Components is never nil, so an update or edit removes old buttons.
func Render(r bot.Reply) *discordgo.InteractionResponseData {
	var rd *Renderer
	return rd.Render(r)
}

// MessageSend returns the same rendering as a channel message (for posting with the REST API).
// A channel message is public: it has no flags.
func MessageSend(r bot.Reply) *discordgo.MessageSend {
	var rd *Renderer
	embed, rows := rd.embed(r)
	return &discordgo.MessageSend{Embeds: []*discordgo.MessageEmbed{embed}, Components: rows, AllowedMentions: noMentions()}
}

// Renderer renders replies like Render, with the stock replies it was given (bot.Reply.Stock)
// prepared once: a reply that adds sections, buttons or a footer to a stock costs only what it
// adds. The zero value and nil prepare nothing. A Renderer is read-only after NewRenderer and
// safe for concurrent use.
type Renderer struct {
	stock   map[*bot.Reply]*prepared
	encoded encoded
}

// prepared is a stock reply rendered once.
type prepared struct {
	embed   *discordgo.MessageEmbed
	budget  int  // the description's budget it was rendered with
	cut     bool // something was left out: requests render the whole reply again
	used    int  // length of the title, description and fields, as Discord counts it
	buttons []discordgo.MessageComponent
	ids     map[string]bool // custom ids of buttons
	rows    []discordgo.MessageComponent
}

// NewRenderer prepares every stock reply (bot.Router.Stock).
func NewRenderer(stock []*bot.Reply) *Renderer {
	rd := &Renderer{stock: make(map[*bot.Reply]*prepared, len(stock)),
		encoded: encoded{fields: map[*discordgo.MessageEmbedField][]byte{}}}
	for _, s := range stock {
		p := &prepared{ids: map[string]bool{}}
		p.embed, p.budget, p.cut = renderEmbed(*s)
		p.used = discordLen(p.embed.Title) + discordLen(p.embed.Description)
		for _, f := range p.embed.Fields {
			p.used += fieldLen(f)
		}
		p.buttons = buttons(s.Buttons, p.ids, nil, 0)
		p.rows = rows(p.buttons)
		rd.stock[s] = p
		rd.encoded.add(p)
	}
	return rd
}

// Render renders r; see the package function Render.
func (rd *Renderer) Render(r bot.Reply) *discordgo.InteractionResponseData {
	var flags discordgo.MessageFlags
	if r.Visibility != bot.Public { // anything but Public: never show more than asked
		flags = discordgo.MessageFlagsEphemeral
	}
	embed, rows := rd.embed(r)
	return &discordgo.InteractionResponseData{
		Embeds:          []*discordgo.MessageEmbed{embed},
		Components:      rows,
		AllowedMentions: noMentions(),
		Flags:           flags,
	}
}

// embed is the reply's embed and button rows: from the prepared stock when the reply only adds
// to it and nothing has to be cut, else rendered whole.
func (rd *Renderer) embed(r bot.Reply) (*discordgo.MessageEmbed, []discordgo.MessageComponent) {
	if r.Stock != nil {
		var p *prepared
		if rd != nil {
			p = rd.stock[r.Stock]
		}
		if p != nil && r.Title == "" && r.Text == "" && len(r.Fields) == 0 && len(r.Links) == 0 {
			if e, rows, ok := p.extend(r); ok {
				return e, rows
			}
		}
		r = r.Full()
	}
	e, _, _ := renderEmbed(r)
	return e, rows(buttons(r.Buttons, map[string]bool{}, nil, 0))
}

// extend adds r's sections, buttons and footer to the prepared stock. It reports false when
// the result would not be what rendering the whole reply gives: when anything must be cut.
func (p *prepared) extend(r bot.Reply) (*discordgo.MessageEmbed, []discordgo.MessageComponent, bool) {
	if p.cut {
		return nil, nil, false
	}
	e := *p.embed
	footer := ""
	if r.Footer != "" {
		footer = fitEscaped(stripBold(sanitize.Text(r.Footer)), maxEmbedFooter-noteRoom(), escapeText)
	} else if p.embed.Footer != nil {
		footer = p.embed.Footer.Text
	}
	if descriptionBudget(e.Title, footer) < p.budget {
		return nil, nil, false
	}
	var more []*discordgo.MessageEmbedField
	for _, s := range r.Sections {
		more = append(more, sectionFields(s)...)
	}
	used := p.used + discordLen(footer)
	for _, f := range more {
		used += fieldLen(f)
	}
	if len(e.Fields)+len(more) > maxEmbedFields || used > maxEmbedTotal {
		return nil, nil, false
	}
	if len(more) > 0 {
		e.Fields = concat(p.embed.Fields, more)
	}
	if footer != "" && (p.embed.Footer == nil || footer != p.embed.Footer.Text) {
		e.Footer = &discordgo.MessageEmbedFooter{Text: footer}
	}
	if len(r.Buttons) == 0 {
		return &e, p.rows, true
	}
	added := buttons(r.Buttons, p.ids, map[string]bool{}, len(p.buttons))
	if len(added) == 0 {
		return &e, p.rows, true
	}
	full := len(p.buttons) / maxButtonsPerRow
	return &e, concat(p.rows[:full:full], rows(concat(p.buttons[full*maxButtonsPerRow:], added))), true
}

// concat is a followed by b in a new slice, so a prepared stock's slices are never written
// through.
func concat[T any](a, b []T) []T {
	out := make([]T, 0, len(a)+len(b))
	return append(append(out, a...), b...)
}

// noMentions lets nothing in a message ping: a nil Parse would encode as null, which Discord
// reads as "the default mentions".
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// renderEmbed lays the reply out in one embed within every limit. The title and footer come
// first, then the description (text and links), then fields in order until the 25 fields or the
// 6,000 characters of an embed are used up; when something is left out, the footer says so.
// It also returns the budget the description had and whether anything was left out.
func renderEmbed(r bot.Reply) (*discordgo.MessageEmbed, int, bool) {
	noteRoom := noteRoom()
	title := fitEscaped(sanitize.Text(r.Title), maxEmbedTitle, escapeText)
	footer := fitEscaped(stripBold(sanitize.Text(r.Footer)), maxEmbedFooter-noteRoom, escapeText)
	used := discordLen(title) + discordLen(footer)

	budget := descriptionBudget(title, footer)
	description, shortened := renderDescription(r.Text, r.Links, budget)
	used += discordLen(description)

	var fields []*discordgo.MessageEmbedField
	for _, f := range r.Fields {
		if ef := inlineField(f); ef != nil {
			fields = append(fields, ef)
		}
	}
	for _, s := range r.Sections {
		fields = append(fields, sectionFields(s)...)
	}
	size := 0
	for _, f := range fields {
		size += fieldLen(f)
	}
	if shortened || len(fields) > maxEmbedFields || used+size > maxEmbedTotal {
		shortened = true
		room, n := maxEmbedTotal-used-noteRoom, 0
		for n < len(fields) && n < maxEmbedFields && fieldLen(fields[n]) <= room {
			room -= fieldLen(fields[n])
			n++
		}
		fields = fields[:n]
	}
	if shortened {
		footer = markdown.JoinNonEmpty("\n", footer, shortenedNote)
	}
	if title == "" && description == "" && len(fields) == 0 && footer == "" {
		description = emptyEmbedText
	}

	embed := &discordgo.MessageEmbed{
		Type:        discordgo.EmbedTypeRich,
		Title:       title,
		Description: description,
		Color:       BrandColor,
		Fields:      fields,
	}
	if footer != "" {
		embed.Footer = &discordgo.MessageEmbedFooter{Text: footer}
	}
	return embed, budget, shortened
}

// noteRoom is what is always kept free in the footer for "\n" + the shortened note.
func noteRoom() int { return discordLen(shortenedNote) + 1 }

// descriptionBudget is the room of the description beside a title and a footer.
func descriptionBudget(title, footer string) int {
	return min(maxEmbedDescription, maxEmbedTotal-discordLen(title)-discordLen(footer)-noteRoom())
}

func fieldLen(f *discordgo.MessageEmbedField) int { return discordLen(f.Name) + discordLen(f.Value) }

// renderDescription is the text followed by the links, one a line, within budget. Links may use
// half of it; the text gets the rest and is cut between paragraphs when it does not fit. It
// reports whether anything was left out.
func renderDescription(text string, links []bot.Link, budget int) (string, bool) {
	shortened := false
	var linkBlock strings.Builder
	linkLen := 0
	for _, l := range links {
		line := linkLine(l)
		if line == "" {
			continue
		}
		n := discordLen(line)
		if linkLen > 0 {
			n++ // "\n"
		}
		if linkLen+n > budget/2 {
			shortened = true
			break
		}
		if linkLen > 0 {
			linkBlock.WriteByte('\n')
		}
		linkBlock.WriteString(line)
		linkLen += n
	}
	textBudget := budget
	if linkLen > 0 {
		textBudget -= linkLen + 2 // "\n\n"
	}
	text = markdown.Clean(text)
	chunks := splitMarkdown(text, textBudget, textBudget)
	lead := ""
	if len(chunks) > 1 {
		shortened = true
		lead = splitMarkdown(text, textBudget-discordLen(truncatedMarker), textBudget)[0] + truncatedMarker
	} else if len(chunks) == 1 {
		lead = chunks[0]
	}
	return markdown.JoinNonEmpty("\n\n", lead, linkBlock.String()), shortened
}

// linkLine shows a link as a masked link to an http(s) URL, as the bare URL when it has no
// label (Discord shows a masked link whose label is a URL as raw text), or as its label alone
// when the URL cannot be linked.
func linkLine(l bot.Link) string {
	label := fitEscaped(sanitize.Text(l.Text), maxLinkLabel, escapeLabel)
	u, ok := linkURL(l.URL)
	switch {
	case ok && label == "":
		return u
	case ok:
		return "[" + label + "](" + u + ")"
	}
	return label
}

// inlineField shows a short fact side by side with the others. A value too long for a field is
// shortened with an ellipsis; a missing name or value is a zero-width space, since Discord
// requires both.
func inlineField(f bot.Field) *discordgo.MessageEmbedField {
	name := fitEscaped(sanitize.Text(f.Name), maxEmbedFieldName, escapeText)
	value := fitEscaped(strings.TrimSpace(markdown.Clean(f.Value)), maxEmbedFieldValue, escapeText)
	if name == "" && value == "" {
		return nil
	}
	return &discordgo.MessageEmbedField{Name: orBlank(name), Value: orBlank(value), Inline: true}
}

// sectionFields shows a section as a field named after its heading; the value starts with the
// section's URL on its own line (Discord links a bare URL), and a body too long for one field
// continues in further fields with blank names.
func sectionFields(s bot.Section) []*discordgo.MessageEmbedField {
	name := fitEscaped(sanitize.Text(s.Heading), maxEmbedFieldName, escapeText)
	u, hasURL := linkURL(s.URL)
	first := maxEmbedFieldValue
	if hasURL {
		first -= discordLen(u) + 1
	}
	chunks := splitMarkdown(markdown.Clean(s.Body), first, maxEmbedFieldValue)
	if hasURL {
		if len(chunks) == 0 {
			chunks = []string{u}
		} else {
			chunks[0] = u + "\n" + chunks[0]
		}
	}
	if name == "" && len(chunks) == 0 {
		return nil
	}
	if len(chunks) == 0 {
		chunks = []string{zeroWidthSpace}
	}
	fields := make([]*discordgo.MessageEmbedField, len(chunks))
	for i, c := range chunks {
		fields[i] = &discordgo.MessageEmbedField{Name: zeroWidthSpace, Value: c}
	}
	fields[0].Name = orBlank(name)
	return fields
}

// buttons makes at most 25 buttons (5 rows of 5), have counting those made already; room is
// kept for the public ones ("Share in channel"), whatever comes before them. A button's
// custom_id is CustomIDPrefix and its encoded action, which the interaction handler reads back;
// a button whose id would be too long, or is in seen or mine already, is left out rather than
// sent cut. The ids of the buttons made are added to mine, or to seen when mine is nil.
func buttons(bs []bot.Button, seen, mine map[string]bool, have int) []discordgo.MessageComponent {
	if mine == nil {
		mine = seen
	}
	ids := make([]string, len(bs))
	public := 0
	claimed := map[string]bool{} // ids of public buttons: no other button may take one first
	for i, b := range bs {
		id, ok := customID(b.Action.Encode())
		if !ok || strings.TrimSpace(b.Action.Line()) == "" {
			continue
		}
		ids[i] = id
		if b.Action.Public && !claimed[id] {
			public++
			claimed[id] = true
		}
	}
	var out []discordgo.MessageComponent
	for i, b := range bs {
		room := maxActionRows*maxButtonsPerRow - have - len(out)
		id := ids[i]
		if room == 0 {
			break
		}
		if id == "" || seen[id] || mine[id] || (!b.Action.Public && (room <= public || claimed[id])) {
			continue
		}
		label := fitEscaped(sanitize.Text(b.Label), maxButtonLabel, escapeText)
		if label == "" {
			label = fitEscaped(sanitize.Text(b.Action.Line()), maxButtonLabel, escapeText)
		}
		style := discordgo.SecondaryButton
		if b.Action.Public {
			public--
			style = discordgo.PrimaryButton
		}
		if label == "" {
			continue
		}
		mine[id] = true
		out = append(out, discordgo.Button{Label: label, Style: style, CustomID: id})
	}
	return out
}

// rows lays buttons out five to a row. It is never nil, so an edit removes old buttons.
func rows(all []discordgo.MessageComponent) []discordgo.MessageComponent {
	out := make([]discordgo.MessageComponent, 0, (len(all)+maxButtonsPerRow-1)/maxButtonsPerRow)
	for len(all) > 0 {
		n := min(len(all), maxButtonsPerRow)
		out = append(out, discordgo.ActionsRow{Components: all[:n]})
		all = all[n:]
	}
	return out
}

// customID is the custom_id of a button that runs line, or false when line is blank, holds
// characters that would not come back unchanged, or makes the id too long.
func customID(line string) (string, bool) {
	if strings.TrimSpace(line) == "" || !utf8.ValidString(line) || strings.ContainsFunc(line, unicode.IsControl) {
		return "", false
	}
	id := CustomIDPrefix + line
	if discordLen(id) > maxCustomID {
		return "", false
	}
	return id, true
}

func orBlank(s string) string {
	if s == "" {
		return zeroWidthSpace
	}
	return s
}

// stripBold removes "**": a footer is plain text, where Discord would show the marks.
func stripBold(s string) string { return strings.ReplaceAll(s, "**", "") }

// Lengths.

// discordLen is the length of s in UTF-16 code units: Discord's limits are in characters, and
// this count is never smaller however Discord counts them.
func discordLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// Escaping.

// escapeText makes text from a reply safe in any embed text or label: it inserts a zero-width
// space after "@" in "@everyone" and "@here" (in any case), after "<" where Discord would read
// a mention, a channel, a role, a slash command, a timestamp, an emoji or a hidden link ("<@",
// "<#", "</", "<:", "<t:", "<a:", "<id:", "<https:"), and between "]" and "(" so that no masked
// link can form. Markdown emphasis and code are left alone. Text must be cleaned first: the
// cleaning removes zero-width spaces, so none from the input can stand in for these.
func escapeText(s string) string {
	if !strings.ContainsAny(s, "@<]") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		c := s[i]
		b.WriteByte(c)
		switch {
		case c == '@' && massMentionAt(s[i+1:]),
			c == '<' && mentionAfter(s[i+1:]),
			c == ']' && strings.HasPrefix(s[i+1:], "("):
			b.WriteString(zeroWidthSpace)
		}
	}
	return b.String()
}

// escapedLenBound is at least discordLen(escapeText(x)) for any x that contains s, however it
// is cut or joined: escaping adds one character after some '@', '<' and ']'.
func escapedLenBound(s string) int {
	return discordLen(s) + strings.Count(s, "@") + strings.Count(s, "<") + strings.Count(s, "]")
}

// massMentionAt reports whether rest, the text after an '@', starts with "everyone" or "here".
// Discord reads them without a word boundary ("@hereafter" pings @here).
func massMentionAt(rest string) bool {
	return hasPrefixFold(rest, "everyone") || hasPrefixFold(rest, "here")
}

// hasPrefixFold is strings.HasPrefix ignoring ASCII case; prefix is lower-case ASCII.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// mentionAfter reports whether rest, the text after a '<', starts like one of Discord's
// angle-bracket syntaxes: "@", "#", "/", ":", or a word followed by ':' (t:, a:, id:, https:).
func mentionAfter(rest string) bool {
	if rest == "" {
		return false
	}
	switch rest[0] {
	case '@', '#', '/', ':':
		return true
	}
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case c == ':':
			return i > 0
		case c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		default:
			return false
		}
	}
	return false
}

// escapeLabel escapes the label of a link Render writes: as escapeText, and with backslashes
// before '\', '[' and ']' so the label cannot end the link early or open another.
func escapeLabel(s string) string { return labelEscaper.Replace(escapeText(s)) }

var labelEscaper = strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`)

// fitEscaped returns esc(s), shortened first when needed so that the result has at most n
// characters.
func fitEscaped(s string, n int, esc func(string) string) string {
	return markdown.Fit(s, n, esc, discordLen)
}

// urlEscaper percent-encodes what could end a link early, start other markup inside it, or
// read as a mention in the message's text.
var urlEscaper = strings.NewReplacer(
	" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", `\`, "%5C", "`", "%60",
	`"`, "%22", "|", "%7C",
)

// linkURL returns raw ready to be a link target, or false when it is not an absolute http(s)
// URL, names a user before the host ("https://trusted.example@evil.example"), holds control or
// invisible characters, or is too long.
func linkURL(raw string) (string, bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" || !utf8.ValidString(raw) || strings.ContainsFunc(raw, func(r rune) bool {
		return r != ' ' && unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
	}) {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", false
	}
	out := urlEscaper.Replace(u.Scheme + raw[len(u.Scheme):]) // url.Parse lower-cases the scheme
	if strings.Contains(out, "@") {
		var b strings.Builder
		for i := 0; i < len(out); i++ {
			if out[i] == '@' && massMentionAt(out[i+1:]) {
				b.WriteString("%40")
				continue
			}
			b.WriteByte(out[i])
		}
		out = b.String()
	}
	if discordLen(out) > maxLinkURL {
		return "", false
	}
	return out, true
}

// Splitting long text.

// splitter cuts Markdown into chunks whose escaped length fits Discord's limits, keeping the
// language of code blocks, which Discord highlights.
var splitter = markdown.Splitter{
	Measure: escapedLenBound,
	Fence:   func(lang string) (string, string) { return "```" + lang + "\n", "\n```" },
}

// splitMarkdown cuts Markdown-subset text, not yet escaped, into escaped chunks of at most first
// characters (the first chunk) and rest characters (the others); see markdown.Splitter.
func splitMarkdown(text string, first, rest int) []string {
	chunks := splitter.Split(text, first, rest)
	for i, c := range chunks {
		chunks[i] = escapeText(c)
	}
	return chunks
}
