package slack

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
	"unicode/utf8"

	goslack "github.com/slack-go/slack"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/bottest"
	"github.com/careerbot/careerbot/bot/study"
	"github.com/careerbot/careerbot/knowledge"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestRenderGolden renders the core's real answer to "/explain raft" and compares it with the
// reviewed payload in testdata.
func TestRenderGolden(t *testing.T) {
	kb, err := knowledge.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	router := bot.NewRouter(slog.New(slog.DiscardHandler), nil)
	study.Register(router, kb, nil, slog.New(slog.DiscardHandler))

	tests := []struct {
		name, command, text string
		opts                testOpts
	}{
		// The router adds the share button itself: the command has a channel.
		{"explain-raft", "explain", "raft", testOpts{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reply := router.Dispatch(t.Context(), bot.Command{
				Platform: bot.PlatformSlack, Workspace: "T1", Channel: "C1", User: "U1",
				Name: tt.command, Text: tt.text,
			})
			m := render(reply, tt.opts)
			checkMessage(t, m, tt.opts)
			if prepared := NewRenderer(router.Stock()).Render(reply, RenderOptions{}); !bytes.Equal(mustJSON(t, prepared), mustJSON(t, m)) {
				t.Errorf("the prepared stock renders differently:\n%s", mustJSON(t, prepared))
			}
			// Without HTML escaping, so reviewers read "<url|label>" and "&gt;" as Slack receives them.
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			if err := enc.Encode(m); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			path := filepath.Join("testdata", tt.name+".golden.json")
			if *updateGolden {
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
	kb, err := knowledge.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	router := bot.NewRouter(slog.New(slog.DiscardHandler), nil)
	study.Register(router, kb, nil, slog.New(slog.DiscardHandler))
	reply := router.Dispatch(b.Context(), bot.Command{Platform: bot.PlatformSlack, Channel: "C1", Name: "explain", Text: "raft"})
	reply.Sections = append(reply.Sections, bot.Section{Heading: "Shared in this workspace",
		Body: "- https://raft.github.io/ (ann, 3 upvotes): the visualisation helps"})
	rd := NewRenderer(router.Stock())
	b.ReportAllocs()
	for b.Loop() {
		rd.Render(reply, RenderOptions{})
	}
}

// TestPreparedRenderingIsTheSame renders every topic's explanation, with and without what a
// request adds, through the prepared stock and as a whole reply, and wants the same payload.
func TestPreparedRenderingIsTheSame(t *testing.T) {
	router := testRouter(t)
	rd := NewRenderer(router.Stock())
	shared := bot.Section{Heading: "Shared in this workspace", Body: "- https://example.com/a?b=1&c=<2> (ann, 1 upvote): <!channel> read this"}
	share := bot.Button{Label: bot.ShareLabel, Action: bot.Action{Command: "explain", Args: "x", Public: true}}
	for _, stock := range router.Stock() {
		for i, r := range []bot.Reply{
			{Stock: stock},
			{Stock: stock, Footer: "Best match for “how” · /explain x"},
			{Stock: stock, Sections: []bot.Section{shared}, Buttons: []bot.Button{share}},
			{Stock: stock, Sections: []bot.Section{shared, shared}, Buttons: []bot.Button{share, share}, Visibility: bot.Public},
		} {
			for _, opts := range []RenderOptions{{}, {MaxBlocks: 7}} {
				got, want := mustJSON(t, rd.Render(r, opts)), mustJSON(t, Render(r.Full(), opts))
				if !bytes.Equal(got, want) {
					t.Fatalf("%s, case %d, %+v: prepared\n%s\nwhole\n%s", stock.Title, i, opts, got, want)
				}
			}
		}
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// hostile holds strings that must never become a mention, a channel link or a foreign link.
var hostile = []string{
	"<!channel>", "<!here>", "<!everyone>", "<@U123>", "<!subteam^S1>", "<#C1>",
	"<http://evil.example|innocent>", "&", "@channel", "<!date^1392734382^{date}|x>",
	"&lt;!channel&gt;", "<javascript:alert(1)|click>", "<mailto:a@b.example|mail>",
}

// everywhere is a reply with s in every text field.
func everywhere(s string) bot.Reply {
	return bot.Reply{
		Title:    s,
		Text:     s,
		Fields:   []bot.Field{{Name: s, Value: s}},
		Sections: []bot.Section{{Heading: s, Body: s}, {Heading: s, Body: s, URL: "https://example.com/" + s}},
		Links:    []bot.Link{{Text: s, URL: "https://example.com/?q=" + s}, {Text: s, URL: s}},
		Buttons:  []bot.Button{{Label: s, Action: bot.Action{Command: "explain", Args: s}}},
		Footer:   s,
	}
}

func TestRenderEscapes(t *testing.T) {
	tests := []struct {
		in   string
		want string // how in reads in every text object
	}{
		{"<!channel>", "&lt;!channel&gt;"},
		{"<!here>", "&lt;!here&gt;"},
		{"<!everyone>", "&lt;!everyone&gt;"},
		{"<@U123>", "&lt;@U123&gt;"},
		{"<!subteam^S1>", "&lt;!subteam^S1&gt;"},
		{"<#C1>", "&lt;#C1&gt;"},
		{"<http://evil.example|innocent>", "&lt;http://evil.example|innocent&gt;"},
		{"fish & chips", "fish &amp; chips"},
		{"&amp;", "&amp;amp;"},
		{"@channel", "@channel"},
		{"hi @here and @everyone", "hi @here and @everyone"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			m := render(everywhere(tt.in), testOpts{ShareLine: "explain " + tt.in})
			checkMessage(t, m, testOpts{ShareLine: "explain " + tt.in})

			texts := textObjects(t, m)
			kinds := map[string]bool{}
			for _, tx := range texts {
				kinds[tx.where] = true
				if tx.where == "button" && strings.HasPrefix(tx.text, "Share") {
					continue
				}
				if !strings.Contains(tx.text, tt.want) {
					t.Errorf("%s text %q does not show %q as %q", tx.where, tx.text, tt.in, tt.want)
				}
			}
			for _, k := range []string{"header", "section", "field", "context", "button"} {
				if !kinds[k] {
					t.Errorf("no %s text rendered", k)
				}
			}
			if !strings.Contains(m.Text, tt.want) {
				t.Errorf("fallback %q does not show %q as %q", m.Text, tt.in, tt.want)
			}
		})
	}
}

func TestRenderMrkdwn(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"bold", "a **bold** claim", "a *bold* claim"},
		{"list", "Steps:\n- one\n- two **2**", "Steps:\n• one\n• two *2*"},
		{"indented list", "  - nested", "• nested"}, // the text is trimmed first
		{"inline code kept", "run `a**b**` now", "run `a**b**` now"},
		{"bold after code", "`x` and **y**", "`x` and *y*"},
		{"unpaired backtick", "it`s **fine**", "it`s *fine*"},
		{"fence loses language", "```go\nx := a**b\n- not a list\n```", "```\nx := a**b\n- not a list\n```"},
		{"fence escapes", "```\nif a < b && c > d {}\n```", "```\nif a &lt; b &amp;&amp; c &gt; d {}\n```"},
		{"inline triple backticks", "```x``` and **y**", "```x``` and *y*"},
		{"fence info with spaces kept", "```this is code\nmore\n```", "```\nthis is code\nmore\n```"},
		{"paragraphs", "one\n\n\n\ntwo", "one\n\ntwo"},
		{"control characters", "a\x00b\u202ec\r\nd", "abc\nd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := render(bot.Reply{Text: tt.in}, testOpts{})
			checkMessage(t, m, testOpts{})
			if len(m.Blocks) != 1 {
				t.Fatalf("got %d blocks, want 1", len(m.Blocks))
			}
			got := m.Blocks[0].(*goslack.SectionBlock).Text
			if got.Text != tt.want {
				t.Errorf("Text %q rendered as %q, want %q", tt.in, got.Text, tt.want)
			}
			if !got.Verbatim {
				t.Error("verbatim is false")
			}
		})
	}
}

func TestRenderSplitsLongText(t *testing.T) {
	words := func(n int, w string) string { return strings.TrimSpace(strings.Repeat(w+" ", n)) }
	code2k := "```\n" + strings.Repeat("x := 1 // code line\n", 100) + "```"
	tests := []struct {
		name       string
		text       string
		minBlocks  int
		wholeFence string // a code block that must stay in one section
	}{
		{"paragraphs", strings.Repeat(words(80, "word")+"\n\n", 40), 4, ""},
		{"one long paragraph", words(2500, "long"), 4, ""},
		{"one long word", strings.Repeat("x", 10000), 4, ""},
		{"ampersands count as five", strings.Repeat("&", 1000), 2, ""},
		{"fence kept whole", words(400, "lead") + "\n" + code2k + "\nafter", 2, code2k},
		{"fence too long", "```\n" + strings.Repeat("code line that goes on\n", 400) + "```", 4, ""},
		{"fence of lines that fill a section", "```\n" + strings.Repeat(strings.Repeat("c", 99)+"\n", 100) + "```", 4, ""},
		{"unclosed fence", "```\n" + strings.Repeat("code line that goes on\n", 400), 4, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := render(bot.Reply{Text: tt.text}, testOpts{})
			checkMessage(t, m, testOpts{})
			if len(m.Blocks) < tt.minBlocks {
				t.Errorf("got %d blocks, want at least %d", len(m.Blocks), tt.minBlocks)
			}
			var all []string
			for i, b := range m.Blocks {
				s := b.(*goslack.SectionBlock).Text.Text
				if strings.Count(s, "```")%2 != 0 {
					t.Errorf("block %d leaves a code block open: …%q", i, tail(s, 40))
				}
				all = append(all, s)
				if tt.wholeFence != "" && strings.Contains(s, "```") && !strings.Contains(s, tt.wholeFence) {
					t.Errorf("block %d cuts the code block", i)
				}
			}
			// Nothing is lost: the words come back in order once escaping and fences are undone.
			unescape := strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "```", " ")
			got := strings.Join(strings.Fields(unescape.Replace(strings.Join(all, " "))), "")
			want := strings.Join(strings.Fields(strings.ReplaceAll(tt.text, "```", " ")), "")
			if got != want {
				t.Errorf("split text loses or changes content: got %d characters, want %d", len(got), len(want))
			}
		})
	}
}

