package discord

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/bottest"
	"github.com/careerbot/careerbot/bot/study"
	"github.com/careerbot/careerbot/knowledge"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/")

const zwsp = "\u200b"

// raftReplyFrom is the core's real answer to "/explain raft", with the router that answered.
func raftReplyFrom(tb testing.TB) (bot.Reply, *bot.Router) {
	tb.Helper()
	router := testRouter(tb)
	return router.Dispatch(tb.Context(), bot.Command{
		Platform: bot.PlatformDiscord, Workspace: "G1", Channel: "C1", User: "U1",
		Name: "explain", Text: "raft",
	}), router
}

// TestRenderGolden renders the core's real answer to "/explain raft" and compares it with the
// reviewed payload in testdata.
func TestRenderGolden(t *testing.T) {
	tests := []struct {
		name string
		opts testOpts
	}{
		// The router adds the share button itself: the command has a channel.
		{"explain-raft", testOpts{}},
	}
	reply, router := raftReplyFrom(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := render(reply, tt.opts)
			checkRendered(t, mustJSON(t, d), int(discordgo.MessageFlagsEphemeral))
			if prepared := NewRenderer(router.Stock()).Render(reply); !bytes.Equal(mustJSON(t, prepared), mustJSON(t, d)) {
				t.Errorf("the prepared stock renders differently:\n%s", mustJSON(t, prepared))
			}
			// Without HTML escaping, so reviewers read "<", ">" and "&" as Discord receives them.
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(d); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			path := filepath.Join("testdata", tt.name+".golden.json")
			if *updateGolden {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Render differs from %s (run go test -update and review the diff):\n%s", path, got)
			}
		})
	}
}

// BenchmarkRender renders the router's answer to a shared /explain raft with the stock
// replies prepared, as the adapter does: the request adds the workspace's shared links (a
// section), the share button and its footer.
func BenchmarkRender(b *testing.B) {
	reply, router := raftReplyFrom(b)
	reply.Sections = append(reply.Sections, bot.Section{Heading: "Shared in this workspace",
		Body: "- https://raft.github.io/ (ann, 3 upvotes): the visualisation helps"})
	rd := NewRenderer(router.Stock())
	b.ReportAllocs()
	for b.Loop() {
		rd.Render(reply)
	}
}

func testRouter(tb testing.TB) *bot.Router {
	tb.Helper()
	kb, err := knowledge.Builtin()
	if err != nil {
		tb.Fatal(err)
	}
	router := bot.NewRouter(slog.New(slog.DiscardHandler), nil)
	study.Register(router, kb, nil, slog.New(slog.DiscardHandler))
	return router
}

// TestPreparedRenderingIsTheSame renders every topic's explanation, with and without what a
// request adds, through the prepared stock and as a whole reply, and wants the same payload.
func TestPreparedRenderingIsTheSame(t *testing.T) {
	router := testRouter(t)
	rd := NewRenderer(router.Stock())
	shared := bot.Section{Heading: "Shared in this workspace", Body: "- https://example.com/a?b=1&c=<2> (ann, 1 upvote): @everyone read [this](https://evil.example)"}
	share := bot.Button{Label: bot.ShareLabel, Action: bot.Action{Command: "explain", Args: "x", Public: true}}
	many := make([]bot.Section, 30)
	for i := range many {
		many[i] = shared
	}
	for _, stock := range router.Stock() {
		for i, r := range []bot.Reply{
			{Stock: stock},
			{Stock: stock, Footer: "Best match for “how” · /explain x"},
			{Stock: stock, Footer: strings.Repeat("long footer ", 300)},
			{Stock: stock, Sections: []bot.Section{shared}, Buttons: []bot.Button{share}},
			{Stock: stock, Sections: many, Buttons: []bot.Button{share, share}, Visibility: bot.Public},
		} {
			got, want := mustJSON(t, rd.Render(r)), mustJSON(t, Render(r.Full()))
			if !bytes.Equal(got, want) {
				t.Fatalf("%s, case %d: prepared\n%s\nwhole\n%s", stock.Title, i, got, want)
			}
			got, want = mustJSON(t, MessageSend(r)), mustJSON(t, MessageSend(r.Full()))
			if !bytes.Equal(got, want) {
				t.Fatalf("%s, case %d: MessageSend differs", stock.Title, i)
			}
		}
	}
}

// TestRenderMentionsAndFlags checks what every result carries: allowed_mentions with an empty
// parse list (not null), flags 64 exactly for ephemeral replies, no content, and components as a
// list even when empty (so an update removes old buttons).
func TestRenderMentionsAndFlags(t *testing.T) {
	reply := bot.Reply{Title: "T", Text: "@everyone <@1>"}
	public := reply
	public.Visibility = bot.Public
	odd := reply
	odd.Visibility = bot.Visibility(7)
	tests := []struct {
		name      string
		data      any
		wantFlags string // the "flags" member, "" when absent
		wantKeys  []string
	}{
		{"ephemeral", render(reply, testOpts{}), "64", []string{`"content":""`, `"components":[]`}},
		{"public", render(public, testOpts{}), "", []string{`"content":""`, `"components":[]`}},
		{"unknown visibility is ephemeral", render(odd, testOpts{}), "64", nil},
		{"channel message", MessageSend(reply), "", []string{`"components":[]`}},
		{"channel message of an ephemeral reply", MessageSend(odd), "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			data := mustJSON(t, tt.data)
			var top map[string]json.RawMessage
			if err := json.Unmarshal(data, &top); err != nil {
				t.Fatal(err)
			}
			if got := string(top["flags"]); got != tt.wantFlags {
				t.Errorf("flags %q, want %q", got, tt.wantFlags)
			}
			if !bytes.Contains(data, []byte(`"allowed_mentions":{"parse":[]`)) {
				t.Errorf("JSON lacks \"allowed_mentions\":{\"parse\":[]: %s", data)
			}
			if c := string(top["content"]); c != "" && c != `""` {
				t.Errorf("content %s, want empty", c)
			}
			for _, k := range tt.wantKeys {
				if !bytes.Contains(data, []byte(k)) {
					t.Errorf("JSON lacks %s: %s", k, data)
				}
			}
			wantFlags := 0
			if tt.wantFlags == "64" {
				wantFlags = 64
			}
			checkRendered(t, data, wantFlags)
		})
	}
}

