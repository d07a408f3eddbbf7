package study

import (
	"context"
	"fmt"
	"strings"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/knowledge"
)

// topicsHandler answers /topics: the index of every topic, or one category's topics.
type topicsHandler struct {
	kb *knowledge.Base
}

func (h topicsHandler) Handle(_ context.Context, cmd bot.Command) (bot.Reply, error) {
	arg := cmd.Option("category")
	if arg == "" {
		return h.index(), nil
	}
	c, ok := h.kb.FindCategory(arg)
	if !ok {
		r := h.index()
		r.Title = "No category matches " + bot.Quote(arg, 40)
		r.Text = "The categories are " + categoryList() + ". The full index follows."
		r.NotFound = true
		return r, nil
	}
	return h.category(c), nil
}

// index lists every topic by category.
func (h topicsHandler) index() bot.Reply {
	r := bot.Reply{
		Title: fmt.Sprintf("Topics (%d)", h.kb.Len()),
		Text:  "`/explain <topic>` explains one; `/topics <category>` shows a category with summaries.",
	}
	for _, c := range knowledge.Categories() {
		topics := h.kb.InCategory(c.ID)
		if len(topics) == 0 {
			continue
		}
		lines := make([]string, len(topics))
		for i, t := range topics {
			lines[i] = fmt.Sprintf("- %s (`%s`)", t.Title, t.ID)
		}
		r.Sections = append(r.Sections, bot.Section{Heading: c.Name, Body: strings.Join(lines, "\n")})
	}
	return r
}

// category lists one category's topics with their summaries.
func (h topicsHandler) category(c knowledge.Category) bot.Reply {
	r := bot.Reply{Title: c.Name}
	topics := h.kb.InCategory(c.ID)
	r.Text = fmt.Sprintf("%d topics. `/explain <topic>` for the whole explanation.", len(topics))
	for _, t := range topics {
		r.Sections = append(r.Sections, bot.Section{Heading: t.Title, Body: t.Summary})
		r.Buttons = append(r.Buttons, bot.Button{Label: t.Title, Action: bot.Action{Command: "explain", Args: t.ID}})
	}
	return r
}

func categoryList() string {
	ids := make([]string, 0, len(knowledge.Categories()))
	for _, c := range knowledge.Categories() {
		ids = append(ids, "`"+c.ID+"`")
	}
	return strings.Join(ids, ", ")
}
