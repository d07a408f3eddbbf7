package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

var frontMatterFence = []byte("---")

// ParseTopic reads one topic file: YAML front matter between two "---" lines, then a Markdown
// body split at its "## " headings. It checks only the file's shape; Validate checks its content.
func ParseTopic(file string, data []byte) (Topic, error) {
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	rest, ok := bytes.CutPrefix(data, append(frontMatterFence, '\n'))
	if !ok {
		return Topic{}, errors.New("no front matter: the file must start with a line of three dashes")
	}
	front, body, ok := bytes.Cut(rest, append(append([]byte{'\n'}, frontMatterFence...), '\n'))
	if !ok {
		// A file that ends right after the closing fence has no trailing newline to cut on.
		if f, found := bytes.CutSuffix(rest, append([]byte{'\n'}, frontMatterFence...)); found {
			front, body, ok = f, nil, true
		}
	}
	if !ok {
		return Topic{}, errors.New("front matter is not closed by a line of three dashes")
	}

	var t Topic
	dec := yaml.NewDecoder(bytes.NewReader(front))
	dec.KnownFields(true)
	if err := dec.Decode(&t); err != nil {
		return Topic{}, fmt.Errorf("front matter: %w", err)
	}
	t.File = file
	t.Summary = oneLine(t.Summary)
	for i := range t.Quiz {
		q := &t.Quiz[i]
		q.Question = oneLine(q.Question)
		q.Answer = oneLine(q.Answer)
		q.Explanation = oneLine(q.Explanation)
		for j := range q.Options {
			q.Options[j] = oneLine(q.Options[j])
		}
	}
	t.Sections = splitSections(string(body))
	return t, nil
}

// oneLine collapses the runs of white space a folded YAML scalar keeps into single spaces.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// splitSections cuts a Markdown body at its level-two headings. Text before the first heading, if
// any, becomes a section with an empty heading so that validation can report it.
func splitSections(body string) []Section {
	var (
		sections []Section
		cur      *Section
		buf      strings.Builder
		inFence  bool
	)
	flush := func() {
		text := strings.TrimSpace(buf.String())
		buf.Reset()
		if cur != nil {
			cur.Body = text
			sections = append(sections, *cur)
		} else if text != "" {
			sections = append(sections, Section{Body: text})
		}
	}
	for line := range strings.SplitSeq(body, "\n") {
		if strings.HasPrefix(line, "```") {
			inFence = !inFence
		}
		if !inFence {
			if h, ok := strings.CutPrefix(line, "## "); ok {
				flush()
				cur = &Section{Heading: strings.TrimSpace(h)}
				continue
			}
		}
		buf.WriteString(line)
		buf.WriteByte('\n')
	}
	flush()
	return sections
}
