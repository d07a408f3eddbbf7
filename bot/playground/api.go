package playground

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/careerbot/careerbot/bot"
)

// maxBody is the largest request body accepted: a command line is at most bot.MaxCommandText
// bytes, so twice that covers JSON's escaping.
const maxBody = 8 << 10

// answer is the JSON of /playground/command and /playground/press: the exchange to append to
// the transcript.
type answer struct {
	HTML template.HTML `json:"html"`
}

// command runs a typed line: "/explain cap" or "explain cap". A line that starts with a slash
// names its command (an unknown one is answered as such); without the slash the line is read as
// a mention is on the other platforms, so a question goes to the command that takes questions.
func (a *Adapter) command(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Text string `json:"text"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	line := strings.TrimSpace(req.Text)
	if len(line) > bot.MaxCommandText {
		writeError(w, http.StatusBadRequest, sentence(bot.ErrCommandTooLong.Error()))
		return
	}
	cmd := visitor()
	if strings.HasPrefix(line, "/") {
		name, text, err := bot.Parse(line)
		if err != nil {
			writeError(w, http.StatusBadRequest, sentence(err.Error()))
			return
		}
		cmd.Name, cmd.Text = name, text
	} else {
		if line == "" {
			writeError(w, http.StatusBadRequest, sentence(bot.ErrEmptyCommand.Error()))
			return
		}
		cmd = a.router.Said(cmd, line)
	}
	said := bot.Clean(line)
	if !strings.HasPrefix(said, "/") {
		said = "/" + said
	}
	a.answer(w, r, said, a.router.Dispatch(r.Context(), cmd))
}

// press runs a reply's button: the action it carries, encoded as on Slack and Discord.
func (a *Adapter) press(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Action string `json:"action"`
	}
	if !readJSON(w, r, &req) {
		return
	}
	if strings.TrimSpace(req.Action) == "" {
		writeError(w, http.StatusBadRequest, "The button sent no action.")
		return
	}
	said := "(a button)"
	if act, ok := bot.DecodeAction(req.Action); ok {
		said = "/" + act.Line()
		if act.Public {
			said += " (shared in the channel)"
		}
	}
	a.answer(w, r, said, a.router.Press(r.Context(), visitor(), req.Action))
}

// answer renders reply under the line that asked for it.
func (a *Adapter) answer(w http.ResponseWriter, r *http.Request, said string, reply bot.Reply) {
	body, err := a.render.Render(reply)
	if err == nil {
		var html template.HTML
		html, err = a.render.execute("exchange", struct {
			Said string
			Body template.HTML
		}{said, body})
		if err == nil {
			writeJSON(w, http.StatusOK, answer{HTML: html})
			return
		}
	}
	a.log.ErrorContext(r.Context(), "playground reply not rendered", "platform", bot.PlatformPlayground,
		"workspace", Workspace, "channel", Channel, "said", said, "err", err)
	writeError(w, http.StatusInternalServerError, "careerbot could not show that reply. The log has the details.")
}

// sample loads the sample openings; they reach the feed through the delivery path.
func (a *Adapter) sample(w http.ResponseWriter, r *http.Request) {
	if a.opts.LoadSample == nil {
		writeError(w, http.StatusNotFound, sentence(errNoSample.Error()))
		return
	}
	n, err := a.opts.LoadSample(r.Context())
	if err != nil {
		a.log.ErrorContext(r.Context(), "sample openings not loaded", "platform", bot.PlatformPlayground,
			"workspace", Workspace, "channel", Channel, "err", err)
		writeError(w, http.StatusInternalServerError, "The sample openings could not be loaded. The log has the details.")
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"loaded": n})
}

// feedPosts answers the page's polling: the posts after ?after=N, oldest first.
func (a *Adapter) feedPosts(w http.ResponseWriter, r *http.Request) {
	after, ok := afterID(r.URL.Query().Get("after"))
	if !ok {
		writeError(w, http.StatusBadRequest, "after must be a post id: a number.")
		return
	}
	posts, _ := a.feed.after(after)
	if posts == nil {
		posts = []post{}
	}
	writeJSON(w, http.StatusOK, posts)
}

// afterID reads a post id the page has seen: "" is 0, before the first post.
func afterID(s string) (int64, bool) {
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n, err == nil && n >= 0
}

// readJSON decodes a JSON request body into v, or answers the request and reports false: 415
// for another content type, 413 for a body over maxBody, 400 for anything that is not JSON.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		writeError(w, http.StatusUnsupportedMediaType, "Send the request as JSON (Content-Type: application/json).")
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	if err := dec.Decode(v); err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("The request is too large: keep it under %d KiB.", maxBody>>10))
			return false
		}
		writeError(w, http.StatusBadRequest, "The request body is not valid JSON.")
		return false
	}
	return true
}

// writeJSON answers with v as JSON. encoding/json escapes <, > and & in strings, so even a
// page that sniffed the answer as HTML would find no markup in it.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers with {"error": message}, a sentence the page shows as it is.
func writeError(w http.ResponseWriter, status int, message string) {
	writeJSON(w, status, map[string]string{"error": message})
}

// sentence starts s with a capital and ends it with a full stop, for the core's error messages
// that are written to follow a prompt.
func sentence(s string) string {
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
