package study

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/knowledge"
)

// quizHandlers serve /quiz and the answer buttons of its questions.
type quizHandlers struct {
	kb   *knowledge.Base
	quiz *knowledge.Quiz
	log  *slog.Logger
}

// AnswerCommand is the command an answer button runs. It is routed on every platform but
// registered and listed on none: people answer with buttons, and a typed answer is checked like
// a clicked one.
const AnswerCommand = "answer"

// RegisterQuiz routes /quiz and its answer buttons to r, with each user's state in store.
func RegisterQuiz(r *bot.Router, kb *knowledge.Base, store knowledge.QuizStore, log *slog.Logger) {
	h := &quizHandlers{kb: kb, quiz: knowledge.NewQuiz(kb, store), log: log}
	r.Handle(bot.Spec{Name: "quiz", Form: bot.Form{
		Summary:  "A multiple-choice question on a topic, or on your weakest category when none is given.",
		Usage:    "[topic]",
		Examples: []string{"quiz", "quiz raft", "quiz snapshot isolation"},
		Options: []bot.Option{{Name: "topic", Description: "A topic, e.g. raft; left out: your weakest category",
			Complete: "topics", MaxLength: maxQuery, Rest: true}},
	}}, bot.HandlerFunc(h.ask))
	all := []bot.Platform{bot.PlatformSlack, bot.PlatformDiscord, bot.PlatformCLI, bot.PlatformWeb, bot.PlatformPlayground}
	r.Handle(bot.Spec{Name: AnswerCommand, Hidden: true, Skip: all, Form: bot.Form{
		Summary: "Answer a quiz question (what its buttons run).",
		Options: []bot.Option{
			{Name: "question", Description: "The question's id", Required: true, MaxLength: 120},
			{Name: "option", Description: "The option's letter", Required: true, MaxLength: 1},
			{Name: "check", Description: "The button's signature", Required: true, MaxLength: 64},
		},
	}}, bot.HandlerFunc(h.answer))
}

func (h *quizHandlers) ask(ctx context.Context, cmd bot.Command) (bot.Reply, error) {
	ws, err := workspaceKey(cmd)
	if err != nil {
		return bot.Reply{}, err
	}
	var topic *knowledge.Topic
	if query := cmd.Option("topic"); query != "" {
		t, miss := resolveTopic(h.kb, query, "quiz")
		if miss != nil {
			return *miss, nil
		}
		topic = t
		if len(topic.Quiz) == 0 {
			return h.noQuestions(topic), nil
		}
	}
	a, err := h.quiz.Ask(ctx, ws, cmd.User, topic)
	if err != nil {
		if errors.Is(err, knowledge.ErrNoQuestions) {
			return bot.Reply{Title: "No quiz questions yet", NotFound: true, Text: "The knowledge base has no quiz questions."}, nil
		}
		h.log.WarnContext(ctx, "quiz question failed", "workspace", ws, "err", err)
		return unavailable(), nil
	}
	r := bot.Reply{
		Title:  "Quiz: " + a.Topic.Title,
		Text:   a.Question.Question,
		Footer: fmt.Sprintf("Question %d of %d on %s · /quiz %s", a.N, len(a.Topic.Quiz), a.Topic.Title, a.Topic.ID),
	}
	lines := make([]string, len(a.Question.Options))
	for i, o := range a.Question.Options {
		lines[i] = fmt.Sprintf("- **%s.** %s", knowledge.Letter(i), o)
		r.Buttons = append(r.Buttons, bot.Button{Label: knowledge.Letter(i), Action: bot.Action{Command: AnswerCommand, Args: a.Answers[i]}})
	}
	r.Sections = []bot.Section{{Heading: "Options", Body: strings.Join(lines, "\n")}}
	if topic == nil {
		r.Footer += " · from your weakest category, " + knowledge.CategoryName(a.Topic.Category)
	}
	return r, nil
}

func (h *quizHandlers) answer(ctx context.Context, cmd bot.Command) (bot.Reply, error) {
	ws, err := workspaceKey(cmd)
	if err != nil {
		return bot.Reply{}, err
	}
	res, err := h.quiz.Answer(ctx, ws, cmd.User, cmd.Option("question"), strings.ToUpper(cmd.Option("option")), cmd.Option("check"))
	switch {
	case errors.Is(err, knowledge.ErrForged):
		return bot.Reply{Title: "That answer cannot be checked", NotFound: true,
			Text: "Answers count only from the buttons careerbot sent you. `/quiz` asks a new question."}, nil
	case err != nil:
		h.log.WarnContext(ctx, "quiz answer failed", "workspace", ws, "err", err)
		return unavailable(), nil
	}
	q := res.Question
	right := q.Correct()
	r := bot.Reply{Title: "Right", Footer: "/quiz " + res.Topic.ID}
	if !res.Right {
		r.Title = "Not quite"
	}
	r.Text = fmt.Sprintf("You chose **%s.** %s. The answer is **%s.** %s.", knowledge.Letter(res.Chosen),
		strings.TrimSuffix(q.Options[res.Chosen], "."), knowledge.Letter(right), strings.TrimSuffix(q.Options[right], "."))
	r.Sections = []bot.Section{{Heading: "Why", Body: q.Explanation}}
	if !res.Scored {
		r.Footer = "You had answered this one already: it counts once. · " + r.Footer
	}
	r.Buttons = []bot.Button{
		{Label: "Another on " + res.Topic.Title, Action: bot.Action{Command: "quiz", Args: res.Topic.ID}},
		{Label: "Explain " + res.Topic.Title, Action: bot.Action{Command: "explain", Args: res.Topic.ID}},
		{Label: "My weakest category", Action: bot.Action{Command: "quiz"}},
	}
	return r, nil
}

// noQuestions answers a quiz on a topic that has none, offering related topics that do.
func (h *quizHandlers) noQuestions(t *knowledge.Topic) bot.Reply {
	r := bot.Reply{Title: "No quiz on " + t.Title + " yet", NotFound: true,
		Text: "`/explain " + t.ID + "` explains it; these related topics have questions."}
	for _, rel := range h.kb.Related(t) {
		if len(rel.Quiz) > 0 {
			r.Buttons = append(r.Buttons, bot.Button{Label: "Quiz: " + rel.Title, Action: bot.Action{Command: "quiz", Args: rel.ID}})
		}
	}
	return r
}