// describeEmbed shows an embed one part a line, for comparing in tests.
func describeEmbed(e *discordgo.MessageEmbed) []string {
	var out []string
	if e.Title != "" {
		out = append(out, "title "+e.Title)
	}
	if e.Description != "" {
		out = append(out, "description "+e.Description)
	}
	for _, f := range e.Fields {
		kind := "field"
		if f.Inline {
			kind = "inline"
		}
		out = append(out, kind+" "+f.Name+" | "+f.Value)
	}
	if e.Footer != nil {
		out = append(out, "footer "+e.Footer.Text)
	}
	return out
}

func TestRenderParts(t *testing.T) {
	tests := []struct {
		name  string
		reply bot.Reply
		want  []string
	}{
		{
			name:  "title and text",
			reply: bot.Reply{Title: "Raft & Paxos", Text: "- **Leader** based\nsecond line", Visibility: bot.Public},
			want:  []string{"title Raft & Paxos", "description - **Leader** based\nsecond line"},
		},
		{
			name:  "long title",
			reply: bot.Reply{Title: strings.Repeat("abcd ", 60)},
			want:  []string{"title " + strings.Repeat("abcd ", 50) + "abcd…"},
		},
		{
			name:  "fields inline",
			reply: bot.Reply{Fields: []bot.Field{{Name: "Level", Value: "intermediate"}, {Value: "no name"}, {Name: "no value"}, {}}},
			want:  []string{"inline Level | intermediate", "inline " + zwsp + " | no name", "inline no value | " + zwsp},
		},
		{
			name:  "long field value",
			reply: bot.Reply{Fields: []bot.Field{{Name: "N", Value: strings.Repeat("v", 3000)}}},
			want:  []string{"inline N | " + strings.Repeat("v", 1023) + "…"},
		},
		{
			name: "sections",
			reply: bot.Reply{Sections: []bot.Section{
				{Heading: "How it works", Body: "Votes."},
				{Heading: "Paper", Body: "Read it.", URL: "https://raft.github.io/raft.pdf?a=(1)&b=|"},
				{Heading: "Bad URL", URL: "javascript:alert(1)"},
				{Heading: "Data URL", URL: "data:text/html,<b>x</b>"},
				{Heading: "Relative", URL: "/etc/passwd"},
				{Heading: "User before host", URL: "https://trusted.example@evil.example/"},
				{Heading: "Spaces", URL: " HTTPS://a.example/x y)z "},
				{Heading: "Mention in URL", URL: "https://a.example/@everyone/<@1>"},
				{Heading: "", Body: "No heading."},
				{URL: "https://only.example/"},
				{},
			}},
			want: []string{
				"field How it works | Votes.",
				"field Paper | https://raft.github.io/raft.pdf?a=%281%29&b=%7C\nRead it.",
				"field Bad URL | " + zwsp,
				"field Data URL | " + zwsp,
				"field Relative | " + zwsp,
				"field User before host | " + zwsp,
				"field Spaces | https://a.example/x%20y%29z",
				"field Mention in URL | https://a.example/%40everyone/%3C@1%3E",
				"field " + zwsp + " | No heading.",
				"field " + zwsp + " | https://only.example/",
			},
		},
		{
			name: "links",
			reply: bot.Reply{Text: "Intro", Links: []bot.Link{
				{Text: "Paper", URL: "https://raft.github.io/raft.pdf"},
				{Text: "Evil", URL: "javascript:alert(1)"},
				{Text: "", URL: "HTTPS://Example.com/A"},
				{Text: "", URL: "ftp://example.com/"},
				{Text: `a [b] c\`, URL: "https://x.example/(y) z"},
				{Text: "[x](https://evil.example)", URL: "https://ok.example/"},
			}},
			want: []string{"description Intro\n\n" +
				"[Paper](https://raft.github.io/raft.pdf)\n" +
				"Evil\n" +
				"https://Example.com/A\n" +
				`[a \[b\] c\\](https://x.example/%28y%29%20z)` + "\n" +
				`[\[x\]` + zwsp + `(https://evil.example)](https://ok.example/)`},
		},
		{
			name:  "links only",
			reply: bot.Reply{Links: []bot.Link{{Text: "Paper", URL: "https://raft.github.io/raft.pdf"}}},
			want:  []string{"description [Paper](https://raft.github.io/raft.pdf)"},
		},
		{
			name:  "footer is one plain line",
			reply: bot.Reply{Title: "T", Footer: "Best match for **x** · /explain raft\nsecond"},
			want:  []string{"title T", "footer Best match for x · /explain raft second"},
		},
		{
			name:  "empty reply",
			reply: bot.Reply{Buttons: []bot.Button{{Label: "Go", Action: bot.Action{Command: "topics"}}}},
			want:  []string{"description careerbot"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := render(tt.reply, testOpts{})
			checkRendered(t, mustJSON(t, d), wantFlags(tt.reply))
			if len(d.Embeds) != 1 {
				t.Fatalf("%d embeds, want 1", len(d.Embeds))
			}
			if d.Embeds[0].Color != BrandColor {
				t.Errorf("color %#x, want %#x", d.Embeds[0].Color, BrandColor)
			}
			got := describeEmbed(d.Embeds[0])
			if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.want) {
				t.Errorf("embed:\n%q\nwant:\n%q", got, tt.want)
			}
		})
	}
}

// TestRenderMarkdown checks that the Markdown subset reaches Discord as it is: Discord reads
// it natively. Only fences are normalised and invisible characters removed.
func TestRenderMarkdown(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"bold", "a **bold** claim", "a **bold** claim"},
		{"list", "Steps:\n- one\n- two **2**", "Steps:\n- one\n- two **2**"},
		{"inline code", "run `a**b**` now", "run `a**b**` now"},
		{"fence keeps its language", "```go\nx := a**b\n- not a list\n```", "```go\nx := a**b\n- not a list\n```"},
		{"fence info with spaces is code", "```this is code\nmore\n```", "```\nthis is code\nmore\n```"},
		{"unclosed fence is closed", "```\ncode", "```\ncode\n```"},
		{"inline triple backticks", "```x``` and **y**", "```x``` and **y**"},
		{"paragraphs", "one\n\n\n\ntwo", "one\n\ntwo"},
		{"control characters", "a\x00b\u202ec\r\nd", "abc\nd"},
		{"mention in code is escaped too", "`@here`", "`@" + zwsp + "here`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, where := range []string{"description", "section"} {
				r := bot.Reply{Text: tt.in}
				if where == "section" {
					r = bot.Reply{Sections: []bot.Section{{Heading: "H", Body: tt.in}}}
				}
				d := render(r, testOpts{})
				checkRendered(t, mustJSON(t, d), 64)
				got := d.Embeds[0].Description
				if where == "section" {
					got = d.Embeds[0].Fields[0].Value
				}
				if got != tt.want {
					t.Errorf("%s %q rendered as %q, want %q", where, tt.in, got, tt.want)
				}
			}
		})
	}
}