func tail(s string, n int) string {
	r := []rune(s)
	return string(r[max(0, len(r)-n):])
}

func TestRenderBlockLimit(t *testing.T) {
	many := func(sections, buttons int) bot.Reply {
		r := bot.Reply{Title: "Many", Footer: "/explain many"}
		for i := range sections {
			r.Sections = append(r.Sections, bot.Section{Heading: fmt.Sprint("S", i), Body: "body"})
		}
		for i := range buttons {
			r.Buttons = append(r.Buttons, bot.Button{Label: fmt.Sprint("B", i), Action: bot.Action{Command: "explain", Args: fmt.Sprint(i)}})
		}
		return r
	}
	tests := []struct {
		name        string
		reply       bot.Reply
		opts        testOpts
		wantBlocks  int
		wantNote    bool
		wantButtons int
	}{
		{"fits", many(10, 3), testOpts{}, 1 + 10 + 1 + 1, false, 3},
		{"message limit", many(80, 12), testOpts{}, 50, true, 12},
		{"home tab limit", many(80, 12), testOpts{MaxBlocks: 100}, 1 + 80 + 1 + 3, false, 12},
		{"share counts", many(80, 5), testOpts{ShareLine: "explain many"}, 50, true, 6},
		{"tiny limit keeps buttons first", many(5, 12), testOpts{MaxBlocks: 3}, 3, true, 10},
		{"limit of one", many(5, 1), testOpts{MaxBlocks: 1}, 1, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := render(tt.reply, tt.opts)
			checkMessage(t, m, tt.opts)
			if len(m.Blocks) != tt.wantBlocks {
				t.Errorf("got %d blocks, want %d", len(m.Blocks), tt.wantBlocks)
			}
			note, buttons := false, 0
			for _, b := range m.Blocks {
				switch b := b.(type) {
				case *goslack.ContextBlock:
					for _, e := range b.ContextElements.Elements {
						if strings.Contains(e.(*goslack.TextBlockObject).Text, "shortened") {
							note = true
						}
					}
				case *goslack.ActionBlock:
					buttons += len(b.Elements.ElementSet)
				}
			}
			if note != tt.wantNote {
				t.Errorf("shortened note shown: %v, want %v", note, tt.wantNote)
			}
			if buttons != tt.wantButtons {
				t.Errorf("got %d buttons, want %d", buttons, tt.wantButtons)
			}
		})
	}
}

