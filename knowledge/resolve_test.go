package knowledge

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func builtin(t testing.TB) *Base {
	t.Helper()
	kb, err := Builtin()
	if err != nil {
		t.Fatalf("Builtin: %v", err)
	}
	return kb
}

// readTSV reads a tab-separated file of query and expectation, skipping comments.
func readTSV(t *testing.T, path string) [][2]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows [][2]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		q, want, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("%s: no tab in %q", path, line)
		}
		rows = append(rows, [2]string{q, want})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestResolveEvalSet runs the shared evaluation set: every query must resolve to a topic whose
// title matches its pattern.
func TestResolveEvalSet(t *testing.T) {
	kb := builtin(t)
	rows := readTSV(t, "testdata/explain-queries.tsv")
	var covered, right int
	for _, row := range rows {
		query, pattern := row[0], row[1]
		re, err := regexp.Compile("(?i)" + pattern)
		if err != nil {
			t.Fatalf("pattern %q: %v", pattern, err)
		}
		isCovered := false
		for _, tp := range kb.Topics() {
			if re.MatchString(tp.Title) {
				isCovered = true
				break
			}
		}
		res := kb.Resolve(query)
		switch {
		case res.Topic != nil && re.MatchString(res.Topic.Title):
			right++
		case res.Topic != nil:
			t.Errorf("%q resolved to %q (%s), want a title matching /%s/", query, res.Topic.Title, res.Match, pattern)
		case len(res.Suggestions) == 0 && isCovered:
			t.Errorf("%q matched nothing and suggested nothing", query)
		}
		if isCovered {
			covered++
		}
	}
	if covered == 0 {
		t.Fatal("the knowledge base covers none of the evaluation set")
	}
	t.Logf("eval: %d of %d covered queries right (%.1f%%), %d queries in all", right, covered, 100*float64(right)/float64(covered), len(rows))
	if right != len(rows) {
		t.Errorf("%d of %d queries of the shared set resolved right, want every one", right, len(rows))
	}
}

// TestResolveHardQueries covers what the shared set does not: questions, typos, plurals,
// punctuation and case. Each line names the topic id expected.
func TestResolveHardQueries(t *testing.T) {
	kb := builtin(t)
	for _, row := range readTSV(t, "testdata/hard-queries.tsv") {
		query, want := row[0], row[1]
		t.Run(query, func(t *testing.T) {
			res := kb.Resolve(query)
			if want == "-" {
				if res.Topic != nil {
					t.Errorf("resolved to %s (%s), want no topic", res.Topic.ID, res.Match)
				}
				return
			}
			if res.Topic == nil {
				t.Fatalf("no topic; suggestions %v, want %s", ids(res.Suggestions), want)
			}
			if res.Topic.ID != want {
				t.Errorf("resolved to %s (%s), want %s", res.Topic.ID, res.Match, want)
			}
		})
	}
}

func ids(ts []*Topic) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return out
}

func TestResolveMatchKinds(t *testing.T) {
	kb := builtin(t)
	tests := []struct {
		name, query, id string
		kind            MatchKind
	}{
		{"id", "raft", "raft", MatchID},
		{"id upper case", "RAFT", "raft", MatchID},
		{"title", "Consistent hashing", "consistent-hashing", MatchTitle},
		{"title any case", "circuit BREAKER", "circuit-breaker", MatchTitle},
		{"abbreviation", "2pc", "two-phase-commit", MatchAlias},
		{"abbreviation k8s", "k8s", "kubernetes", MatchAlias},
		{"padded", "   cap  ", "cap-theorem", MatchAlias},
		{"hyphens and plural", "the Vector-Clocks", "vector-clocks", MatchNormalized},
		{"punctuation", "sagas!", "saga", MatchAlias},
		{"article", "the CAP theorem", "cap-theorem", MatchNormalized},
		{"question prefix", "what is a saga?", "saga", MatchNormalized},
		{"plural title", "circuit breakers", "circuit-breaker", MatchAlias},
		{"typo", "kubernets", "kubernetes", MatchTypo},
		{"transposition", "consnesus", "consensus", MatchTypo},
		{"typo in two words", "eventual consistancy", "eventual-consistency", MatchTypo},
		{"question", "how does raft elect a leader", "raft", MatchFullText},
		{"question about retries", "why should retries use jitter", "retries", MatchFullText},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := kb.Resolve(tt.query)
			if res.Topic == nil {
				t.Fatalf("Resolve(%q): no topic, suggestions %v", tt.query, ids(res.Suggestions))
			}
			if res.Topic.ID != tt.id || res.Match != tt.kind {
				t.Errorf("Resolve(%q) = %s by %s, want %s by %s", tt.query, res.Topic.ID, res.Match, tt.id, tt.kind)
			}
		})
	}
}