// discordHostile holds strings that must never become a mention, a ping or a disguised link.
var discordHostile = []string{
	"@everyone", "@here", "@EVERYONE", "<@123>", "<@!123>", "<@&456>", "<#789>",
	"[click](http://evil.example)", "</cmd:1>", "<t:1700000000:R>", "<a:wave:1>", "<:e:1>",
	"<id:customize>", "@hereafter", "@Here", "[x](<https://evil.example>)",
}

// everywhere is a reply with s in every text field.
func everywhere(s string) bot.Reply {
	return bot.Reply{
		Title:    s,
		Text:     s,
		Fields:   []bot.Field{{Name: s, Value: s}},
		Sections: []bot.Section{{Heading: s, Body: "**bold** " + s}, {Heading: s, Body: s, URL: "https://example.com/" + s}},
		Links:    []bot.Link{{Text: s, URL: "https://example.com/?q=" + s}, {Text: s, URL: s}},
		Buttons:  []bot.Button{{Label: s, Action: bot.Action{Command: "explain", Args: s}}},
		Footer:   s,
	}
}

func TestRenderEscapes(t *testing.T) {
	tests := []struct {
		in    string
		want  string // how in reads in every text, when it is the same everywhere
		label string // how in reads in a link label, when it differs
	}{
		{in: "@everyone", want: "@" + zwsp + "everyone"},
		{in: "@here", want: "@" + zwsp + "here"},
		{in: "@EVERYONE", want: "@" + zwsp + "EVERYONE"},
		{in: "@Here", want: "@" + zwsp + "Here"},
		{in: "@hereafter", want: "@" + zwsp + "hereafter"},
		{in: "<@123>", want: "<" + zwsp + "@123>"},
		{in: "<@!123>", want: "<" + zwsp + "@!123>"},
		{in: "<@&456>", want: "<" + zwsp + "@&456>"},
		{in: "<#789>", want: "<" + zwsp + "#789>"},
		{in: "</cmd:1>", want: "<" + zwsp + "/cmd:1>"},
		{in: "<t:1700000000:R>", want: "<" + zwsp + "t:1700000000:R>"},
		{in: "<a:wave:1>", want: "<" + zwsp + "a:wave:1>"},
		{in: "<:e:1>", want: "<" + zwsp + ":e:1>"},
		{in: "<id:customize>", want: "<" + zwsp + "id:customize>"},
		{in: "[click](http://evil.example)", want: "[click]" + zwsp + "(http://evil.example)", label: `\[click\]` + zwsp + "(http://evil.example)"},
		{in: "[x](<https://evil.example>)", want: "[x]" + zwsp + "(<" + zwsp + "https://evil.example>)", label: `\[x\]` + zwsp + "(<" + zwsp + "https://evil.example>)"},
		// An invisible character cannot hide a mention: it is removed (or becomes a space in
		// one-line texts) before escaping.
		{in: "<\u200b@123>"},
		{in: "@\u200deveryone"},
		{in: "a < b && c <= d", want: "a < b && c <= d"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			opts := testOpts{ShareLine: "explain " + tt.in}
			d := render(everywhere(tt.in), opts)
			data := mustJSON(t, d)
			checkRendered(t, data, 64)
			live := liveForms(tt.in)
			for _, tx := range shownTexts(d.Embeds[0], d.Components) {
				want := tt.want
				if tx.where == "link" && tt.label != "" {
					want = tt.label
				}
				if want != "" && !strings.Contains(tx.text, want) {
					t.Errorf("%s %q does not show %q as %q", tx.where, tx.text, tt.in, want)
				}
				for _, l := range live {
					if strings.Contains(tx.text, l) {
						t.Errorf("%s %q holds %q in live form", tx.where, tx.text, l)
					}
				}
			}
			// custom_id is not shown: it carries the command line as it is, to run it again.
			shownJSON := customIDs.ReplaceAll(data, nil)
			for _, l := range live {
				if bytes.Contains(shownJSON, []byte(l)) {
					t.Errorf("rendered JSON holds %q in live form", l)
				}
			}
			if body := d.Embeds[0].Fields[1].Value; !strings.HasPrefix(body, "**bold** ") {
				t.Errorf("bold in a section body lost: %q", body)
			}
			ms := mustJSON(t, MessageSend(everywhere(tt.in)))
			checkRendered(t, ms, 0)
			for _, l := range live {
				if bytes.Contains(customIDs.ReplaceAll(ms, nil), []byte(l)) {
					t.Errorf("MessageSend JSON holds %q in live form", l)
				}
			}
		})
	}
}

var customIDs = regexp.MustCompile(`"custom_id":"(?:[^"\\]|\\.)*"`)

// liveForms are the parts of s that Discord would read as a mention or a masked link, as they
// would appear in JSON.
func liveForms(s string) []string {
	s = strings.NewReplacer("\u200b", "", "\u200d", "").Replace(s)
	var out []string
	for _, re := range []*regexp.Regexp{massMention, angleSyntax, regexp.MustCompile(`\]\([^)]*\)?`)} {
		out = append(out, re.FindAllString(s, -1)...)
	}
	for i, l := range out {
		b, _ := json.Marshal(l) // as the JSON spells it: "<" is \u003c there
		out[i] = strings.Trim(string(b), `"`)
		if out[i] != l {
			out = append(out, l)
		}
	}
	return out
}

