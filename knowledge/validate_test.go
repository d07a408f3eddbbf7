package knowledge

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// topicFile builds a valid topic file; edit applies one change to its text.
func topicFile(id, related string, edit func(string) string) *fstest.MapFile {
	text := `---
id: ` + id + `
title: Topic ` + id + `
aliases: [` + id + ` alias]
category: consensus
level: intermediate
summary: >-
  A short summary of ` + id + `: the idea, the mechanism and the cost it brings.
related: [` + related + `]
roles: [sre]
references:
  - title: "A real paper"
    authors: "A. Author"
    year: 2014
    url: https://example.org/paper.pdf
    kind: paper
---

## How it works

Words.

## Trade-offs

Words.

## Example

` + "```text\n# a comment in a code block is not a heading\n```" + `

## Pitfalls

- Words.
`
	if edit != nil {
		text = edit(text)
	}
	return &fstest.MapFile{Data: []byte(text)}
}

// validFS is three topics that link to each other.
func validFS() fstest.MapFS {
	return fstest.MapFS{
		"one.md":   topicFile("one", "two, three", nil),
		"two.md":   topicFile("two", "one, three", nil),
		"three.md": topicFile("three", "one, two", nil),
	}
}

func TestLintValid(t *testing.T) {
	problems, err := Lint(validFS())
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Fatalf("valid topics reported problems: %v", problems)
	}
	kb, err := Load(validFS())
	if err != nil {
		t.Fatal(err)
	}
	if kb.Len() != 3 {
		t.Errorf("Len = %d, want 3", kb.Len())
	}
}

func TestLintFindsProblems(t *testing.T) {
	long := strings.Repeat("word ", 70)
	tests := []struct {
		name string
		edit func(string) string
		want string
	}{
		{"broken related link", func(s string) string {
			return strings.Replace(s, "related: [two, three]", "related: [two, nowhere]", 1)
		},
			`related topic "nowhere" does not exist`},
		{"too few related", func(s string) string { return strings.Replace(s, "related: [two, three]", "related: [two]", 1) },
			"at least 2 are required"},
		{"missing reference", func(s string) string {
			i, j := strings.Index(s, "references:"), strings.Index(s, "---\n\n##")
			return s[:i] + s[j:]
		}, "references is empty"},
		{"reference without year", func(s string) string { return strings.Replace(s, "    year: 2014\n", "", 1) }, "no plausible year"},
		{"reference with a bad url", func(s string) string {
			return strings.Replace(s, "https://example.org/paper.pdf", "javascript:alert(1)", 1)
		}, "not an http(s) URL"},
		{"over-long summary", func(s string) string {
			return strings.Replace(s, "A short summary of one: the idea, the mechanism and the cost it brings.", long, 1)
		}, "summary is 349 characters, the limit is 300"},
		{"missing section", func(s string) string { return strings.Replace(s, "## Example", "## Examples", 1) }, "sections must be exactly"},
		{"over-long section", func(s string) string { return strings.Replace(s, "- Words.", "- "+strings.Repeat("w", 1001), 1) }, `section "Pitfalls" is 1003 characters`},
		{"text before the first section", func(s string) string { return strings.Replace(s, "---\n\n## How", "---\nIntro.\n\n## How", 1) }, "text before the first section heading"},
		{"extra heading", func(s string) string { return strings.Replace(s, "- Words.", "### More\n- Words.", 1) }, "contains a heading"},
		{"unknown category", func(s string) string { return strings.Replace(s, "category: consensus", "category: cooking", 1) }, `category "cooking" is not one of`},
		{"unknown role", func(s string) string { return strings.Replace(s, "roles: [sre]", "roles: [chef]", 1) }, `role "chef" is not one of`},
		{"alias of another topic", func(s string) string { return strings.Replace(s, "aliases: [one alias]", "aliases: [two alias]", 1) }, "is already a name of one.md"},
		{"id not matching file", func(s string) string { return strings.Replace(s, "id: one", "id: uno", 1) }, "file name must be uno.md"},
		{"unknown field", func(s string) string {
			return strings.Replace(s, "level: intermediate", "level: intermediate\nlevle: x", 1)
		}, "field levle not found"},
		{"no front matter", func(s string) string { return strings.TrimPrefix(s, "---\n") }, "no front matter"},
		{"unclosed front matter", func(s string) string { return strings.Replace(s, "---\n\n## How", "\n## How", 1) }, "not closed"},
		{"broken yaml", func(s string) string { return strings.Replace(s, "aliases: [one alias]", "aliases: [one alias", 1) }, "front matter:"},
		{"alias that is another topic's id", func(s string) string { return strings.Replace(s, "aliases: [one alias]", "aliases: [two]", 1) }, `alias "two" is already a name of two.md`},
		{"alias that is another topic's title", func(s string) string {
			return strings.Replace(s, "aliases: [one alias]", "aliases: [topic three]", 1)
		}, "is already a name of three.md"},
		{"summary that repeats the title", func(s string) string {
			return strings.Replace(s, "A short summary of one: the idea, the mechanism and the cost it brings.", "Topic one: the one topic.", 1)
		}, "summary merely repeats the title"},
		{"quiz answer not an option", withQuiz(`[a, b, c]`, "d"), `answer "d" must be exactly one of the options (it matches 0)`},
		{"quiz with two options", withQuiz(`[a, b]`, "a"), "has 2 options, it needs 3 or 4"},
		{"quiz with five options", withQuiz(`[a, b, c, d, e]`, "a"), "has 5 options"},
		{"quiz with a repeated option", withQuiz(`[a, b, A]`, "b"), `option "A" appears twice`},
		{"quiz answer matching twice", withQuiz(`[a, a, b]`, "a"), "it matches 2"},
		{"quiz without explanation", func(s string) string {
			return strings.Replace(withQuiz(`[a, b, c]`, "a")(s), "    explanation: Because.\n", "", 1)
		}, "explanation is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fsys := validFS()
			fsys["one.md"] = topicFile("one", "two, three", tt.edit)
			problems, err := Lint(fsys)
			if err != nil {
				t.Fatal(err)
			}
			var found bool
			for _, p := range problems {
				if strings.Contains(p.Reason, tt.want) {
					found = true
				}
			}
			if !found {
				t.Errorf("problems %v do not include one.md: %q", problems, tt.want)
			}
			_, err = Load(fsys)
			var invalid *InvalidError
			if !errors.As(err, &invalid) {
				t.Errorf("Load = %v, want an *InvalidError", err)
			}
		})
	}
}

