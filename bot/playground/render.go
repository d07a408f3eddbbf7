package playground

import (
	"bytes"
	"fmt"
	"html"
	"html/template"

	"github.com/careerbot/careerbot/bot"
)

// Renderer writes a bot.Reply as an HTML fragment: title, lead text, fields, sections, links,
// buttons and footer, with the Markdown subset as paragraphs, lists, <strong>, <code> and
// <pre>. Every value goes through html/template, so text from users and job boards (a shared
// note, an opening's title) is escaped by construction; links are made only to http(s) URLs and
// carry rel="noopener noreferrer nofollow". A Renderer is safe for concurrent use.
type Renderer struct {
	tmpl *template.Template
}

// NewRenderer parses the embedded reply templates.
func NewRenderer() (*Renderer, error) {
	t, err := template.ParseFS(files, "templates/reply.html")
	if err != nil {
		return nil, fmt.Errorf("parse the reply template: %w", err)
	}
	return &Renderer{tmpl: t}, nil
}

// Render writes r (with its stock merged in) as an HTML fragment.
func (rd *Renderer) Render(r bot.Reply) (template.HTML, error) {
	return rd.execute("reply", view(r.Full()))
}

// execute runs one of the renderer's named templates into a string.
func (rd *Renderer) execute(name string, data any) (template.HTML, error) {
	var buf bytes.Buffer
	if err := rd.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("render %s: %w", name, err)
	}
	// The template escaped every value it wrote.
	return template.HTML(buf.String()), nil
}

// replyView is a reply as the template reads it.
type replyView struct {
	Title    string
	Text     []block
	Fields   []fieldView
	Sections []sectionView
	Links    []linkView
	Buttons  []buttonView
	Footer   [][]span
}

type fieldView struct {
	Name  string
	Value []block
}

type sectionView struct {
	Heading string
	URL     string // "" unless the section's URL may be a link
	Body    []block
}

type linkView struct {
	Text string
	URL  string // "" when the link's URL may not be a link: the text is shown alone
}

type buttonView struct {
	Label string
	// Action is the data-action attribute: bot.Action.Encode, sent back to /playground/press.
	// html/template reads any data-action attribute as a URL (after form's action) and would
	// percent-encode the command line, so the attribute is written whole, escaped here.
	Action template.HTMLAttr
}

// actionAttr is the data-action attribute of a button, its value escaped for HTML.
func actionAttr(a bot.Action) template.HTMLAttr {
	return template.HTMLAttr(`data-action="` + html.EscapeString(a.Encode()) + `"`)
}

func view(r bot.Reply) replyView {
	v := replyView{Title: bot.Clean(r.Title), Text: blocks(r.Text), Footer: lines(r.Footer)}
	for _, f := range r.Fields {
		v.Fields = append(v.Fields, fieldView{Name: bot.Clean(f.Name), Value: blocks(f.Value)})
	}
	for _, s := range r.Sections {
		u, _ := linkURL(s.URL)
		v.Sections = append(v.Sections, sectionView{Heading: bot.Clean(s.Heading), URL: u, Body: blocks(s.Body)})
	}
	for _, l := range r.Links {
		u, ok := linkURL(l.URL)
		text := bot.Clean(l.Text)
		if text == "" {
			text = bot.Clean(l.URL)
		}
		if !ok && text != bot.Clean(l.URL) && l.URL != "" {
			text += " (" + bot.Clean(l.URL) + ")"
		}
		v.Links = append(v.Links, linkView{Text: text, URL: u})
	}
	for _, b := range r.Buttons {
		v.Buttons = append(v.Buttons, buttonView{Label: bot.Clean(b.Label), Action: actionAttr(b.Action)})
	}
	return v
}
