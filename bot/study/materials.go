package study

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/knowledge"
)

// materialsPageSize is how many entries one /materials reply shows: each has an upvote button,
// and a page must stay readable in a chat window.
const materialsPageSize = 5

// materialsInExplain is how many of a workspace's links /explain lists under a topic.
const materialsInExplain = 3

// explainStoreTimeout bounds the store lookup /explain makes for shared links, so a slow store
// delays an explanation by this much at worst.
const explainStoreTimeout = 400 * time.Millisecond

// unavailable is the answer when the store cannot be reached.
func unavailable() bot.Reply {
	return bot.Reply{
		Title: "Storage is unavailable",
		Text:  "careerbot cannot reach its storage right now, so nothing was saved or read. Try again in a moment; `/explain` keeps working meanwhile.",
	}
}

// workspaceKey names the command's workspace for stores. Commands from the terminal share one
// local workspace.
func workspaceKey(cmd bot.Command) (string, error) {
	id := cmd.Workspace
	if id == "" && (cmd.Platform == bot.PlatformCLI || cmd.Platform == bot.PlatformWeb) {
		id = "local"
	}
	return bot.WorkspaceKey(cmd.Platform, id)
}

// materialHandlers serve /share and /materials, and add shared links to /explain.
type materialHandlers struct {
	kb  *knowledge.Base
	lib *knowledge.Library
	log *slog.Logger
	now func() time.Time
}

// share answers "/share <url> [topic] [note]" (Discord: url:, topic:, note: options).
func (h materialHandlers) share(ctx context.Context, cmd bot.Command) (bot.Reply, error) {
	ws, err := workspaceKey(cmd)
	if err != nil {
		return bot.Reply{}, err
	}
	req := knowledge.Share{Workspace: ws, User: cmd.User, UserName: cmd.UserName,
		URL: cmd.Option("url"), Topic: cmd.Option("topic"), Note: cmd.Option("note")}
	m, created, err := h.lib.Share(ctx, req)
	var input *knowledge.InputError
	switch {
	case errors.As(err, &input):
		r := shareUsage()
		r.Title = "That link was not shared"
		r.Text = input.Msg + "."
		return r, nil
	case err != nil:
		h.log.WarnContext(ctx, "share failed", "workspace", ws, "err", err)
		return unavailable(), nil
	}
	r := bot.Reply{Buttons: []bot.Button{upvoteButton(m.ID)}}
	if created {
		r.Title = fmt.Sprintf("Shared as #%d", m.ID)
		r.Text = fmt.Sprintf("%s is now in this workspace's material%s.", m.URL, h.topicPhrase(m.Topic))
	} else {
		r.Title = fmt.Sprintf("Already shared as #%d", m.ID)
		r.Text = fmt.Sprintf("%s shared %s %s%s.", sharer(m), m.URL, bot.Ago(m.SharedAt, h.now()), h.topicPhrase(m.Topic))
	}
	if m.Note != "" {
		r.Fields = append(r.Fields, bot.Field{Name: "Note", Value: m.Note})
	}
	if m.Topic != "" {
		r.Buttons = append(r.Buttons,
			bot.Button{Label: "Material on this topic", Action: bot.Action{Command: "materials", Args: m.Topic}},
			bot.Button{Label: "Explain the topic", Action: bot.Action{Command: "explain", Args: m.Topic}})
	}
	return r, nil
}

// topicWords is how many leading words after the link name a topic: the longest run of up to
// four that names one exactly ("consistent hashing great intro" → 2), else 0, and the topic is
// guessed from the note.
func (h materialHandlers) topicWords(words []string) int {
	for n := min(4, len(words)); n > 0; n-- {
		if _, ok := h.kb.Exact(strings.Join(words[:n], " ")); ok {
			return n
		}
	}
	return 0
}

func (h materialHandlers) topicPhrase(id string) string {
	if t, ok := h.kb.Topic(id); ok {
		return ", under " + t.Title
	}
	return ", with no topic"
}