// withQuiz adds a one-question quiz with these options and answer to a topic file.
func withQuiz(options, answer string) func(string) string {
	return func(s string) string {
		quiz := "quiz:\n  - question: Which?\n    options: " + options + "\n    answer: " + answer + "\n    explanation: Because.\n---\n\n## How"
		return strings.Replace(s, "---\n\n## How", quiz, 1)
	}
}

func TestLintWarnsOnOneWayLinks(t *testing.T) {
	fsys := validFS()
	fsys["two.md"] = topicFile("two", "three, four", nil)
	fsys["four.md"] = topicFile("four", "two, three", nil)
	problems, err := Lint(fsys)
	if err != nil {
		t.Fatal(err)
	}
	var warned bool
	for _, p := range problems {
		if !p.Warning {
			t.Errorf("unexpected error: %v", p)
		}
		if p.File == "one.md" && strings.Contains(p.Reason, "one-way: two.md does not list one") {
			warned = true
		}
	}
	if !warned {
		t.Errorf("no warning for one.md's one-way link to two: %v", problems)
	}
	if _, err := Load(fsys); err != nil {
		t.Errorf("warnings kept the base from loading: %v", err)
	}
}

func TestLintQuiz(t *testing.T) {
	fsys := validFS()
	fsys["one.md"] = topicFile("one", "two, three", withQuiz(`[a, "b: yes", c]`, `"b: yes"`))
	kb, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	tp, _ := kb.Topic("one")
	if len(tp.Quiz) != 1 || tp.Quiz[0].Correct() != 1 {
		t.Errorf("quiz = %+v, want one question whose second option is right", tp.Quiz)
	}
}

func TestLintEmptyDir(t *testing.T) {
	if _, err := Lint(fstest.MapFS{}); err == nil {
		t.Error("Lint of an empty directory succeeded")
	}
}