// shown is one text Discord displays, and where.
type shown struct{ where, text string }

// shownTexts lists the texts of an embed and its buttons: title, description, link (the label of
// a masked link), field name, field value, footer, button.
func shownTexts(e *discordgo.MessageEmbed, rows []discordgo.MessageComponent) []shown {
	out := []shown{{"title", e.Title}, {"description", e.Description}}
	for _, m := range ownLink.FindAllStringSubmatch(e.Description, -1) {
		if !strings.HasPrefix(m[2], "https://example.com/") || strings.HasPrefix(m[1], "https://") {
			continue
		}
		out = append(out, shown{"link", m[1]})
	}
	for _, f := range e.Fields {
		if f.Name != zwsp {
			out = append(out, shown{"field name", f.Name})
		}
		out = append(out, shown{"field value", f.Value})
	}
	if e.Footer != nil {
		out = append(out, shown{"footer", e.Footer.Text})
	}
	for _, r := range rows {
		for _, c := range r.(discordgo.ActionsRow).Components {
			if b := c.(discordgo.Button); b.Label != bot.ShareLabel {
				out = append(out, shown{"button", b.Label})
			}
		}
	}
	return out
}

func TestRenderButtons(t *testing.T) {
	btn := func(label, args string) bot.Button {
		return bot.Button{Label: label, Action: bot.Action{Command: "explain", Args: args}}
	}
	many := func(n int) []bot.Button {
		bs := make([]bot.Button, n)
		for i := range bs {
			bs[i] = btn(fmt.Sprint("B", i), fmt.Sprint(i))
		}
		return bs
	}
	tests := []struct {
		name       string
		reply      bot.Reply
		opts       testOpts
		wantRows   []int
		wantLabels []string
		wantIDs    []string
		wantStyles []discordgo.ButtonStyle
	}{
		{
			name:       "rows of five",
			reply:      bot.Reply{Buttons: many(6)},
			wantRows:   []int{5, 1},
			wantLabels: []string{"B0", "B1", "B2", "B3", "B4", "B5"},
			wantIDs:    []string{"cb:explain 0", "cb:explain 1", "cb:explain 2", "cb:explain 3", "cb:explain 4", "cb:explain 5"},
			wantStyles: []discordgo.ButtonStyle{2, 2, 2, 2, 2, 2},
		},
		{
			name:       "share on ephemeral",
			reply:      bot.Reply{Buttons: []bot.Button{btn("Raft", "raft")}},
			opts:       testOpts{ShareLine: "explain raft"},
			wantRows:   []int{2},
			wantLabels: []string{"Raft", "Share in channel"},
			wantIDs:    []string{"cb:explain raft", "cb:public:explain raft"},
			wantStyles: []discordgo.ButtonStyle{discordgo.SecondaryButton, discordgo.PrimaryButton},
		},
		{
			name:       "no share on public",
			reply:      bot.Reply{Buttons: []bot.Button{btn("Raft", "raft")}, Visibility: bot.Public},
			opts:       testOpts{ShareLine: "explain raft"},
			wantRows:   []int{1},
			wantLabels: []string{"Raft"},
			wantIDs:    []string{"cb:explain raft"},
			wantStyles: []discordgo.ButtonStyle{2},
		},
		{
			name:       "25 buttons at most, share kept",
			reply:      bot.Reply{Buttons: many(40)},
			opts:       testOpts{ShareLine: "explain many"},
			wantRows:   []int{5, 5, 5, 5, 5},
			wantLabels: append(labelsOf(many(24)), "Share in channel"),
			wantIDs:    append(idsOf(many(24)), "cb:public:explain many"),
			wantStyles: append(styles(24, 2), 1),
		},
		{
			name:       "25 buttons at most without share",
			reply:      bot.Reply{Buttons: many(40)},
			wantRows:   []int{5, 5, 5, 5, 5},
			wantLabels: labelsOf(many(25)),
			wantIDs:    idsOf(many(25)),
			wantStyles: styles(25, 2),
		},
		{
			name:       "custom_id of 100 characters kept, 101 dropped",
			reply:      bot.Reply{Buttons: []bot.Button{btn("long", strings.Repeat("x", 90)), btn("fits", strings.Repeat("y", 89))}},
			wantRows:   []int{1},
			wantLabels: []string{"fits"},
			wantIDs:    []string{"cb:explain " + strings.Repeat("y", 89)},
			wantStyles: []discordgo.ButtonStyle{2},
		},
		{
			name:       "custom_id counted in UTF-16",
			reply:      bot.Reply{Buttons: []bot.Button{btn("emoji", strings.Repeat("😀", 45)), btn("ok", "y")}},
			wantRows:   []int{1},
			wantLabels: []string{"ok"},
			wantIDs:    []string{"cb:explain y"},
			wantStyles: []discordgo.ButtonStyle{2},
		},
		{
			name:       "share line too long is dropped",
			reply:      bot.Reply{Buttons: []bot.Button{btn("ok", "y")}},
			opts:       testOpts{ShareLine: strings.Repeat("x", 91)},
			wantRows:   []int{1},
			wantLabels: []string{"ok"},
			wantIDs:    []string{"cb:explain y"},
			wantStyles: []discordgo.ButtonStyle{2},
		},
		{
			name:       "share line of 90 fits",
			opts:       testOpts{ShareLine: strings.Repeat("x", 90)},
			wantRows:   []int{1},
			wantLabels: []string{"Share in channel"},
			wantIDs:    []string{"cb:public:" + strings.Repeat("x", 90)},
			wantStyles: []discordgo.ButtonStyle{1},
		},
		{
			name: "duplicates dropped, share first",
			reply: bot.Reply{Buttons: []bot.Button{btn("a", "1"), btn("b", "1"),
				{Label: "fake share", Action: bot.Action{Command: "public:explain", Args: "raft"}}}},
			opts:       testOpts{ShareLine: "explain raft"},
			wantRows:   []int{2},
			wantLabels: []string{"a", "Share in channel"},
			wantIDs:    []string{"cb:explain 1", "cb:public:explain raft"},
			wantStyles: []discordgo.ButtonStyle{2, 1},
		},
		{
			name:       "long label is shortened",
			reply:      bot.Reply{Buttons: []bot.Button{btn(strings.Repeat("label ", 20), "z")}},
			wantRows:   []int{1},
			wantLabels: []string{strings.Repeat("label ", 12) + "label…"},
			wantIDs:    []string{"cb:explain z"},
			wantStyles: []discordgo.ButtonStyle{2},
		},
		{
			name:       "escaped label stays under 80",
			reply:      bot.Reply{Buttons: []bot.Button{btn(strings.Repeat("@here", 20), "z")}},
			wantRows:   []int{1},
			wantLabels: []string{strings.Repeat("@"+zwsp+"here", 13) + "@…"}, // 80 characters
			wantIDs:    []string{"cb:explain z"},
			wantStyles: []discordgo.ButtonStyle{2},
		},
		{
			name: "empty label shows the command; blank and control lines dropped",
			reply: bot.Reply{Buttons: []bot.Button{btn(" \x00 ", "raft"), {Label: "nothing"},
				btn("newline", "a\nb"), btn("bad utf-8", "\xff")}},
			wantRows:   []int{1},
			wantLabels: []string{"explain raft"},
			wantIDs:    []string{"cb:explain raft"},
			wantStyles: []discordgo.ButtonStyle{2},
		},
		{
			name:       "no buttons",
			reply:      bot.Reply{Title: "T"},
			opts:       testOpts{ShareLine: " "},
			wantRows:   nil,
			wantLabels: nil,
			wantIDs:    nil,
			wantStyles: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := render(tt.reply, tt.opts)
			checkRendered(t, mustJSON(t, d), wantFlags(tt.reply))
			var rows []int
			var labels, ids []string
			var styles []discordgo.ButtonStyle
			for _, c := range d.Components {
				row := c.(discordgo.ActionsRow)
				rows = append(rows, len(row.Components))
				for _, e := range row.Components {
					b := e.(discordgo.Button)
					labels = append(labels, b.Label)
					ids = append(ids, b.CustomID)
					styles = append(styles, b.Style)
				}
			}
			if fmt.Sprint(rows) != fmt.Sprint(tt.wantRows) {
				t.Errorf("rows %v, want %v", rows, tt.wantRows)
			}
			if fmt.Sprintf("%q", labels) != fmt.Sprintf("%q", tt.wantLabels) {
				t.Errorf("labels %q, want %q", labels, tt.wantLabels)
			}
			if fmt.Sprintf("%q", ids) != fmt.Sprintf("%q", tt.wantIDs) {
				t.Errorf("custom ids %q, want %q", ids, tt.wantIDs)
			}
			if fmt.Sprint(styles) != fmt.Sprint(tt.wantStyles) {
				t.Errorf("styles %v, want %v", styles, tt.wantStyles)
			}
		})
	}
}