func shareUsage() bot.Reply {
	return bot.Reply{
		Title: "Share a study link",
		Text: "`/share <url> [topic] [note]`, for example `/share https://raft.github.io raft the visualisation helps`. " +
			"Links must be http or https; the topic is guessed when you leave it out; notes are up to 500 characters.",
		NotFound: true,
	}
}

// materials answers "/materials [topic] [top|new] [page N]", "/materials remove <id>" and
// "/materials upvote <id>" (the upvote button).
func (h materialHandlers) materials(ctx context.Context, cmd bot.Command) (bot.Reply, error) {
	ws, err := workspaceKey(cmd)
	if err != nil {
		return bot.Reply{}, err
	}
	id, _ := cmd.Int("id")
	switch cmd.Sub {
	case "remove":
		return h.remove(ctx, cmd, ws, id)
	case "upvote":
		return h.upvote(ctx, cmd, ws, id)
	}
	return h.list(ctx, ws, cmd)
}

func (h materialHandlers) remove(ctx context.Context, cmd bot.Command, ws string, id int64) (bot.Reply, error) {
	m, err := h.lib.Remove(ctx, ws, id, cmd.User, cmd.IsAdmin)
	switch {
	case errors.Is(err, knowledge.ErrNotFound):
		return notInWorkspace(id), nil
	case errors.Is(err, knowledge.ErrForbidden):
		return bot.Reply{Title: "Not removed", Text: fmt.Sprintf("Only the person who shared #%d or a workspace admin can remove it.", id)}, nil
	case err != nil:
		h.log.WarnContext(ctx, "remove failed", "workspace", ws, "err", err)
		return unavailable(), nil
	}
	return bot.Reply{Title: fmt.Sprintf("Removed #%d", id), Text: m.URL + " is no longer in this workspace's material."}, nil
}

func (h materialHandlers) upvote(ctx context.Context, cmd bot.Command, ws string, id int64) (bot.Reply, error) {
	votes, added, err := h.lib.Upvote(ctx, ws, id, cmd.User)
	switch {
	case errors.Is(err, knowledge.ErrNotFound):
		return notInWorkspace(id), nil
	case err != nil:
		h.log.WarnContext(ctx, "upvote failed", "workspace", ws, "err", err)
		return unavailable(), nil
	case !added:
		return bot.Reply{Title: fmt.Sprintf("You already upvoted #%d", id), Text: bot.Plural(votes, "upvote") + " so far."}, nil
	}
	return bot.Reply{Title: fmt.Sprintf("Upvoted #%d", id), Text: bot.Plural(votes, "upvote") + " now."}, nil
}

func notInWorkspace(id int64) bot.Reply {
	return bot.Reply{Title: fmt.Sprintf("No material #%d", id), Text: "This workspace has no material with that number. `/materials` lists what it has.", NotFound: true}
}

