package study

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/knowledge"
)

// recordingMetrics remembers every observation.
type recordingMetrics struct {
	mu   sync.Mutex
	seen []string
}

func (m *recordingMetrics) CommandHandled(p bot.Platform, command, outcome string, _ time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.seen = append(m.seen, string(p)+"/"+command+"/"+outcome)
}

func newTestRouter(t testing.TB) (*bot.Router, *recordingMetrics, *bytes.Buffer) {
	t.Helper()
	kb, err := knowledge.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	m := &recordingMetrics{}
	r := bot.NewRouter(slog.New(slog.NewJSONHandler(&logs, nil)), m)
	Register(r, kb, nil, slog.New(slog.DiscardHandler))
	return r, m, &logs
}

func dispatch(r *bot.Router, name, text string) bot.Reply {
	return r.Dispatch(context.Background(), bot.Command{Platform: bot.PlatformCLI, Workspace: "T1", Name: name, Text: text}).Full()
}

func TestExplain(t *testing.T) {
	r, _, _ := newTestRouter(t)
	tests := []struct {
		name, text string
		title      string
		notFound   bool
		footer     string
	}{
		{"by id", "raft", "Raft consensus algorithm", false, "/explain raft"},
		{"by alias", "2pc", "Two-phase commit (2PC)", false, "/explain two-phase-commit"},
		{"question", "how does raft elect a leader", "Raft consensus algorithm", false, "Best match for “how does raft elect a leader”"},
		{"typo", "kuberentes", "Kubernetes", false, "Best match for “kuberentes”"},
		{"unknown", "banana bread", "No topic on ‘banana bread’ yet", true, ""},
		{"empty", "", "What should careerbot explain?", false, ""},
		{"control characters only", "\x00\x01\u202e", "What should careerbot explain?", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := dispatch(r, "explain", tt.text)
			if got.Title != tt.title || got.NotFound != tt.notFound {
				t.Errorf("title %q notFound %v, want %q %v", got.Title, got.NotFound, tt.title, tt.notFound)
			}
			if !strings.HasPrefix(got.Footer, tt.footer) {
				t.Errorf("footer %q, want prefix %q", got.Footer, tt.footer)
			}
			if got.Visibility != bot.Ephemeral {
				t.Error("explain replies must be ephemeral by default")
			}
		})
	}
}

func TestExplainTopicShape(t *testing.T) {
	r, _, _ := newTestRouter(t)
	got := dispatch(r, "explain", "consistency")
	if got.Title != "Consistency models" || got.Text == "" {
		t.Fatalf("got %q / %q", got.Title, got.Text)
	}
	var headings []string
	for _, s := range got.Sections {
		headings = append(headings, s.Heading)
	}
	want := "How it works|Trade-offs|Example|Pitfalls|References"
	if strings.Join(headings, "|") != want {
		t.Errorf("sections %v, want %s", headings, want)
	}
	if len(got.Buttons) < 2 {
		t.Errorf("%d related-topic buttons, want at least 2", len(got.Buttons))
	}
	for _, b := range got.Buttons {
		if b.Action.Command != "explain" || b.Action.Args == "" {
			t.Errorf("button %+v does not explain a topic", b)
		}
		// Every related button leads to a topic that resolves by id.
		if next := dispatch(r, b.Action.Command, b.Action.Args); next.NotFound {
			t.Errorf("button %q leads nowhere", b.Label)
		}
	}
}

func TestExplainSuggestions(t *testing.T) {
	r, _, _ := newTestRouter(t)
	got := dispatch(r, "explain", "kubertnetsss")
	if !got.NotFound {
		t.Fatalf("resolved to %q", got.Title)
	}
	if len(got.Buttons) == 0 || len(got.Buttons) > 3 {
		t.Fatalf("%d suggestion buttons, want 1 to 3", len(got.Buttons))
	}
	if got.Buttons[0].Action.Args != "kubernetes" {
		t.Errorf("first suggestion %q, want kubernetes", got.Buttons[0].Action.Args)
	}
	if !strings.Contains(got.Text, "Did you mean **Kubernetes**") {
		t.Errorf("text %q does not offer Kubernetes", got.Text)
	}
}