func labelsOf(bs []bot.Button) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.Label
	}
	return out
}

func idsOf(bs []bot.Button) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = CustomIDPrefix + b.Action.Line()
	}
	return out
}

func styles(n int, s discordgo.ButtonStyle) []discordgo.ButtonStyle {
	out := make([]discordgo.ButtonStyle, n)
	for i := range out {
		out[i] = s
	}
	return out
}

func wantFlags(r bot.Reply) int {
	if r.Visibility == bot.Public {
		return 0
	}
	return int(discordgo.MessageFlagsEphemeral)
}

// TestRenderLimits checks what Render leaves out when a reply does not fit one embed: trailing
// fields beyond 25 or beyond 6,000 characters, the end of a long text, with a note in the footer.
func TestRenderLimits(t *testing.T) {
	sections := func(n int, body string) []bot.Section {
		ss := make([]bot.Section, n)
		for i := range ss {
			ss[i] = bot.Section{Heading: fmt.Sprint("S", i), Body: body}
		}
		return ss
	}
	fields := func(n int) []bot.Field {
		fs := make([]bot.Field, n)
		for i := range fs {
			fs[i] = bot.Field{Name: fmt.Sprint("F", i), Value: "v"}
		}
		return fs
	}
	words := func(n int) string { return strings.TrimSpace(strings.Repeat("word ", n)) }
	tests := []struct {
		name       string
		reply      bot.Reply
		wantFields int
		wantNote   bool
		lastField  string // name of the last field, when set
	}{
		{"fits", bot.Reply{Title: "T", Fields: fields(3), Sections: sections(5, "body"), Footer: "f"}, 8, false, "S4"},
		{"25 fields", bot.Reply{Fields: fields(10), Sections: sections(15, "body")}, 25, false, "S14"},
		{"26 fields", bot.Reply{Fields: fields(10), Sections: sections(16, "body")}, 25, true, "S14"},
		{"30 fields and 80 sections", bot.Reply{Fields: fields(30), Sections: sections(80, "body")}, 25, true, "F24"},
		{"6,000 characters", bot.Reply{Sections: sections(8, words(180))}, 6, true, "S5"}, // 899 + 2 characters each
		// 92 + 2 × (2,950 + "S0" + 2 blank names) = 6,000 exactly.
		{"exactly 6,000", bot.Reply{Title: strings.Repeat("t", 92), Sections: sections(2, strings.Repeat("b", 2950))}, 6, false, "S1"},
		{"long text", bot.Reply{Text: words(3000), Fields: fields(2)}, 2, true, "F1"},
		{"long footer and fields", bot.Reply{Footer: strings.Repeat("f", 3000), Sections: sections(8, words(180))}, 4, true, "S3"},
		{"many links", bot.Reply{Links: manyLinks(100)}, 0, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := render(tt.reply, testOpts{})
			checkRendered(t, mustJSON(t, d), 64)
			e := d.Embeds[0]
			if tt.wantFields > 0 && len(e.Fields) != tt.wantFields {
				t.Errorf("%d fields, want %d", len(e.Fields), tt.wantFields)
			}
			note := e.Footer != nil && strings.HasSuffix(e.Footer.Text, shortenedNote)
			if note != tt.wantNote {
				t.Errorf("note shown: %v, want %v (footer %v)", note, tt.wantNote, e.Footer)
			}
			if tt.lastField != "" && len(e.Fields) > 0 {
				last := ""
				for _, f := range e.Fields {
					if f.Name != zwsp {
						last = f.Name
					}
				}
				if last != tt.lastField {
					t.Errorf("last field %q, want %q", last, tt.lastField)
				}
			}
			if tt.name == "long text" && !strings.HasSuffix(e.Description, "word\n…") {
				t.Errorf("long text not cut between words: …%q", tail(e.Description, 20))
			}
			if tt.name == "long footer and fields" && !strings.HasPrefix(e.Footer.Text, "fff") {
				t.Errorf("footer lost its text: %q", bot.Shorten(e.Footer.Text, 40))
			}
		})
	}
}