// list answers "/materials [topic] [top|new] [page N]".
func (h materialHandlers) list(ctx context.Context, ws string, cmd bot.Command) (bot.Reply, error) {
	q := knowledge.ListQuery{Limit: materialsPageSize}
	if cmd.Option("sort") == "top" {
		q.Order = knowledge.Top
	}
	page := 1
	if n, ok := cmd.Int("page"); ok {
		page = int(n)
	}
	var topic *knowledge.Topic
	if query := cmd.Option("topic"); query != "" {
		t, miss := resolveTopic(h.kb, query, "materials")
		if miss != nil {
			return *miss, nil
		}
		topic, q.Topic = t, t.ID
	}
	q.Offset = (page - 1) * materialsPageSize
	items, total, err := h.lib.List(ctx, ws, q)
	if err != nil {
		h.log.WarnContext(ctx, "list failed", "workspace", ws, "err", err)
		return unavailable(), nil
	}

	r := bot.Reply{Title: "Shared material"}
	args := ""
	if topic != nil {
		r.Title += ": " + topic.Title
		args = topic.ID + " "
	}
	order, other, otherOrder := "newest first", "Most upvoted first", knowledge.Top
	if q.Order == knowledge.Top {
		order, other, otherOrder = "most upvoted first", "Newest first", knowledge.Newest
	}
	pages := max(1, (total+materialsPageSize-1)/materialsPageSize)
	switch {
	case total == 0:
		r.Text = "Nothing shared yet. Add a link with `/share <url> [topic] [note]`."
		return r, nil
	case page > pages:
		r.Text = fmt.Sprintf("There are only %d pages (%s).", pages, bot.Plural(total, "link"))
		r.Buttons = []bot.Button{{Label: "First page", Action: bot.Action{Command: "materials", Args: strings.TrimSpace(args)}}}
		return r, nil
	}
	r.Text = fmt.Sprintf("%s, %s · page %d of %d", bot.Plural(total, "link"), order, page, pages)
	for _, m := range items {
		r.Sections = append(r.Sections, bot.Section{Heading: fmt.Sprintf("#%d %s", m.ID, displayURL(m.URL)), Body: h.describe(m), URL: m.URL})
		r.Buttons = append(r.Buttons, upvoteButton(m.ID))
	}
	if page < pages {
		r.Buttons = append(r.Buttons, bot.Button{Label: "Next page", Action: bot.Action{Command: "materials",
			Args: fmt.Sprintf("%s%s page %d", args, orderWord(q.Order), page+1)}})
	}
	r.Buttons = append(r.Buttons, bot.Button{Label: other, Action: bot.Action{Command: "materials", Args: args + orderWord(otherOrder)}})
	return r, nil
}

// describe is one entry's line under its URL: topic, sharer, age, votes, note.
func (h materialHandlers) describe(m knowledge.Material) string {
	parts := []string{}
	if t, ok := h.kb.Topic(m.Topic); ok {
		parts = append(parts, t.Title)
	}
	parts = append(parts, "shared by "+sharer(m)+" "+bot.Ago(m.SharedAt, h.now()), bot.Plural(m.Votes, "upvote"))
	line := strings.Join(parts, " · ")
	if m.Note != "" {
		line += "\n" + m.Note
	}
	return line
}

// forTopic is the workspace's most upvoted links on a topic, as a section for /explain. Any
// failure leaves the explanation without the section: the knowledge base answers regardless.
func (h materialHandlers) forTopic(ctx context.Context, cmd bot.Command, topic string) (bot.Section, bool) {
	ws, err := workspaceKey(cmd)
	if err != nil {
		return bot.Section{}, false
	}
	ctx, cancel := context.WithTimeout(ctx, explainStoreTimeout)
	defer cancel()
	items, total, err := h.lib.List(ctx, ws, knowledge.ListQuery{Topic: topic, Order: knowledge.Top, Limit: materialsInExplain})
	if err != nil {
		h.log.WarnContext(ctx, "explain without shared material", "workspace", ws, "err", err)
		return bot.Section{}, false
	}
	if total == 0 {
		return bot.Section{}, false
	}
	lines := make([]string, 0, len(items)+1)
	for _, m := range items {
		line := fmt.Sprintf("- %s (%s, %s)", m.URL, sharer(m), bot.Plural(m.Votes, "upvote"))
		if m.Note != "" {
			line += ": " + bot.Shorten(m.Note, 120)
		}
		lines = append(lines, line)
	}
	if total > len(items) {
		lines = append(lines, fmt.Sprintf("`/materials %s` lists all %d.", topic, total))
	}
	return bot.Section{Heading: "Shared in this workspace", Body: strings.Join(lines, "\n")}, true
}

// displayURL is a link as a heading shows it: without its scheme, at most 80 characters.
func displayURL(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	return bot.Shorten(strings.TrimSuffix(u, "/"), 80)
}

// orderWord is how /materials spells an order.
func orderWord(o knowledge.Order) string {
	if o == knowledge.Top {
		return "top"
	}
	return "new"
}

func upvoteButton(id int64) bot.Button {
	return bot.Button{Label: fmt.Sprintf("Upvote #%d", id), Action: bot.Action{Command: "materials", Args: fmt.Sprintf("upvote %d", id)}}
}

func sharer(m knowledge.Material) string {
	if m.SharerName != "" {
		return m.SharerName
	}
	return "someone"
}