func TestRenderButtons(t *testing.T) {
	btn := func(label, args string) bot.Button {
		return bot.Button{Label: label, Action: bot.Action{Command: "explain", Args: args}}
	}
	tests := []struct {
		name       string
		reply      bot.Reply
		opts       testOpts
		wantRows   []int
		wantLabels []string
		wantValues []string
	}{
		{
			name:       "rows of five",
			reply:      bot.Reply{Buttons: []bot.Button{btn("a", "1"), btn("b", "2"), btn("c", "3"), btn("d", "4"), btn("e", "5"), btn("f", "6")}},
			wantRows:   []int{5, 1},
			wantLabels: []string{"a", "b", "c", "d", "e", "f"},
			wantValues: []string{"explain 1", "explain 2", "explain 3", "explain 4", "explain 5", "explain 6"},
		},
		{
			name:       "share on ephemeral",
			reply:      bot.Reply{Buttons: []bot.Button{btn("Raft", "raft")}},
			opts:       testOpts{ShareLine: "explain raft"},
			wantRows:   []int{2},
			wantLabels: []string{"Raft", "Share in channel"},
			wantValues: []string{"explain raft", "public:explain raft"},
		},
		{
			name:       "no share on public",
			reply:      bot.Reply{Buttons: []bot.Button{btn("Raft", "raft")}, Visibility: bot.Public},
			opts:       testOpts{ShareLine: "explain raft"},
			wantRows:   []int{1},
			wantLabels: []string{"Raft"},
			wantValues: []string{"explain raft"},
		},
		{
			name:       "value too long is dropped",
			reply:      bot.Reply{Buttons: []bot.Button{btn("long", strings.Repeat("x", 2000)), btn("ok", "y")}},
			wantRows:   []int{1},
			wantLabels: []string{"ok"},
			wantValues: []string{"explain y"},
		},
		{
			name:       "share line too long is dropped",
			reply:      bot.Reply{Buttons: []bot.Button{btn("ok", "y")}},
			opts:       testOpts{ShareLine: strings.Repeat("x", 1994)},
			wantRows:   []int{1},
			wantLabels: []string{"ok"},
			wantValues: []string{"explain y"},
		},
		{
			name:       "long label is shortened",
			reply:      bot.Reply{Buttons: []bot.Button{btn(strings.Repeat("label ", 20), "z")}},
			wantRows:   []int{1},
			wantLabels: []string{strings.Repeat("label ", 11) + "label…"},
			wantValues: []string{"explain z"},
		},
		{
			name:       "escaped label stays under 75",
			reply:      bot.Reply{Buttons: []bot.Button{btn(strings.Repeat("&", 40), "z")}},
			wantRows:   []int{1},
			wantLabels: []string{strings.Repeat("&amp;", 14) + "…"},
			wantValues: []string{"explain z"},
		},
		{
			name:       "empty label shows the command",
			reply:      bot.Reply{Buttons: []bot.Button{btn(" \x00 ", "raft"), {Label: "nothing"}}},
			wantRows:   []int{1},
			wantLabels: []string{"explain raft"},
			wantValues: []string{"explain raft"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := render(tt.reply, tt.opts)
			checkMessage(t, m, tt.opts)
			var rows []int
			var labels, values []string
			for _, b := range m.Blocks {
				a, ok := b.(*goslack.ActionBlock)
				if !ok {
					continue
				}
				rows = append(rows, len(a.Elements.ElementSet))
				for _, e := range a.Elements.ElementSet {
					bt := e.(*goslack.ButtonBlockElement)
					if want := fmt.Sprint("careerbot:", len(labels)); bt.ActionID != want {
						t.Errorf("action_id %q, want %q", bt.ActionID, want)
					}
					labels = append(labels, bt.Text.Text)
					values = append(values, bt.Value)
				}
			}
			if fmt.Sprint(rows) != fmt.Sprint(tt.wantRows) {
				t.Errorf("rows %v, want %v", rows, tt.wantRows)
			}
			if fmt.Sprintf("%q", labels) != fmt.Sprintf("%q", tt.wantLabels) {
				t.Errorf("labels %q, want %q", labels, tt.wantLabels)
			}
			if fmt.Sprintf("%q", values) != fmt.Sprintf("%q", tt.wantValues) {
				t.Errorf("values %q, want %q", values, tt.wantValues)
			}
		})
	}
}