// TestBuiltinTopics checks the shipped knowledge base beyond the linter: the concepts careerbot
// promises to cover exist, and every category has topics.
func TestBuiltinTopics(t *testing.T) {
	kb := builtin(t)
	if kb.Len() < 150 {
		t.Errorf("%d topics, want at least 150", kb.Len())
	}
	for _, id := range []string{
		"distributed-architecture", "scaling", "cloud-platforms", "containers", "kubernetes",
		"microservices", "operational-complexity", "consistency-models", "distributed-security",
		"mtls", "zero-trust", "cap-theorem", "pacelc",
		// What the full knowledge base promises beyond the first topics.
		"acid", "serializability", "snapshot-isolation", "write-skew", "mvcc", "read-committed",
		"physical-clocks", "ntp", "hybrid-logical-clocks", "truetime", "flp-impossibility",
		"two-generals", "partial-synchrony", "zab", "byzantine-fault-tolerance", "pbft", "leases",
		"fencing-tokens", "failure-detectors", "phi-accrual-failure-detector", "gossip-protocols",
		"swim", "group-membership", "zookeeper", "etcd", "leader-follower-replication",
		"multi-leader-replication", "leaderless-replication", "sloppy-quorum", "hinted-handoff",
		"read-repair", "anti-entropy", "merkle-trees", "chain-replication", "range-partitioning",
		"hash-partitioning", "rebalancing", "hot-spots", "secondary-indexes", "three-phase-commit",
		"transactional-outbox", "distributed-transactions", "write-ahead-log", "lsm-trees",
		"b-trees", "bloom-filters", "delivery-guarantees", "dead-letter-queues",
		"stream-processing", "batch-processing", "mapreduce", "watermarks", "event-sourcing", "cqrs",
		"change-data-capture", "schema-evolution", "data-encoding", "timeouts", "bulkheads",
		"load-shedding", "thundering-herd", "cache-stampede", "metastable-failures",
		"graceful-degradation", "chaos-engineering", "jepsen", "deterministic-simulation",
		"tla-plus", "read-replicas", "sticky-sessions", "autoscaling", "caching-patterns",
		"cache-invalidation", "docker", "kubernetes-objects", "kubernetes-controllers",
		"service-discovery", "api-gateway", "dns", "rpc", "grpc", "rest", "infrastructure-as-code",
		"regions-and-zones", "multi-region", "disaster-recovery", "blue-green-deployment",
		"canary-deployment", "feature-flags", "logging", "metrics", "alerting", "slo", "monolith",
		"modular-monolith", "event-driven-architecture", "serverless", "cell-based-architecture",
	} {
		if _, ok := kb.Topic(id); !ok {
			t.Errorf("topic %s is missing", id)
		}
	}
	for _, c := range Categories() {
		if len(kb.InCategory(c.ID)) == 0 {
			t.Errorf("category %s has no topics", c.ID)
		}
	}
	for _, tp := range kb.Topics() {
		for _, s := range tp.Sections {
			if strings.Contains(s.Body, "](") {
				t.Errorf("%s: section %q has a Markdown link; references carry the links", tp.ID, s.Heading)
			}
		}
	}
}

func FuzzParseTopic(f *testing.F) {
	f.Add([]byte(topicFile("one", "two, three", nil).Data))
	f.Add([]byte("---\n---\n"))
	f.Add([]byte("---\nid: [\n---\n## How it works\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tp, err := ParseTopic("fuzz.md", data)
		if err != nil {
			return
		}
		_ = Validate([]Topic{tp})
	})
}

// TestCoverageTable keeps the coverage table of knowledge/README.md true: one row per category,
// with the number of topics the category has.
func TestCoverageTable(t *testing.T) {
	kb := builtin(t)
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]int{}
	for _, line := range strings.Split(string(data), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 4 {
			continue
		}
		name, count := strings.TrimSpace(cells[1]), strings.TrimSpace(cells[2])
		open, close := strings.Index(name, "(`"), strings.Index(name, "`)")
		n, err := strconv.Atoi(count)
		if open < 0 || close < open || err != nil {
			continue
		}
		rows[name[open+2:close]] = n
	}
	total := 0
	for _, c := range Categories() {
		got, ok := rows[c.ID]
		if !ok {
			t.Errorf("the coverage table has no row for %s", c.ID)
			continue
		}
		if want := len(kb.InCategory(c.ID)); got != want {
			t.Errorf("the coverage table says %s has %d topics; it has %d", c.ID, got, want)
		}
		total += got
	}
	if total != kb.Len() || !strings.Contains(string(data), fmt.Sprintf("%d topics in `topics/`", kb.Len())) {
		t.Errorf("the table adds up to %d and the text should say %d topics", total, kb.Len())
	}
}
