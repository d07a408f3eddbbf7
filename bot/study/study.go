// Package study holds careerbot's study commands: /explain and /topics from the knowledge base,
// and /share and /materials over a workspace's shared links. Each is declared once as a
// bot.Spec and answered with a bot.Reply; the adapters know none of them by name. A topic's
// explanation is built once, when the commands are registered, as a stock reply
// (bot.Reply.Stock) that renderers prepare ahead of time.
package study

import (
	"log/slog"
	"time"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/knowledge"
)

// Limits of what users type, for the specs of the study commands.
const (
	maxQuery = knowledge.MaxQuery
	maxURL   = knowledge.MaxURL
	maxNote  = knowledge.MaxNote
)

// Register routes the study commands to r: /explain and /topics and, when lib is not nil,
// /share and /materials with the workspace's shared links under each explanation. It also
// registers the "topics" autocomplete source. Register help (RegisterHelp) after it.
func Register(r *bot.Router, kb *knowledge.Base, lib *knowledge.Library, log *slog.Logger) {
	explain := newExplainHandler(kb)
	var mh *materialHandlers
	if lib != nil {
		mh = &materialHandlers{kb: kb, lib: lib, log: log, now: time.Now}
		explain.materials = mh
	}
	r.Completer("topics", func(input string, n int) []bot.Choice {
		topics := kb.Suggest(input, n)
		out := make([]bot.Choice, len(topics))
		for i, t := range topics {
			out[i] = bot.Choice{Name: t.Title, Value: t.ID}
		}
		return out
	})
	topic := func(desc string, required bool) bot.Option {
		return bot.Option{Name: "topic", Description: desc, Required: required, Complete: "topics", MaxLength: maxQuery, Rest: true}
	}
	r.Handle(bot.Spec{Name: "explain", Form: bot.Form{
		Summary:   "Explain a distributed-architecture topic: how it works, trade-offs, an example, pitfalls.",
		Usage:     "<topic or question>",
		Examples:  []string{"explain raft", "explain 2pc", "explain how does raft elect a leader"},
		Options:   []bot.Option{topic("A topic or a question, e.g. raft, 2pc, how does raft elect a leader", false)},
		Shareable: true,
	}, Questions: true}, explain)

	categories := make([]bot.Choice, 0, len(knowledge.Categories()))
	for _, c := range knowledge.Categories() {
		categories = append(categories, bot.Choice{Name: c.Name, Value: c.ID})
	}
	r.Handle(bot.Spec{Name: "topics", Form: bot.Form{
		Summary:  "List the topics, all of them or one category's.",
		Usage:    "[category]",
		Examples: []string{"topics", "topics consensus"},
		Options: []bot.Option{{Name: "category", Description: "Only this category's topics", Choices: categories,
			Rest: true}},
		Shareable: true,
	}}, topicsHandler{kb: kb})

	if mh == nil {
		return
	}
	r.Handle(bot.Spec{Name: "share", Form: bot.Form{
		Summary:  "Save a study link for this workspace, tagged with a topic.",
		Usage:    "<url> [topic] [note]",
		Examples: []string{"share https://raft.github.io raft the visualisation helps"},
		Options: []bot.Option{
			{Name: "url", Description: "The link (http or https)", Required: true, MaxLength: maxURL},
			{Name: "topic", Description: "What it is about; guessed from the link and note when left out",
				Complete: "topics", MaxLength: maxQuery, Take: mh.topicWords},
			{Name: "note", Description: "Why it is worth reading", MaxLength: maxNote, Rest: true},
		},
	}}, bot.HandlerFunc(mh.share))

	id := func(desc string) bot.Option {
		return bot.Option{Name: "id", Description: desc, Type: bot.Integer, Required: true, MinValue: 1, MaxValue: 1 << 53}
	}
	r.Handle(bot.Spec{Name: "materials", Form: bot.Form{
		Summary: "List this workspace's shared links, newest or most upvoted first; remove your own.",
	}, Subcommands: []bot.Subcommand{
		{Name: "list", Default: true, Form: bot.Form{
			Summary:  "This workspace's shared links, newest or most upvoted first",
			Examples: []string{"materials", "materials raft top", "materials page 2"},
			Options: []bot.Option{
				topic("Only links on this topic", false),
				{Name: "sort", Description: "Order of the list", Choices: []bot.Choice{
					{Name: "Newest first", Value: "new", Aliases: []string{"newest", "latest"}},
					{Name: "Most upvoted first", Value: "top", Aliases: []string{"popular", "upvoted"}}}},
				{Name: "page", Description: "Page of the list", Type: bot.Integer, Named: true, MinValue: 1, MaxValue: 1e6},
			},
			Shareable: true,
		}},
		{Name: "remove", Aliases: []string{"rm", "delete"}, Form: bot.Form{
			Summary:  "Remove a link you shared (admins: any link)",
			Examples: []string{"materials remove 42"},
			Options:  []bot.Option{id("The link's number, as /materials shows it")},
			Access:   bot.AdminAware,
		}},
		{Name: "upvote", Aliases: []string{"vote"}, Hidden: true, Form: bot.Form{
			Options: []bot.Option{id("The link's number")},
		}},
	}, Home: "Newest shared material"}, bot.HandlerFunc(mh.materials))
}