func TestRenderParts(t *testing.T) {
	fields := func(n int) []bot.Field {
		fs := make([]bot.Field, n)
		for i := range fs {
			fs[i] = bot.Field{Name: fmt.Sprint("F", i), Value: "v"}
		}
		return fs
	}
	links := func(n int) []bot.Link {
		ls := make([]bot.Link, n)
		for i := range ls {
			ls[i] = bot.Link{Text: fmt.Sprint("L", i), URL: fmt.Sprint("https://example.com/", i)}
		}
		return ls
	}
	tests := []struct {
		name  string
		reply bot.Reply
		want  []string // the rendered blocks, one line each: kind and text
		text  string   // the fallback
	}{
		{
			name:  "title and text",
			reply: bot.Reply{Title: "Raft & Paxos", Text: "- **Leader** based\nsecond line", Visibility: bot.Public},
			want:  []string{"header Raft &amp; Paxos", "section • *Leader* based\nsecond line"},
			text:  "Raft &amp; Paxos — *Leader* based",
		},
		{
			name:  "long title",
			reply: bot.Reply{Title: strings.Repeat("abcd ", 40)},
			want:  []string{"header " + strings.Repeat("abcd ", 28) + "abcd…"},
			text:  strings.TrimSpace(strings.Repeat("abcd ", 40)),
		},
		{
			name:  "fields",
			reply: bot.Reply{Fields: []bot.Field{{Name: "Level", Value: "intermediate"}, {Name: "", Value: "no name"}, {Name: "no value"}, {}}},
			want:  []string{"fields *Level*\nintermediate | no name | *no value*"},
			text:  "careerbot",
		},
		{
			name:  "fields ten to a section",
			reply: bot.Reply{Title: "T", Fields: fields(23)},
			want:  []string{"header T", fieldsLine(0, 10), fieldsLine(10, 20), fieldsLine(20, 23)},
			text:  "T",
		},
		{
			name:  "long field value",
			reply: bot.Reply{Fields: []bot.Field{{Name: "N", Value: strings.Repeat("v", 3000)}}},
			want:  []string{"fields *N*\n" + strings.Repeat("v", 1995) + "…"},
			text:  "careerbot",
		},
		{
			name: "sections",
			reply: bot.Reply{Sections: []bot.Section{
				{Heading: "How it works", Body: "Votes."},
				{Heading: "Paper", Body: "Read it.", URL: "https://raft.github.io/raft.pdf?a=1&b=|"},
				{Heading: "Bad URL", URL: "javascript:alert(1)"},
				{Heading: "Data URL", URL: "data:text/html,<b>x</b>"},
				{Heading: "Relative", URL: "/etc/passwd"},
				{Heading: "Spoof", URL: "https://a.example/x>|<!channel>"},
				{Heading: "", Body: "No heading."},
				{URL: "https://only.example/"},
			}},
			want: []string{
				"section *How it works*\nVotes.",
				"section *<https://raft.github.io/raft.pdf?a=1&amp;b=%7C|Paper>*\nRead it.",
				"section *Bad URL*",
				"section *Data URL*",
				"section *Relative*",
				"section *<https://a.example/x&gt;%7C&lt;!channel&gt;|Spoof>*",
				"section No heading.",
				"section *<https://only.example/|https://only.example/>*",
			},
			text: "careerbot",
		},
		{
			name: "links in context",
			reply: bot.Reply{Links: []bot.Link{
				{Text: "Paper", URL: "https://raft.github.io/raft.pdf"},
				{Text: "Evil", URL: "javascript:alert(1)"},
				{Text: "", URL: "HTTPS://Example.com/A"},
				{Text: "", URL: "ftp://example.com/"},
			}},
			want: []string{"context <https://raft.github.io/raft.pdf|Paper> | Evil | <https://Example.com/A|HTTPS://Example.com/A>"},
			text: "careerbot",
		},
		{
			name:  "many links in a section",
			reply: bot.Reply{Links: links(11)},
			want:  []string{"section • <https://example.com/0|L0>\n• <https://example.com/1|L1>\n• <https://example.com/2|L2>\n• <https://example.com/3|L3>\n• <https://example.com/4|L4>\n• <https://example.com/5|L5>\n• <https://example.com/6|L6>\n• <https://example.com/7|L7>\n• <https://example.com/8|L8>\n• <https://example.com/9|L9>\n• <https://example.com/10|L10>"},
			text:  "careerbot",
		},
		{
			name:  "footer",
			reply: bot.Reply{Title: "T", Text: "```\ncode\n```\nfirst words", Footer: "Best match for **x** · `/explain raft`\nsecond"},
			want:  []string{"header T", "section ```\ncode\n```\n\nfirst words", "context Best match for *x* · `/explain raft` second"},
			text:  "T — first words",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := render(tt.reply, testOpts{})
			checkMessage(t, m, testOpts{})
			var got []string
			for _, b := range m.Blocks {
				got = append(got, describe(b))
			}
			if strings.Join(got, "\n---\n") != strings.Join(tt.want, "\n---\n") {
				t.Errorf("blocks:\n%s\nwant:\n%s", strings.Join(got, "\n---\n"), strings.Join(tt.want, "\n---\n"))
			}
			if m.Text != tt.text {
				t.Errorf("fallback %q, want %q", m.Text, tt.text)
			}
			wantType := "ephemeral"
			if tt.reply.Visibility == bot.Public {
				wantType = "in_channel"
			}
			if m.ResponseType != wantType {
				t.Errorf("response_type %q, want %q", m.ResponseType, wantType)
			}
		})
	}
}

