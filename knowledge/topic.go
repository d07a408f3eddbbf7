// Package knowledge holds careerbot's knowledge base: the distributed-architecture topics it
// explains, how they are loaded and checked, and how what a user types is resolved to one of them.
//
// Topics are Markdown files with YAML front matter in topics/, embedded in the binary so the bot
// answers /explain with no network and no store. Load parses and validates every file at start-up;
// a topic base that does not validate stops the program rather than answering with half a topic.
//
// Resolution (Base.Resolve) tries, in order: the id, the title, an alias, the normalised form of
// all three (case, punctuation, hyphens, plurals), a typo within an edit distance scaled to the
// length of the input, and finally a BM25 full-text ranking over titles, aliases, summaries and
// bodies for questions such as "how does raft elect a leader".
package knowledge

import (
	"fmt"
	"strings"
)

// Section headings every topic has, in this order.
const (
	SectionHowItWorks = "How it works"
	SectionTradeoffs  = "Trade-offs"
	SectionExample    = "Example"
	SectionPitfalls   = "Pitfalls"
)

// sectionOrder is the order in which a topic's sections must appear.
var sectionOrder = [...]string{SectionHowItWorks, SectionTradeoffs, SectionExample, SectionPitfalls}

// Categories in the order the topic index shows them, with their display names.
var categories = []Category{
	{ID: "foundations", Name: "Foundations and trade-offs"},
	{ID: "consistency", Name: "Consistency and time"},
	{ID: "consensus", Name: "Consensus and coordination"},
	{ID: "replication", Name: "Replication and partitioning"},
	{ID: "transactions", Name: "Transactions"},
	{ID: "storage", Name: "Storage engines and data structures"},
	{ID: "messaging", Name: "Messaging and streaming"},
	{ID: "resilience", Name: "Resilience patterns"},
	{ID: "testing", Name: "Testing distributed systems"},
	{ID: "scalability", Name: "Scalability and caching"},
	{ID: "cloud", Name: "Containers, Kubernetes and cloud"},
	{ID: "observability", Name: "Observability"},
	{ID: "architecture", Name: "Architecture styles"},
	{ID: "security", Name: "Security"},
}

// Roles a topic can matter for, with their display names.
var roles = []Role{
	{ID: "cloud-architect", Name: "Cloud architect"},
	{ID: "systems-engineer", Name: "Systems engineer"},
	{ID: "devops-engineer", Name: "DevOps engineer"},
	{ID: "sre", Name: "Site reliability engineer (SRE)"},
	{ID: "platform-engineer", Name: "Platform engineer"},
	{ID: "backend-engineer", Name: "Backend engineer"},
}

// Levels a topic can be written for.
var levels = []string{"beginner", "intermediate", "advanced"}

// Limits a topic file must respect. Sections stay under Discord's 1,024-character embed field
// value so every renderer can show one section as one unit.
const (
	MaxSummary = 300
	MaxSection = 1000
	MaxTitle   = 80
	// MaxID keeps every button that names a topic, the longest being a quiz answer
	// ("answer <id>:<n> <letter> <signature>"), inside Discord's 100-character custom_id.
	MaxID = 60

	MaxQuestion    = 300
	MaxOption      = 160
	MaxExplanation = 600
	MinOptions     = 3
	MaxOptions     = 4
)

// Category groups topics in the index.
type Category struct {
	ID   string
	Name string
}

// Role is a job role a topic matters for.
type Role struct {
	ID   string
	Name string
}

// Reference is a source a topic rests on: a paper, a book chapter, an RFC or official docs.
type Reference struct {
	Title   string `yaml:"title"`
	Authors string `yaml:"authors"`
	Year    int    `yaml:"year"`
	URL     string `yaml:"url"`
	Kind    string `yaml:"kind"`
}

// String formats the reference as a citation: authors, title, year.
func (r Reference) String() string {
	var b strings.Builder
	if r.Authors != "" {
		b.WriteString(r.Authors)
		b.WriteString(", ")
	}
	fmt.Fprintf(&b, "%q (%d)", r.Title, r.Year)
	return b.String()
}

// Question is one multiple-choice quiz question on a topic. Answer repeats the text of the one
// correct option exactly, so a question reads on its own in the file and lint can check that
// exactly one option is right.
type Question struct {
	Question    string   `yaml:"question"`
	Options     []string `yaml:"options"`
	Answer      string   `yaml:"answer"`
	Explanation string   `yaml:"explanation"`
}

// Correct returns the index of the correct option, or -1 when no option is the answer.
func (q Question) Correct() int {
	for i, o := range q.Options {
		if o == q.Answer {
			return i
		}
	}
	return -1
}

// Section is one titled part of a topic's body, in the topic's Markdown subset.
type Section struct {
	Heading string
	Body    string
}

// Topic is one explained concept.
type Topic struct {
	ID         string      `yaml:"id"`
	Title      string      `yaml:"title"`
	Aliases    []string    `yaml:"aliases"`
	Category   string      `yaml:"category"`
	Level      string      `yaml:"level"`
	Summary    string      `yaml:"summary"`
	Related    []string    `yaml:"related"`
	Roles      []string    `yaml:"roles"`
	References []Reference `yaml:"references"`
	// Quiz is the topic's multiple-choice questions, in the order they were written.
	Quiz []Question `yaml:"quiz"`

	// Sections is the body, split at its level-two headings.
	Sections []Section `yaml:"-"`
	// File is the name the topic was loaded from, for error messages.
	File string `yaml:"-"`
}

// Section returns the body of the section with the given heading, or "".
func (t *Topic) Section(heading string) string {
	for _, s := range t.Sections {
		if s.Heading == heading {
			return s.Body
		}
	}
	return ""
}

// Categories returns the known categories in display order.
func Categories() []Category { return append([]Category(nil), categories...) }

// Roles returns the known roles.
func Roles() []Role { return append([]Role(nil), roles...) }

// CategoryName returns the display name of a category id, or the id itself when unknown.
func CategoryName(id string) string {
	for _, c := range categories {
		if c.ID == id {
			return c.Name
		}
	}
	return id
}
