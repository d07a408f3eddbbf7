package study

import (
	"context"
	"fmt"
	"strings"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/knowledge"
)

// starterTopics are offered to someone who types /explain with nothing after it: the concepts
// the rest of the knowledge base builds on.
var starterTopics = []string{
	"distributed-architecture", "scaling", "cap-theorem", "consistency-models",
	"consensus", "microservices", "kubernetes", "observability",
}

// explainHandler answers /explain. Each topic's explanation is built once, as a stock reply
// (Reply.Stock) that renderers prepare ahead of time; a request adds only the workspace's shared
// links and, when the topic was found by a typo or a full-text search, a footer saying what was
// understood.
type explainHandler struct {
	kb        *knowledge.Base
	stock     map[string]*bot.Reply // by topic id
	materials *materialHandlers     // nil: no store, no shared links under explanations
}

func newExplainHandler(kb *knowledge.Base) *explainHandler {
	h := &explainHandler{kb: kb, stock: make(map[string]*bot.Reply, kb.Len())}
	for _, t := range kb.Topics() {
		r := topicReply(kb, t)
		h.stock[t.ID] = &r
	}
	return h
}

// Stock lists every topic's explanation.
func (h *explainHandler) Stock() []*bot.Reply {
	out := make([]*bot.Reply, 0, len(h.stock))
	for _, t := range h.kb.Topics() {
		out = append(out, h.stock[t.ID])
	}
	return out
}

func (h *explainHandler) Handle(ctx context.Context, cmd bot.Command) (bot.Reply, error) {
	query := cmd.Option("topic")
	if query == "" {
		return h.overview(), nil
	}
	res := h.kb.Resolve(query)
	if res.Topic == nil {
		return noTopic(query, res), nil
	}
	r := bot.Reply{Stock: h.stock[res.Topic.ID]}
	switch res.Match {
	case knowledge.MatchTypo, knowledge.MatchFullText:
		r.Footer = fmt.Sprintf("Best match for %s · /explain %s", bot.Quote(query, 60), res.Topic.ID)
	}
	if h.materials != nil {
		if s, ok := h.materials.forTopic(ctx, cmd, res.Topic.ID); ok {
			r.Sections = []bot.Section{s}
		}
	}
	return r, nil
}

// topicReply is a topic's full explanation, the same for every request.
func topicReply(kb *knowledge.Base, t *knowledge.Topic) bot.Reply {
	r := bot.Reply{
		Title: t.Title,
		Text:  t.Summary,
		Fields: []bot.Field{
			{Name: "Category", Value: knowledge.CategoryName(t.Category)},
			{Name: "Level", Value: t.Level},
			{Name: "Matters for", Value: roleNames(t.Roles)},
		},
	}
	for _, s := range t.Sections {
		r.Sections = append(r.Sections, bot.Section{Heading: s.Heading, Body: s.Body})
	}
	r.Sections = append(r.Sections, bot.Section{Heading: "References", Body: references(t.References)})
	for _, ref := range t.References {
		if ref.URL != "" {
			r.Links = append(r.Links, bot.Link{Text: ref.Title, URL: ref.URL})
		}
	}
	for _, rel := range kb.Related(t) {
		r.Buttons = append(r.Buttons, bot.Button{Label: rel.Title, Action: bot.Action{Command: "explain", Args: rel.ID}})
	}
	r.Footer = "/explain " + t.ID
	return r
}

func references(refs []knowledge.Reference) string {
	lines := make([]string, len(refs))
	for i, ref := range refs {
		lines[i] = "- " + ref.String()
	}
	return strings.Join(lines, "\n")
}

func roleNames(ids []string) string {
	names := make([]string, 0, len(ids))
	for _, id := range ids {
		for _, r := range knowledge.Roles() {
			if r.ID == id {
				names = append(names, r.Name)
			}
		}
	}
	return strings.Join(names, ", ")
}

// noTopic answers a query no topic is about, honestly: it says so, and offers the closest topics
// as what they are, either a near spelling ("did you mean") or a guess from shared words.
func noTopic(query string, res knowledge.Resolution) bot.Reply {
	r := bot.Reply{
		Title:    "No topic on " + bot.QuoteSingle(query, 60) + " yet",
		NotFound: true,
	}
	if len(res.Suggestions) == 0 {
		r.Text = "Nothing in the knowledge base is close to that. `/topics` lists every topic by category."
		return r
	}
	titles := make([]string, len(res.Suggestions))
	for i, t := range res.Suggestions {
		titles[i] = fmt.Sprintf("**%s** (`/explain %s`)", t.Title, t.ID)
		r.Buttons = append(r.Buttons, bot.Button{Label: t.Title, Action: bot.Action{Command: "explain", Args: t.ID}})
	}
	if res.Guess {
		r.Text = "The closest topics, as a guess: " + bot.JoinOr(titles) + ". `/topics` lists every topic by category."
	} else {
		r.Text = "Did you mean " + bot.JoinOr(titles) + "? `/topics` lists every topic by category."
	}
	return r
}

// resolveTopic resolves what a user typed as the topic of command: the topic, or the honest
// no-topic reply whose suggestions run command again on a suggested topic.
func resolveTopic(kb *knowledge.Base, query, command string) (*knowledge.Topic, *bot.Reply) {
	res := kb.Resolve(query)
	if res.Topic != nil {
		return res.Topic, nil
	}
	r := noTopic(query, res)
	for i := range r.Buttons {
		r.Buttons[i].Action.Command = command
	}
	return nil, &r
}

// overview answers /explain with no topic: how to ask, and where to start.
func (h *explainHandler) overview() bot.Reply {
	r := bot.Reply{
		Title: "What should careerbot explain?",
		Text: "Name a topic or ask a question: `/explain raft`, `/explain 2pc`, " +
			"`/explain how does raft elect a leader`. `/topics` lists all " + fmt.Sprint(h.kb.Len()) + " topics by category.",
	}
	for _, c := range knowledge.Categories() {
		if n := len(h.kb.InCategory(c.ID)); n > 0 {
			r.Fields = append(r.Fields, bot.Field{Name: c.Name, Value: fmt.Sprintf("%d topics", n)})
		}
	}
	for _, id := range starterTopics {
		if t, ok := h.kb.Topic(id); ok {
			r.Buttons = append(r.Buttons, bot.Button{Label: t.Title, Action: bot.Action{Command: "explain", Args: t.ID}})
		}
	}
	return r
}