// fieldsLine describes a section of the fields made by fields(n), from the from-th to the to-th.
func fieldsLine(from, to int) string {
	var fs []string
	for i := from; i < to; i++ {
		fs = append(fs, fmt.Sprintf("*F%d*\nv", i))
	}
	return "fields " + strings.Join(fs, " | ")
}

// describe shows a block as its kind and text, for comparing in tests.
func describe(b goslack.Block) string {
	switch b := b.(type) {
	case *goslack.HeaderBlock:
		return "header " + b.Text.Text
	case *goslack.SectionBlock:
		if b.Text != nil {
			return "section " + b.Text.Text
		}
		var fs []string
		for _, f := range b.Fields {
			fs = append(fs, f.Text)
		}
		return "fields " + strings.Join(fs, " | ")
	case *goslack.ContextBlock:
		var es []string
		for _, e := range b.ContextElements.Elements {
			es = append(es, e.(*goslack.TextBlockObject).Text)
		}
		return "context " + strings.Join(es, " | ")
	case *goslack.ActionBlock:
		return fmt.Sprint("actions ", len(b.Elements.ElementSet))
	}
	return fmt.Sprintf("%T", b)
}

// TestRenderProperties renders random replies full of hostile, long and odd text and checks
// every Slack limit and safety rule on each.
func TestRenderProperties(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(2024, 11))
	iterations := 500
	if testing.Short() {
		iterations = 50
	}
	for i := range iterations {
		r, opts := randomReply(rng)
		m := render(r, opts)
		if !checkMessage(t, m, opts) {
			t.Fatalf("iteration %d failed (seeded, reproducible); reply title %q", i, bot.Shorten(r.Title, 80))
		}
	}
}