func TestTopics(t *testing.T) {
	r, _, _ := newTestRouter(t)
	all := dispatch(r, "topics", "")
	if !strings.HasPrefix(all.Title, "Topics (") || len(all.Sections) != len(knowledge.Categories()) {
		t.Errorf("index: title %q with %d sections", all.Title, len(all.Sections))
	}
	one := dispatch(r, "topics", "Consensus")
	if one.Title != "Consensus and coordination" || len(one.Buttons) == 0 {
		t.Errorf("category: title %q with %d buttons", one.Title, len(one.Buttons))
	}
	if sec := dispatch(r, "topics", "sec"); sec.Title != "Security" {
		t.Errorf("the start of a category: %q", sec.Title)
	}
	if cons := dispatch(r, "topics", "cons"); !cons.NotFound || !strings.Contains(cons.Text, "`consistency` or `consensus`") {
		t.Errorf("an ambiguous start: %q %q", cons.Title, cons.Text)
	}
	bad := dispatch(r, "topics", "cooking")
	if !bad.NotFound || !strings.Contains(bad.Text, "`consensus`") {
		t.Errorf("unknown category: %+v", bad)
	}
}

func TestHelpListsRoutedCommands(t *testing.T) {
	r, _, _ := newTestRouter(t)
	for _, cmd := range []struct{ name, text string }{{"help", ""}, {"careerbot", ""}, {"careerbot", "help"}, {"careerbot", "nonsense"}} {
		got := dispatch(r, cmd.name, cmd.text)
		body := got.Sections[0].Body
		for _, want := range []string{"/explain <topic or question>", "/topics [category]", "/help"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s %q: help lacks %q", cmd.name, cmd.text, want)
			}
		}
		if strings.Contains(body, "/careerbot") {
			t.Errorf("help lists the hidden umbrella command")
		}
	}
}

func TestCareerbotUmbrellaRunsCommands(t *testing.T) {
	r, _, _ := newTestRouter(t)
	got := dispatch(r, "careerbot", "explain raft")
	if got.Title != "Raft consensus algorithm" {
		t.Errorf("/careerbot explain raft answered %q", got.Title)
	}
}

func TestPlainText(t *testing.T) {
	r, _, _ := newTestRouter(t)
	out := bot.PlainText(dispatch(r, "explain", "consistency"), "careerbot ")
	first, _, _ := strings.Cut(out, "\n")
	if first != "Consistency models" {
		t.Errorf("first line %q", first)
	}
	for _, want := range []string{"HOW IT WORKS", "TRADE-OFFS", "EXAMPLE", "PITFALLS", "REFERENCES", "careerbot explain "} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(out, "**") {
		t.Error("output keeps Markdown emphasis")
	}
	for _, line := range strings.Split(out, "\n") {
		if n := len([]rune(line)); n > 88 && !strings.HasPrefix(line, "    ") && !strings.Contains(line, "://") {
			t.Errorf("line of %d characters: %q", n, line)
		}
	}
}

func FuzzDispatch(f *testing.F) {
	r, _, _ := newTestRouter(f)
	for _, s := range []string{"/explain raft", "explain how does raft elect a leader", "topics cons", "topics sec", "careerbot explain 2pc", "/", "\x00", "help me"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		name, text, err := bot.Parse(line)
		if err != nil {
			return
		}
		reply := dispatch(r, name, text)
		if reply.Title == "" {
			t.Errorf("%q: reply without a title", line)
		}
		if reply.Title == "Something went wrong" {
			t.Errorf("%q: a handler failed", line)
		}
		_ = bot.PlainText(reply, "careerbot ")
	})
}

func BenchmarkExplain(b *testing.B) {
	r, _, _ := newTestRouter(b)
	for _, bc := range []struct{ name, query string }{
		{"alias", "k8s"},
		{"fulltext", "how does raft elect a leader"},
	} {
		b.Run(bc.name+"/reply", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				dispatch(r, "explain", bc.query)
			}
		})
		b.Run(bc.name+"/reply+plaintext", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = bot.PlainText(dispatch(r, "explain", bc.query), "careerbot ")
			}
		})
	}
}

// TestExplainIsHonest shows a term the knowledge base lacks getting "no topic yet" with guesses,
// not the topic that happens to share a word with it.
func TestExplainIsHonest(t *testing.T) {
	r, _, _ := newTestRouter(t)
	got := dispatch(r, "explain", "operating system scheduler")
	if !got.NotFound || got.Title != "No topic on ‘operating system scheduler’ yet" {
		t.Fatalf("title %q notFound %v, want the honest no-topic answer", got.Title, got.NotFound)
	}
	if !strings.Contains(got.Text, "as a guess") || len(got.Buttons) == 0 {
		t.Errorf("text %q with %d buttons, want guesses offered as guesses", got.Text, len(got.Buttons))
	}
}
