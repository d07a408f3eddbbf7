package playground

import (
	"flag"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/bottest"
	"github.com/careerbot/careerbot/bot/study"
	"github.com/careerbot/careerbot/knowledge"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/")

// hostile is text that would run script or inject markup if it were not escaped.
const hostile = `<img src=x onerror=alert(1)> <script>alert("x")</script> "quoted" & 'single' </div>`

// goldenReplies are the replies whose HTML is reviewed in testdata.
func goldenReplies(t *testing.T) map[string]bot.Reply {
	t.Helper()
	kb, err := knowledge.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	router := bot.NewRouter(slog.New(slog.DiscardHandler), nil)
	study.Register(router, kb, nil, slog.New(slog.DiscardHandler))
	raft := router.Dispatch(t.Context(), bot.Command{Platform: bot.PlatformPlayground, Workspace: Workspace,
		Channel: Channel, User: "visitor", Name: "explain", Text: "raft"})
	return map[string]bot.Reply{
		"explain-raft": raft,
		"explain-like": bottest.WithShare(bot.Reply{
			Title: "Two-phase commit (2PC)",
			Text:  "An atomic commit protocol: a **coordinator** asks every participant to `prepare`, then to commit.",
			Fields: []bot.Field{
				{Name: "Category", Value: "Transactions"},
				{Name: "Level", Value: "intermediate"},
			},
			Sections: []bot.Section{
				{Heading: "How it works", Body: "1. Prepare: each participant votes.\n2. Commit or abort.\n\n- Votes are durable\n- The coordinator logs the decision"},
				{Heading: "Example", Body: "```go\nif allVoted(yes) {\n\tcommit()\n}\n```"},
				{Heading: "Original paper", Body: "See https://example.com/2pc.pdf, section 3.", URL: "https://example.com/2pc"},
			},
			Links:   []bot.Link{{Text: "Designing Data-Intensive Applications", URL: "https://dataintensive.net/"}},
			Buttons: []bot.Button{{Label: "Related: Consensus", Action: bot.Action{Command: "explain", Args: "consensus"}}},
			Footer:  "Best match for “2pc” · /explain 2pc",
		}, "explain 2pc"),
		"jobs": {
			Title: "Openings: kafka remote:yes",
			Text:  "2 open openings that match `kafka remote:yes`; newest first, 1–2:",
			Sections: []bot.Section{
				{Heading: "Senior Platform Engineer — Acme", URL: "https://boards.example.com/acme/1",
					Body: "Berlin; Remote · remote · senior\n\n€90k–€120k\n\nvia Example Board · 2 days ago · `example:1`\n\nAsks for: Kafka, Kubernetes"},
				{Heading: "Site Reliability Engineer — Beta", URL: "https://boards.example.com/beta/2",
					Body: "remote\n\nvia Example Board · 5 hours ago · `example:2`"},
			},
			Links: []bot.Link{{Text: "Openings via Example Board", URL: "https://boards.example.com/"}},
			Buttons: []bot.Button{
				{Label: "Brush up: Kafka", Action: bot.Action{Command: "explain", Args: "kafka"}},
				{Label: "More (3 left)", Action: bot.Action{Command: "jobs", Args: "search page:2 kafka remote:yes"}},
				{Label: "Upvote", Action: bot.Action{Command: "materials", Args: "upvote 42"}},
			},
		},
		"hostile": {
			Title:  hostile,
			Text:   hostile + "\n\n- " + hostile + "\n\n**" + hostile + "** `" + hostile + "`\n\n```\n" + hostile + "\n```",
			Fields: []bot.Field{{Name: hostile, Value: hostile}},
			Sections: []bot.Section{
				{Heading: hostile, Body: "javascript:alert(1) and https://example.com/?q=<script>", URL: "javascript:alert(1)"},
				{Heading: "data", Body: "x", URL: "data:text/html,<script>alert(1)</script>"},
			},
			Links: []bot.Link{
				{Text: hostile, URL: "javascript:alert(document.cookie)"},
				{Text: "vbscript", URL: "vbscript:msgbox(1)"},
				{Text: "quote", URL: `https://example.com/" onmouseover="alert(1)`},
				{Text: "fine", URL: "https://example.com/a?b=1&c=2"},
			},
			Buttons: []bot.Button{{Label: hostile, Action: bot.Action{Command: "explain", Args: `"><img src=x onerror=alert(1)>`}}},
			Footer:  hostile,
		},
	}
}

// TestRenderGolden renders each golden reply and compares it with the reviewed HTML in
// testdata; go test -update rewrites the files.
func TestRenderGolden(t *testing.T) {
	rd, err := NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	for name, reply := range goldenReplies(t) {
		t.Run(name, func(t *testing.T) {
			got, err := rd.Render(reply)
			if err != nil {
				t.Fatal(err)
			}
			checkSafe(t, string(got))
			path := filepath.Join("testdata", name+".golden.html")
			if *updateGolden {
				if err := os.WriteFile(path, []byte(got+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if string(got)+"\n" != string(want) {
				t.Errorf("Render differs from %s (run go test -update and review the diff):\n%s", path, got)
			}
		})
	}
}

var (
	// Markup that only escaping failures could produce.
	unsafeMarkup = regexp.MustCompile(`(?i)<(script|img|iframe|object|embed|svg|style)\b|\s(on\w+|style|src)\s*=`)
	hrefPattern  = regexp.MustCompile(`href="([^"]*)"`)
	tagPattern   = regexp.MustCompile(`<[^>]*>`)
	attrValue    = regexp.MustCompile(`="[^"]*"`)
)

// checkSafe fails when html holds script, an event handler attribute or a link that is not
// http(s).
func checkSafe(t *testing.T, html string) {
	t.Helper()
	// Escaped text may spell a hostile string ("onerror=" after "&lt;img src=x"), so only
	// markup counts: drop text between tags before looking for attributes.
	for _, tag := range tagPattern.FindAllString(html, -1) {
		// An attribute's value may spell anything once escaped: look at the names only.
		if unsafeMarkup.MatchString(attrValue.ReplaceAllString(tag, `=""`)) {
			t.Errorf("unsafe markup %s", tag)
		}
	}
	for _, m := range hrefPattern.FindAllStringSubmatch(html, -1) {
		if !strings.HasPrefix(m[1], "https://") && !strings.HasPrefix(m[1], "http://") {
			t.Errorf("a link to %q", m[1])
		}
	}
}

// TestInline reads the Markdown subset of one line.
func TestInline(t *testing.T) {
	tests := []struct {
		name, in string
		want     []span
	}{
		{"plain", "plain text", []span{{Text: "plain text"}}},
		{"bold", "a **b** c", []span{{Text: "a "}, {Text: "b", Bold: true}, {Text: " c"}}},
		{"code", "run `go test` now", []span{{Text: "run "}, {Text: "go test", Code: true}, {Text: " now"}}},
		{"lone backtick", "it`s", []span{{Text: "it`s"}}},
		{"lone bold", "2 ** 3", []span{{Text: "2 "}, {Text: "** 3"}}},
		{"stars in code", "`a**b` **c**", []span{{Text: "a**b", Code: true}, {Text: " "}, {Text: "c", Bold: true}}},
		{"url", "see https://example.com/x.", []span{{Text: "see "}, {Text: "https://example.com/x", URL: "https://example.com/x"}, {Text: "."}}},
		{"url in parens", "(https://example.com/a_(b))", []span{{Text: "("}, {Text: "https://example.com/a_(b)", URL: "https://example.com/a_(b)"}, {Text: ")"}}},
		{"no host", "http:// nothing", []span{{Text: "http:// nothing"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := inline(tt.in)
			if len(got) != len(tt.want) {
				t.Fatalf("%q: %+v, want %+v", tt.in, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("%q: span %d is %+v, want %+v", tt.in, i, got[i], tt.want[i])
				}
			}
		})
	}
}

// TestBlocks reads paragraphs, lists and code blocks.
func TestBlocks(t *testing.T) {
	got := blocks("lead\nsecond line\n- one\n- two\n\n```sh\necho hi\n```\n\nlast")
	kinds := make([]string, len(got))
	for i, b := range got {
		kinds[i] = b.Kind
	}
	if strings.Join(kinds, ",") != "p,ul,pre,p" {
		t.Fatalf("kinds %v", kinds)
	}
	if len(got[0].Lines) != 2 || len(got[1].Lines) != 2 || got[2].Code != "echo hi" || got[2].Lang != "sh" {
		t.Errorf("blocks %+v", got)
	}
}