// pieces build random text: mentions, links, markup, control characters, emoji, long words.
var pieces = append([]string{
	"", " ", "\n", "\n\n", "\t", "\r\n", "\x00", "\x07", "\x1b[31m", "\u202e", "\u200b", "\ufeff",
	"\xff\xfe", "😀", "👨‍👩‍👧", "🏳️‍🌈", "é", "日本語", "**", "**bold**", "`", "`code`", "```", "```go\n",
	"\n```\n", "- ", "\n- item", "> quote", "*", "_", "~", "|", "||", ">", "<", "&", "&amp;", "&lt;",
	"javascript:alert(1)", "http://", "https://example.com/a?b=1&c=2", "<https://x.example>",
	"@here", "@everyone", "<<!channel>>", "<@U1|name>", "<!subteam^S1|@team>", "word",
}, hostile...)

func randomString(rng *rand.Rand) string {
	switch rng.IntN(20) {
	case 0:
		return ""
	case 1: // 10 KB of words and hostile pieces
		var b strings.Builder
		for b.Len() < 10_000 {
			b.WriteString(pieces[rng.IntN(len(pieces))])
			b.WriteString(strings.Repeat("lorem ", rng.IntN(20)))
		}
		return b.String()
	case 2: // one very long word
		return strings.Repeat(pieces[rng.IntN(len(pieces))]+"x", 500+rng.IntN(3000))
	}
	var b strings.Builder
	for range rng.IntN(12) {
		b.WriteString(pieces[rng.IntN(len(pieces))])
		if rng.IntN(3) == 0 {
			b.WriteString(strings.Repeat("a", rng.IntN(200)))
		}
	}
	return b.String()
}

func randomURL(rng *rand.Rand) string {
	schemes := []string{"https://", "http://", "HTTP://", "javascript:", "data:", "mailto:", "", "//", "https:"}
	return schemes[rng.IntN(len(schemes))] + "example.com/" + randomString(rng)
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
		r.Buttons = append(r.Buttons, bot.Button{Label: randomString(rng), Action: bot.Action{Command: randomString(rng), Args: randomString(rng)}})
	}
	opts := testOpts{ShareLine: randomString(rng), MaxBlocks: []int{0, 50, 100, 1, 7}[rng.IntN(5)]}
	return r, opts
}

func FuzzRender(f *testing.F) {
	for _, s := range append(pieces, strings.Repeat("long words ", 400), "```\n"+strings.Repeat("code\n", 800)+"```") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := everywhere(s)
		r.Sections = append(r.Sections, bot.Section{Heading: s, Body: s, URL: s})
		r.Buttons = append(r.Buttons, bot.Button{Label: s, Action: bot.Action{Command: s, Args: s}})
		for _, opts := range []testOpts{{ShareLine: s}, {MaxBlocks: 100, ShareLine: s}} {
			checkMessage(t, render(r, opts), opts)
		}
	})
}

// A link Render writes itself: an http(s) URL without spaces or markup characters, and a label
// without markup characters.
var ownLink = regexp.MustCompile(`^<https?://[^\s<>|]+\|[^<>\n]+>`)

