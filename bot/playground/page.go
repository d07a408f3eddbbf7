package playground

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"time"

	"github.com/careerbot/careerbot/bot"
)

// pageAssets are the page's template and its static files, read once from the embedded files.
type pageAssets struct {
	tmpl   *template.Template
	static map[string]staticFile
}

// staticFile is one embedded file as it is served.
type staticFile struct {
	body        []byte
	contentType string
	version     string // a hash of the body: the page links ?v=version, so a long cache is safe
}

// contentTypes are the types of the files in static/; a file of another type is not served.
var contentTypes = map[string]string{
	".js":  "text/javascript; charset=utf-8",
	".css": "text/css; charset=utf-8",
	".svg": "image/svg+xml",
	".png": "image/png",
}

func loadPage() (*pageAssets, error) {
	t, err := template.ParseFS(files, "templates/page.html")
	if err != nil {
		return nil, fmt.Errorf("parse the page template: %w", err)
	}
	p := &pageAssets{tmpl: t, static: map[string]staticFile{}}
	entries, err := fs.ReadDir(files, "static")
	if err != nil {
		return nil, fmt.Errorf("read the static files: %w", err)
	}
	for _, e := range entries {
		ct, ok := contentTypes[path.Ext(e.Name())]
		if !ok || e.IsDir() {
			continue
		}
		body, err := fs.ReadFile(files, "static/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("read static/%s: %w", e.Name(), err)
		}
		sum := sha256.Sum256(body)
		p.static[e.Name()] = staticFile{body: body, contentType: ct, version: hex.EncodeToString(sum[:6])}
	}
	return p, nil
}

// url is the address of a static file, with its version.
func (p *pageAssets) url(name string) string {
	return "/playground/static/" + name + "?v=" + p.static[name].version
}

// pageData is what the page template reads.
type pageData struct {
	Channel     string
	Script      string
	Style       string
	Icon        string
	Placeholder string
	// Examples are a command line of each listed command, from its spec, for the visitor to try.
	Examples []string
	// Subscribe is an example of the admin form that subscribes the channel, when there is one.
	Subscribe string
	Posts     []post
	LastID    int64
	Sample    bool
}

// servePage answers the page, with the feed's posts so far.
func (a *Adapter) servePage() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		posts, _ := a.feed.after(0)
		examples, subscribe := a.examples()
		data := pageData{
			Channel: Channel, Script: a.page.url("playground.js"), Style: a.page.url("playground.css"), Icon: a.page.url("icon.svg"),
			Examples: examples, Subscribe: subscribe,
			Posts: posts, LastID: a.feed.lastID(), Sample: a.opts.LoadSample != nil,
		}
		if len(examples) > 0 {
			data.Placeholder = examples[0]
		}
		var buf bytes.Buffer
		if err := a.page.tmpl.ExecuteTemplate(&buf, "page.html", data); err != nil {
			a.log.ErrorContext(r.Context(), "playground page not rendered", "err", err)
			http.Error(w, "The playground page could not be shown. The log has the details.", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(buf.Bytes())
	})
}

// examples are the first example of each command the playground lists, and the first example
// of an admin-only form (subscribing the channel) for the empty feed's hint.
func (a *Adapter) examples() (examples []string, admin string) {
	for _, s := range a.router.Listed(bot.PlatformPlayground) {
		forms := []*bot.Form{&s.Form}
		if len(s.Subcommands) > 0 {
			forms = forms[:0]
			for i := range s.Subcommands {
				if !s.Subcommands[i].Hidden {
					forms = append(forms, &s.Subcommands[i].Form)
				}
			}
		}
		first := true
		for _, f := range forms {
			if len(f.Examples) == 0 {
				continue
			}
			if first {
				examples = append(examples, "/"+f.Examples[0])
				first = false
			}
			if admin == "" && f.Access == bot.AdminOnly {
				admin = "/" + f.Examples[0]
			}
		}
	}
	return examples, admin
}

// serveStatic answers the page's script and style sheet. They change only with the binary and
// the page links them by version, so browsers may keep them for a year.
func (a *Adapter) serveStatic() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := a.page.static[r.PathValue("file")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", f.contentType)
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Header().Set("ETag", `"`+f.version+`"`)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
	})
}