func manyLinks(n int) []bot.Link {
	ls := make([]bot.Link, n)
	for i := range ls {
		ls[i] = bot.Link{Text: fmt.Sprint("Link ", i), URL: fmt.Sprint("https://example.com/", strings.Repeat("p", 30), i)}
	}
	return ls
}

func tail(s string, n int) string {
	r := []rune(s)
	return string(r[max(0, len(r)-n):])
}

// TestRenderSplitsLongSections checks that a long section body continues in further fields,
// cut between paragraphs, lines or words, with every code block closed, and nothing lost.
func TestRenderSplitsLongSections(t *testing.T) {
	words := func(n int, w string) string { return strings.TrimSpace(strings.Repeat(w+" ", n)) }
	code := "```go\n" + strings.Repeat("x := 1 // code line\n", 30) + "```"
	tests := []struct {
		name       string
		body       string
		minFields  int
		wholeFence string // a code block that must stay in one field
		lang       string // every code block in the fields starts with "```"+lang+"\n"
	}{
		{"paragraphs", strings.Repeat(words(60, "word")+"\n\n", 12), 4, "", ""},
		{"one long paragraph", words(900, "long"), 4, "", ""},
		{"lines", strings.Repeat("- item with a few words\n", 200), 4, "", ""},
		{"one long word", strings.Repeat("x", 4000), 4, "", ""},
		{"escapes count", strings.Repeat("<@1> ", 800), 4, "", ""},
		{"emoji count twice", strings.Repeat("😀", 2000), 4, "", ""},
		{"fence kept whole", words(180, "lead") + "\n" + code + "\nafter", 2, code, "go"},
		{"fence too long", "```go\n" + strings.Repeat("code line that goes on\n", 200) + "```", 4, "", "go"},
		{"unclosed fence", "```\n" + strings.Repeat("code line that goes on\n", 200), 4, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := bot.Reply{Sections: []bot.Section{{Heading: "Long", Body: tt.body, URL: "https://example.com/long"}}}
			d := render(r, testOpts{})
			checkRendered(t, mustJSON(t, d), 64)
			fs := d.Embeds[0].Fields
			if len(fs) < tt.minFields {
				t.Fatalf("got %d fields, want at least %d", len(fs), tt.minFields)
			}
			if fs[0].Name != "Long" || !strings.HasPrefix(fs[0].Value, "https://example.com/long\n") {
				t.Errorf("first field %q: %q", fs[0].Name, bot.Shorten(fs[0].Value, 60))
			}
			var all []string
			for i, f := range fs {
				if i > 0 && f.Name != zwsp {
					t.Errorf("continuation field %d named %q", i, f.Name)
				}
				if strings.Count(f.Value, "```")%2 != 0 {
					t.Errorf("field %d leaves a code block open: …%q", i, tail(f.Value, 40))
				}
				if tt.lang != "" && strings.Contains(f.Value, "```") && !strings.Contains(f.Value, "```"+tt.lang+"\n") {
					t.Errorf("field %d loses the code block's language", i)
				}
				if tt.wholeFence != "" && strings.Contains(f.Value, "```") && !strings.Contains(f.Value, tt.wholeFence) {
					t.Errorf("field %d cuts the code block", i)
				}
				all = append(all, f.Value)
			}
			if d.Embeds[0].Footer != nil {
				t.Errorf("footer %q: nothing should be left out", d.Embeds[0].Footer.Text)
			}
			// Nothing is lost: the words come back in order once escapes and fences are undone.
			undo := strings.NewReplacer(zwsp, "", "```go", " ", "```", " ")
			got := strings.Join(strings.Fields(undo.Replace(strings.Join(all, " "))), "")
			want := "https://example.com/long" + strings.Join(strings.Fields(undo.Replace(tt.body)), "")
			if got != want {
				t.Errorf("split text loses or changes content: got %d characters, want %d", len(got), len(want))
			}
		})
	}
}

// TestRenderProperties renders random replies full of hostile, long and odd text and checks
// every Discord limit and safety rule on each.
func TestRenderProperties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(2024, 12))
	iterations := 500
	if testing.Short() {
		iterations = 50
	}
	for i := range iterations {
		r, opts := randomReply(rng)
		d := render(r, opts)
		ok := checkRendered(t, mustJSON(t, d), wantFlags(r))
		ok = checkRendered(t, mustJSON(t, MessageSend(r)), 0) && ok
		if want, got := wantShare(r, opts), hasShare(d); got != want {
			t.Errorf("share button shown: %v, want %v (share line %q)", got, want, bot.Shorten(opts.ShareLine, 40))
			ok = false
		}
		if !ok {
			t.Fatalf("iteration %d failed (seeded, reproducible); reply title %q", i, bot.Shorten(r.Title, 80))
		}
	}
}

// wantShare reports whether the reply should carry a share button: ephemeral, with a share line
// that makes a custom_id of at most 100 UTF-16 code units that comes back unchanged.
func wantShare(r bot.Reply, opts testOpts) bool {
	id := CustomIDPrefix + "public:" + opts.ShareLine
	return r.Visibility != bot.Public && strings.TrimSpace(opts.ShareLine) != "" && utf8.ValidString(id) &&
		!strings.ContainsFunc(id, unicode.IsControl) && len(utf16.Encode([]rune(id))) <= 100
}

func hasShare(d *discordgo.InteractionResponseData) bool {
	if len(d.Components) == 0 {
		return false
	}
	row := d.Components[len(d.Components)-1].(discordgo.ActionsRow)
	b := row.Components[len(row.Components)-1].(discordgo.Button)
	return strings.HasPrefix(b.CustomID, CustomIDPrefix+"public:") && b.Label == bot.ShareLabel && b.Style == discordgo.PrimaryButton
}