// checkMessage asserts every Block Kit limit and safety rule on m, through its JSON as Slack would
// receive it. It reports whether m passed.
func checkMessage(t testing.TB, m Message, opts testOpts) bool {
	t.Helper()
	ok := true
	fail := func(format string, args ...any) {
		t.Helper()
		t.Errorf(format, args...)
		ok = false
	}
	data, err := json.Marshal(m)
	if err != nil {
		t.Errorf("json.Marshal: %v", err)
		return false
	}
	if !json.Valid(data) {
		fail("invalid JSON")
	}
	for _, key := range []string{`"link_names"`, `"parse"`} {
		if bytes.Contains(data, []byte(key)) {
			fail("payload sets %s", key)
		}
	}

	// slack-go reads it back, block for block.
	var typed struct {
		Text   string         `json:"text"`
		Blocks goslack.Blocks `json:"blocks"`
	}
	if err := json.Unmarshal(data, &typed); err != nil {
		fail("slack-go cannot read the payload: %v", err)
	} else if len(typed.Blocks.BlockSet) != len(m.Blocks) {
		fail("slack-go reads %d blocks, want %d", len(typed.Blocks.BlockSet), len(m.Blocks))
	}

	var msg struct {
		Text         string           `json:"text"`
		Blocks       []map[string]any `json:"blocks"`
		ResponseType string           `json:"response_type"`
	}
	if err := json.Unmarshal(data, &msg); err != nil {
		t.Errorf("json.Unmarshal: %v", err)
		return false
	}
	maxBlocks := opts.MaxBlocks
	if maxBlocks <= 0 {
		maxBlocks = 50
	}
	if msg.Blocks == nil {
		fail("blocks is null")
	}
	if len(msg.Blocks) > maxBlocks {
		fail("%d blocks, limit %d", len(msg.Blocks), maxBlocks)
	}
	if msg.ResponseType != "ephemeral" && msg.ResponseType != "in_channel" {
		fail("response_type %q", msg.ResponseType)
	}
	if msg.Text == "" || utf8.RuneCountInString(msg.Text) > 3000 {
		fail("fallback text has %d characters", utf8.RuneCountInString(msg.Text))
	}
	checkShown(t, "fallback text", msg.Text, false, fail)

	ids := map[string]bool{}
	for i, b := range msg.Blocks {
		where := fmt.Sprintf("block %d (%v)", i, b["type"])
		switch b["type"] {
		case "header":
			text := textObject(t, where, b["text"], fail)
			if text["type"] != "plain_text" || text["emoji"] != false {
				fail("%s: header text must be plain_text with emoji false: %v", where, text)
			}
			if n := runes(text["text"]); n > 150 {
				fail("%s: header has %d characters", where, n)
			}
		case "section":
			fields, _ := b["fields"].([]any)
			if b["text"] == nil && len(fields) == 0 {
				fail("%s: section with neither text nor fields", where)
			}
			if b["text"] != nil {
				textObject(t, where, b["text"], fail)
			}
			if len(fields) > 10 {
				fail("%s: %d fields", where, len(fields))
			}
			for _, f := range fields {
				if n := runes(textObject(t, where, f, fail)["text"]); n > 2000 {
					fail("%s: field has %d characters", where, n)
				}
			}
		case "context":
			elements, _ := b["elements"].([]any)
			if len(elements) == 0 || len(elements) > 10 {
				fail("%s: %d context elements", where, len(elements))
			}
			for _, e := range elements {
				textObject(t, where, e, fail)
			}
		case "actions":
			elements, _ := b["elements"].([]any)
			if len(elements) == 0 || len(elements) > 25 {
				fail("%s: %d elements", where, len(elements))
			}
			for _, e := range elements {
				btn, _ := e.(map[string]any)
				if btn["type"] != "button" {
					fail("%s: element %v", where, btn)
					continue
				}
				text := textObject(t, where, btn["text"], fail)
				if text["type"] != "plain_text" || runes(text["text"]) > 75 {
					fail("%s: button text %v", where, text)
				}
				if n := runes(btn["value"]); n == 0 || n > 2000 {
					fail("%s: button value has %d characters", where, n)
				}
				id, _ := btn["action_id"].(string)
				if id == "" || len(id) > 255 || ids[id] {
					fail("%s: action_id %q empty, too long or repeated", where, id)
				}
				ids[id] = true
			}
		default:
			fail("%s: unexpected block", where)
		}
	}
	return ok
}

// textObject checks a text object: type, length, verbatim on mrkdwn, and what it shows.
func textObject(t testing.TB, where string, v any, fail func(string, ...any)) map[string]any {
	t.Helper()
	obj, _ := v.(map[string]any)
	text, _ := obj["text"].(string)
	switch obj["type"] {
	case "mrkdwn":
		if obj["verbatim"] != true {
			fail("%s: mrkdwn text without verbatim: true", where)
		}
		checkShown(t, where, text, true, fail)
	case "plain_text":
		checkShown(t, where, text, false, fail)
	default:
		fail("%s: text object of type %v", where, obj["type"])
	}
	typ, _ := obj["type"].(string)
	tobj := goslack.TextBlockObject{Type: typ, Text: text}
	if err := tobj.Validate(); err != nil {
		fail("%s: %v (%d characters)", where, err, utf8.RuneCountInString(text))
	}
	return obj
}

