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

// RenderOptions adjust Render.
type RenderOptions struct {
	// ShareLine, when set and the reply is ephemeral, adds a "Share in channel" button whose
	// custom_id is CustomIDPrefix + SharePrefix + ShareLine (when that fits in 100 characters).
	ShareLine string
}

// Button custom ids: CustomIDPrefix, then the command line the button runs; a share button puts
// SharePrefix before the line.
const (
	CustomIDPrefix = "cb:"     // every button careerbot makes; the rest is the command line it runs
	SharePrefix    = "public:" // after CustomIDPrefix: re-run the command for the channel
)

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
	shareLabel      = "Share in channel"
	emptyEmbedText  = "careerbot" // Discord refuses an empty embed
	truncatedMarker = "\n…"
)

// Render returns the data of an interaction response (type 4 or 7), a follow-up or an edit.
//
// Everything is in one embed; content stays empty. Every text from the reply is escaped so that
// it can neither mention (ping or look like a mention) nor disguise a link, while Discord's own
// Markdown (**bold**, `code`, fenced blocks, "- " lists) keeps working; allowed_mentions is an
// empty list besides. Components is never nil, so an update or edit removes old buttons.
func Render(r bot.Reply, opts RenderOptions) *discordgo.InteractionResponseData {
	var flags discordgo.MessageFlags
	share := ""
	if r.Visibility != bot.Public { // anything but Public: never show more than asked
		flags = discordgo.MessageFlagsEphemeral
		share = opts.ShareLine
	}
	return &discordgo.InteractionResponseData{
		Embeds:          []*discordgo.MessageEmbed{renderEmbed(r)},
		Components:      buttonRows(r.Buttons, share),
		AllowedMentions: noMentions(),
		Flags:           flags,
	}
}

// MessageSend returns the same rendering as a channel message (for posting with the REST API).
// A channel message is public: it has no flags and no share button.
func MessageSend(r bot.Reply) *discordgo.MessageSend {
	return &discordgo.MessageSend{
		Embeds:          []*discordgo.MessageEmbed{renderEmbed(r)},
		Components:      buttonRows(r.Buttons, ""),
		AllowedMentions: noMentions(),
	}
}

// noMentions lets nothing in a message ping: a nil Parse would encode as null, which Discord
// reads as "the default mentions".
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// renderEmbed lays the reply out in one embed within every limit. The title and footer come
// first, then the description (text and links), then fields in order until the 25 fields or the
// 6,000 characters of an embed are used up; when something is left out, the footer says so.
func renderEmbed(r bot.Reply) *discordgo.MessageEmbed {
	noteRoom := discordLen(shortenedNote) + 1 // "\n" + note, always kept free in the footer
	title := fitEscaped(sanitize.Text(r.Title), maxEmbedTitle, escapeText)
	footer := fitEscaped(stripBold(sanitize.Text(r.Footer)), maxEmbedFooter-noteRoom, escapeText)
	used := discordLen(title) + discordLen(footer)

	description, shortened := renderDescription(r.Text, r.Links, min(maxEmbedDescription, maxEmbedTotal-used-noteRoom))
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
	return embed
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

// buttonRows lays buttons out five to a row, at most five rows. A button's custom_id is
// CustomIDPrefix and the command line it runs, which the interaction handler reads back; a
// button whose id would be too long or repeated is left out rather than sent cut. share, when
// not empty, adds a last button that runs it in the channel, kept before any other.
func buttonRows(buttons []bot.Button, share string) []discordgo.MessageComponent {
	seen := map[string]bool{}
	var shareButton *discordgo.Button
	if strings.TrimSpace(share) != "" {
		if id, ok := customID(SharePrefix + share); ok {
			shareButton = &discordgo.Button{Label: shareLabel, Style: discordgo.PrimaryButton, CustomID: id}
			seen[id] = true
		}
	}
	room := maxActionRows * maxButtonsPerRow
	if shareButton != nil {
		room--
	}
	all := make([]discordgo.MessageComponent, 0, min(len(buttons)+1, maxActionRows*maxButtonsPerRow))
	for _, b := range buttons {
		if len(all) == room {
			break
		}
		line := b.Action.Line()
		id, ok := customID(line)
		if !ok || seen[id] {
			continue
		}
		label := fitEscaped(sanitize.Text(b.Label), maxButtonLabel, escapeText)
		if label == "" {
			label = fitEscaped(sanitize.Text(line), maxButtonLabel, escapeText)
		}
		if label == "" {
			continue
		}
		seen[id] = true
		all = append(all, discordgo.Button{Label: label, Style: discordgo.SecondaryButton, CustomID: id})
	}
	if shareButton != nil {
		all = append(all, *shareButton)
	}
	rows := []discordgo.MessageComponent{}
	for len(all) > 0 {
		n := min(len(all), maxButtonsPerRow)
		rows = append(rows, discordgo.ActionsRow{Components: all[:n]})
		all = all[n:]
	}
	return rows
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