// renderPieces build random text: mentions, links, markup, control characters, emoji, long words.
var renderPieces = append([]string{
	"", " ", "\n", "\n\n", "\t", "\r\n", "\x00", "\x07", "\x1b[31m", "\u202e", "\u200b", "\u200d", "\ufeff",
	"\xff\xfe", "😀", "👨‍👩‍👧", "🏳️‍🌈", "é", "日本語", "**", "**bold**", "`", "`code`", "```", "```go\n",
	"\n```\n", "- ", "\n- item", "> quote", "# heading", "-# small", "||spoiler||", "*", "_", "~", "|",
	"<", ">", "@", "[", "]", "(", ")", "](", "\\", "&", ":", "/", "#",
	"javascript:alert(1)", "http://", "https://example.com/a?b=(1)&c=2", "<https://x.example>",
	"[a](https://x.example)", "[https://ok.example](https://evil.example)", "word",
}, discordHostile...)

func randomString(rng *rand.Rand) string {
	switch rng.IntN(20) {
	case 0:
		return ""
	case 1: // 10 KB of words and hostile pieces
		var b strings.Builder
		for b.Len() < 10_000 {
			b.WriteString(renderPieces[rng.IntN(len(renderPieces))])
			b.WriteString(strings.Repeat("lorem ", rng.IntN(20)))
		}
		return b.String()
	case 2: // one very long word
		return strings.Repeat(renderPieces[rng.IntN(len(renderPieces))]+"x", 500+rng.IntN(3000))
	}
	var b strings.Builder
	for range rng.IntN(12) {
		b.WriteString(renderPieces[rng.IntN(len(renderPieces))])
		if rng.IntN(3) == 0 {
			b.WriteString(strings.Repeat("a", rng.IntN(200)))
		}
	}
	return b.String()
}

func randomURL(rng *rand.Rand) string {
	schemes := []string{"https://", "http://", "HTTP://", "javascript:", "data:", "mailto:", "", "//", "https:", "https://user@"}
	return schemes[rng.IntN(len(schemes))] + "example.com/" + randomString(rng)
}

// randomLine is a command line: short and plain, long, or hostile.
func randomLine(rng *rand.Rand) string {
	switch rng.IntN(4) {
	case 0:
		return fmt.Sprint("explain topic-", rng.IntN(50))
	case 1:
		return "explain " + strings.Repeat("x", rng.IntN(120))
	}
	return randomString(rng)
}

func randomReply(rng *rand.Rand) (bot.Reply, testOpts) {
	r := bot.Reply{
		Title:      randomString(rng),
		Text:       randomString(rng),
		Footer:     randomString(rng),
		Visibility: bot.Visibility(rng.IntN(3)),
	}
	many := func(limit int) int {
		if rng.IntN(4) == 0 {
			return limit
		}
		return rng.IntN(4)
	}
	for range many(80) {
		r.Sections = append(r.Sections, bot.Section{Heading: randomString(rng), Body: randomString(rng), URL: randomURL(rng)})
	}
	for range many(30) {
		r.Fields = append(r.Fields, bot.Field{Name: randomString(rng), Value: randomString(rng)})
	}
	for range many(30) {
		r.Links = append(r.Links, bot.Link{Text: randomString(rng), URL: randomURL(rng)})
	}
	for range many(40) {
		line := randomLine(rng)
		cmd, args, _ := strings.Cut(line, " ")
		r.Buttons = append(r.Buttons, bot.Button{Label: randomString(rng), Action: bot.Action{Command: cmd, Args: args}})
	}
	return r, testOpts{ShareLine: randomLine(rng)}
}

func FuzzRender(f *testing.F) {
	for _, s := range append(renderPieces, strings.Repeat("long words ", 600), "```\n"+strings.Repeat("code\n", 1200)+"```") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := everywhere(s)
		r.Sections = append(r.Sections, bot.Section{Heading: s, Body: s, URL: s})
		r.Links = append(r.Links, bot.Link{Text: s, URL: "https://" + s})
		r.Buttons = append(r.Buttons, bot.Button{Label: s, Action: bot.Action{Command: s, Args: s}})
		checkRendered(t, mustJSON(t, render(r, testOpts{ShareLine: s})), 64)
		r.Visibility = bot.Public
		checkRendered(t, mustJSON(t, render(r, testOpts{ShareLine: s})), 0)
		checkRendered(t, mustJSON(t, MessageSend(r)), 0)
	})
}

func mustJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		tb.Fatalf("json.Marshal: %v", err)
	}
	return data
}

// What Discord would read as a mention or a link, in text it displays.
var (
	massMention = regexp.MustCompile(`(?i)@(everyone|here)`)
	angleSyntax = regexp.MustCompile(`<(?:[@#/:]|[A-Za-z0-9_]+:)`)
	// A masked link Render writes itself: a label without unescaped brackets, and an http(s) URL
	// without spaces, parentheses, angle brackets or backslashes.
	ownLink = regexp.MustCompile(`\[((?:\\.|[^\\\[\]\n])*)\]\((https?://[^\s()<>\\]+)\)`)
)

// liveMarkup describes the first mention or masked link Discord would read in text, other than
// the links Render writes, or returns "".
func liveMarkup(text string) string {
	if m := massMention.FindString(text); m != "" {
		return "mass mention " + m
	}
	if m := angleSyntax.FindString(text); m != "" {
		return "mention syntax " + m
	}
	if i := strings.Index(ownLink.ReplaceAllString(text, "$1"), "]("); i >= 0 {
		return "masked link"
	}
	return ""
}

// wireMessage is a rendered message as Discord receives it.
type wireMessage struct {
	Content         *string         `json:"content"`
	Flags           int             `json:"flags"`
	AllowedMentions json.RawMessage `json:"allowed_mentions"`
	Embeds          []struct {
		Title       string `json:"title"`
		Description string `json:"description"`
		Color       int    `json:"color"`
		Footer      *struct {
			Text string `json:"text"`
		} `json:"footer"`
		Fields []struct {
			Name   string `json:"name"`
			Value  string `json:"value"`
			Inline bool   `json:"inline"`
		} `json:"fields"`
	} `json:"embeds"`
	Components []struct {
		Type       int `json:"type"`
		Components []struct {
			Type     int    `json:"type"`
			Style    int    `json:"style"`
			Label    string `json:"label"`
			CustomID string `json:"custom_id"`
			URL      string `json:"url"`
		} `json:"components"`
	} `json:"components"`
}