// checkShown checks text Slack will display: no mention or channel markup, and no link but
// http(s) links Render wrote (only in mrkdwn).
func checkShown(t testing.TB, where, text string, links bool, fail func(string, ...any)) {
	t.Helper()
	for _, bad := range []string{"<!", "<@", "<#"} {
		if strings.Contains(text, bad) {
			fail("%s: shows %q: %q", where, bad, bot.Shorten(text, 200))
		}
	}
	for i := strings.IndexByte(text, '<'); i >= 0; i = next(text, i) {
		if !links {
			fail("%s: '<' in text without links: %q", where, bot.Shorten(text, 200))
			return
		}
		if !ownLink.MatchString(text[i:]) {
			fail("%s: '<' that is not an http(s) link: %q", where, bot.Shorten(text[i:], 200))
			return
		}
	}
	if strings.Contains(text, ">") && strings.Count(text, ">") != strings.Count(text, "<") {
		fail("%s: unpaired '>': %q", where, bot.Shorten(text, 200))
	}
}

func next(s string, i int) int {
	j := strings.IndexByte(s[i+1:], '<')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

func runes(v any) int {
	s, _ := v.(string)
	return utf8.RuneCountInString(s)
}

// shownText is one text object of a rendered message and where it is.
type shownText struct{ where, text string }

// textObjects lists the text a message shows, by kind: header, section, field, context, button.
func textObjects(t testing.TB, m Message) []shownText {
	t.Helper()
	var out []shownText
	for _, b := range m.Blocks {
		switch b := b.(type) {
		case *goslack.HeaderBlock:
			out = append(out, shownText{"header", b.Text.Text})
		case *goslack.SectionBlock:
			if b.Text != nil {
				out = append(out, shownText{"section", b.Text.Text})
			}
			for _, f := range b.Fields {
				out = append(out, shownText{"field", f.Text})
			}
		case *goslack.ContextBlock:
			for _, e := range b.ContextElements.Elements {
				out = append(out, shownText{"context", e.(*goslack.TextBlockObject).Text})
			}
		case *goslack.ActionBlock:
			for _, e := range b.Elements.ElementSet {
				out = append(out, shownText{"button", e.(*goslack.ButtonBlockElement).Text.Text})
			}
		default:
			t.Fatalf("unexpected block %T", b)
		}
	}
	return out
}

// testOpts are the render options of these tests, with the command line of the "Share in
// channel" button that the router adds to a private reply.
type testOpts struct {
	ShareLine string
	MaxBlocks int
}

func render(r bot.Reply, o testOpts) Message {
	return Render(bottest.WithShare(r, o.ShareLine), RenderOptions{MaxBlocks: o.MaxBlocks})
}

// TestEncodeIsEncodingJSON: the JSON Encode writes is the object encoding/json makes of the same
// message, for stock replies with what requests add, whole replies and hostile ones.
func TestEncodeIsEncodingJSON(t *testing.T) {
	router := testRouter(t)
	rd := NewRenderer(router.Stock())
	shared := bot.Section{Heading: "Shared <in> this \"workspace\"", Body: "- https://example.com/a?b=1&c=<2> (ann): <!channel> \u2028 \x01 \xff read"}
	share := bot.Button{Label: bot.ShareLabel, Action: bot.Action{Command: "explain", Args: "x", Public: true}}
	var msgs []Message
	for _, stock := range router.Stock()[:10] {
		msgs = append(msgs, rd.Render(bot.Reply{Stock: stock}, RenderOptions{}),
			rd.Render(bot.Reply{Stock: stock, Sections: []bot.Section{shared}, Buttons: []bot.Button{share}, Footer: "x"}, RenderOptions{MaxBlocks: 9}))
	}
	for _, s := range append(pieces, "\u2029", "</script>") {
		msgs = append(msgs, rd.Render(everywhere(s), RenderOptions{}))
	}
	rng := rand.New(rand.NewPCG(7, 7))
	for range 50 {
		r, _ := randomReply(rng)
		msgs = append(msgs, rd.Render(r, RenderOptions{}))
	}
	msgs = append(msgs, Message{DeleteOriginal: true}, Message{Text: "t", ReplaceOriginal: true, Blocks: []goslack.Block{}})
	for i, m := range msgs {
		got, err := rd.Encode(m)
		if err != nil {
			t.Fatal(err)
		}
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatalf("message %d: invalid JSON %v:\n%s", i, err, got)
		}
		_ = json.Unmarshal(mustJSON(t, m), &w)
		if !reflect.DeepEqual(g, w) {
			t.Fatalf("message %d: Encode wrote\n%s\nencoding/json\n%s", i, got, mustJSON(t, m))
		}
	}
}

// testRouter routes the study commands, without a store.
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