func TestResolveNothing(t *testing.T) {
	kb := builtin(t)
	tests := []struct {
		name, query string
		suggests    bool
	}{
		{"empty", "", false},
		{"blank", " \t\n ", false},
		{"punctuation only", "?!...", false},
		{"unrelated words", "banana smoothie recipe", false},
		{"near miss of a short word", "rafts of wood and paddles", false},
		{"too far to be a typo", "kubertnetsss", true},
		{"short unknown", "xyz", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := kb.Resolve(tt.query)
			if res.Topic != nil {
				t.Fatalf("Resolve(%q) = %s by %s, want nothing", tt.query, res.Topic.ID, res.Match)
			}
			if len(res.Suggestions) > maxSuggestions {
				t.Errorf("%d suggestions, at most %d allowed", len(res.Suggestions), maxSuggestions)
			}
			if tt.suggests && len(res.Suggestions) == 0 {
				t.Errorf("Resolve(%q) suggested nothing", tt.query)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	kb := builtin(t)
	tests := []struct {
		input string
		first string
	}{
		{"raf", "raft"},
		{"kube", "kubernetes"},
		{"consis", "consistency-models"},
		{"circut", "circuit-breaker"},
	}
	for _, tt := range tests {
		got := kb.Suggest(tt.input, 25)
		if len(got) == 0 || got[0].ID != tt.first {
			t.Errorf("Suggest(%q) = %v, want %s first", tt.input, ids(got), tt.first)
		}
		if len(got) > 25 {
			t.Errorf("Suggest(%q) returned %d, limit 25", tt.input, len(got))
		}
	}
	if n := len(kb.Suggest("", 25)); n != 25 {
		t.Errorf("Suggest(\"\") returned %d topics, want 25", n)
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"", "", 3, 0},
		{"raft", "raft", 3, 0},
		{"raft", "rafts", 3, 1},
		{"consensus", "consnesus", 3, 1},
		{"kitten", "sitting", 3, 3},
		{"kitten", "sitting", 1, 2},
		{"abc", "", 5, 3},
	}
	var buf [3][]int
	for _, tt := range tests {
		if got := editDistance([]rune(tt.a), []rune(tt.b), tt.limit, &buf); got != tt.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", tt.a, tt.b, tt.limit, got, tt.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := map[string]string{
		"Vector-Clocks":          "vector clock",
		"the CAP theorem":        "cap theorem",
		"Brewer's theorem":       "brewer theorem",
		"pub/sub":                "pub sub",
		"CRDTs":                  "crdt",
		"policies":               "policy",
		"Scale out vs. scale up": "scale out vs scale up",
		"scale out versus up":    "scale out vs up",
		"":                       "",
	}
	for in, want := range tests {
		if got := normalize(in); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzResolve(f *testing.F) {
	kb := builtin(f)
	for _, s := range []string{"raft", "how does raft elect a leader", "k8s", "", "\x00\xff", strings.Repeat("a ", 5000), "what is ?", "ŞİŞ İstanbul"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		res := kb.Resolve(q)
		if res.Topic != nil && len(res.Suggestions) > 0 {
			t.Errorf("Resolve(%q) returned a topic and suggestions", q)
		}
		if len(res.Suggestions) > maxSuggestions {
			t.Errorf("Resolve(%q) returned %d suggestions", q, len(res.Suggestions))
		}
		_ = kb.Suggest(q, 25)
		_ = stripQuestion(q)
	})
}

// TestResolveReadsABoundedPrefix shows why resolution time is bounded whatever the input size:
// a query is cut at MaxQuery bytes, so a megabyte of trailing text changes nothing.
func TestResolveReadsABoundedPrefix(t *testing.T) {
	kb := builtin(t)
	head := "how does raft elect a leader"
	head += strings.Repeat(" ", MaxQuery-len(head))
	huge := head + strings.Repeat("zebra ", 1<<20/6)
	a, b := kb.Resolve(head), kb.Resolve(huge)
	if a.Topic == nil || a.Topic != b.Topic || a.Match != b.Match {
		t.Errorf("Resolve of a 1 MiB query differs from its first %d bytes: %v vs %v", MaxQuery, b.Topic, a.Topic)
	}
	if got := truncate("ééé", 3); got != "é" {
		t.Errorf("truncate split a rune: %q", got)
	}
}

// TestResolveOwnEval runs every file in testdata/eval: for each topic a typo, an abbreviation
// and a question, and the precision lines that must get no topic ("-"). At least 95% of the
// lines that name a topic must resolve to it; every "-" line must resolve to nothing.
func TestResolveOwnEval(t *testing.T) {
	kb := builtin(t)
	files, err := filepath.Glob("testdata/eval/*.tsv")
	if err != nil || len(files) == 0 {
		t.Fatalf("no eval files: %v", err)
	}
	var lines, right, none int
	for _, file := range files {
		for _, row := range readTSV(t, file) {
			query, want := row[0], row[1]
			res := kb.Resolve(query)
			if want == "-" {
				none++
				if res.Topic != nil {
					t.Errorf("%s: %q resolved to %s (%s), want no topic", file, query, res.Topic.ID, res.Match)
				}
				continue
			}
			if _, ok := kb.Topic(want); !ok {
				t.Errorf("%s: %q expects %s, which is not a topic", file, query, want)
				continue
			}
			lines++
			switch {
			case res.Topic == nil:
				t.Logf("%s: %q: no topic, suggestions %v, want %s", file, query, ids(res.Suggestions), want)
			case res.Topic.ID != want:
				t.Logf("%s: %q resolved to %s (%s), want %s", file, query, res.Topic.ID, res.Match, want)
			default:
				right++
			}
		}
	}
	ratio := float64(right) / float64(max(lines, 1))
	t.Logf("own eval: %d of %d lines right (%.1f%%); %d must-not-resolve lines", right, lines, 100*ratio, none)
	if ratio < 0.95 {
		t.Errorf("only %.1f%% of own eval lines resolved right, want at least 95%%", 100*ratio)
	}
}