// checkRendered asserts every Discord limit and safety rule on a rendered message, through its
// JSON as Discord would receive it. Lengths are counted in UTF-16 code units, never fewer than
// Discord's characters. It reports whether the message passed.
func checkRendered(t testing.TB, data []byte, flags int) bool {
	t.Helper()
	ok := true
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf(format, args...)
		ok = false
	}
	if !json.Valid(data) {
		fail("invalid JSON")
		return false
	}
	var m wireMessage
	if err := json.Unmarshal(data, &m); err != nil {
		fail("json.Unmarshal: %v", err)
		return false
	}
	if m.Content != nil && (*m.Content != "" || n16(*m.Content) > 2000) {
		fail("content %q", bot.Shorten(*m.Content, 80))
	}
	if m.Flags != flags {
		fail("flags %d, want %d", m.Flags, flags)
	}
	var mentions map[string]json.RawMessage
	if err := json.Unmarshal(m.AllowedMentions, &mentions); err != nil || string(mentions["parse"]) != "[]" {
		fail("allowed_mentions %s, want parse: []", m.AllowedMentions)
	}

	if len(m.Embeds) != 1 {
		fail("%d embeds, want 1", len(m.Embeds))
		return false
	}
	e := m.Embeds[0]
	var texts []shown
	limit := func(where, s string, max int, required bool) {
		t.Helper()
		texts = append(texts, shown{where, s})
		if n := n16(s); n > max {
			fail("%s has %d characters, limit %d", where, n, max)
		}
		if required && strings.TrimSpace(s) == "" {
			fail("%s is empty", where)
		}
	}
	limit("title", e.Title, 256, false)
	limit("description", e.Description, 4096, false)
	total := n16(e.Title) + n16(e.Description)
	if len(e.Fields) > 25 {
		fail("%d fields", len(e.Fields))
	}
	for i, f := range e.Fields {
		limit(fmt.Sprintf("field %d name", i), f.Name, 256, true)
		limit(fmt.Sprintf("field %d value", i), f.Value, 1024, true)
		total += n16(f.Name) + n16(f.Value)
	}
	if e.Footer != nil {
		limit("footer", e.Footer.Text, 2048, true)
		total += n16(e.Footer.Text)
	}
	if total > 6000 {
		fail("embed has %d characters, limit 6000", total)
	}
	if e.Title == "" && e.Description == "" && len(e.Fields) == 0 && e.Footer == nil {
		fail("empty embed")
	}
	if e.Color != BrandColor {
		fail("color %#x", e.Color)
	}

	if m.Components == nil && bytes.Contains(data, []byte(`"components":null`)) {
		fail("components is null")
	}
	if len(m.Components) > 5 {
		fail("%d action rows", len(m.Components))
	}
	ids := map[string]bool{}
	for i, row := range m.Components {
		if row.Type != 1 || len(row.Components) == 0 || len(row.Components) > 5 {
			fail("row %d: type %d with %d components", i, row.Type, len(row.Components))
		}
		for _, b := range row.Components {
			limit("button label", b.Label, 80, true)
			if b.Type != 2 || (b.Style != 1 && b.Style != 2) || b.URL != "" {
				fail("row %d: component type %d style %d url %q", i, b.Type, b.Style, b.URL)
			}
			if n16(b.CustomID) > 100 || !strings.HasPrefix(b.CustomID, CustomIDPrefix) || ids[b.CustomID] {
				fail("custom_id %q too long, without %q or repeated", b.CustomID, CustomIDPrefix)
			}
			ids[b.CustomID] = true
		}
	}

	for _, tx := range texts {
		if bad := liveMarkup(tx.text); bad != "" {
			fail("%s shows a live %s: %q", tx.where, bad, bot.Shorten(tx.text, 200))
		}
		if strings.ContainsFunc(tx.text, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }) {
			fail("%s holds control characters: %q", tx.where, bot.Shorten(tx.text, 200))
		}
	}
	return ok
}

// n16 is the length of s in UTF-16 code units.
func n16(s string) int { return len(utf16.Encode([]rune(s))) }

// testOpts carry the command line of the "Share in channel" button that the router adds to a
// private reply.
type testOpts struct {
	ShareLine string
}

func render(r bot.Reply, o testOpts) *discordgo.InteractionResponseData {
	return Render(bottest.WithShare(r, o.ShareLine))
}

// TestEncodeIsEncodingJSON: the JSON Encode writes is the object encoding/json makes of the same
// response, for stock replies with what requests add, whole replies and hostile ones.
func TestEncodeIsEncodingJSON(t *testing.T) {
	router := testRouter(t)
	rd := NewRenderer(router.Stock())
	shared := bot.Section{Heading: "Shared <in> this \"workspace\"", Body: "- https://example.com/a?b=1&c=<2> (ann): @everyone \u2028 \x01 \xff read"}
	share := bot.Button{Label: bot.ShareLabel, Action: bot.Action{Command: "explain", Args: "x", Public: true}}
	var replies []bot.Reply
	for _, stock := range router.Stock()[:10] {
		replies = append(replies, bot.Reply{Stock: stock},
			bot.Reply{Stock: stock, Sections: []bot.Section{shared}, Buttons: []bot.Button{share}, Footer: "Best match for “x” · /explain x"})
	}
	for _, s := range append(renderPieces, "\u2029", "</script>") {
		replies = append(replies, everywhere(s))
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for range 50 {
		r, _ := randomReply(rng)
		replies = append(replies, r)
	}
	for i, r := range replies {
		resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource, Data: rd.Render(r)}
		got, err := rd.Encode(resp)
		if err != nil {
			t.Fatal(err)
		}
		want := mustJSON(t, resp)
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatalf("reply %d: invalid JSON %v:\n%s", i, err, got)
		}
		_ = json.Unmarshal(want, &w)
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("reply %d: Encode wrote\n%s\nencoding/json\n%s", i, got, want)
		}
	}
}
