package playground

import "net/http"

// Handler is the playground's whole HTTP surface, in one place. bot/web mounts it for "/" and
// "/playground/".
//
//	GET  /                          the page (also /playground/)
//	GET  /playground/static/{file}  its script and style sheet
//	POST /playground/command        {"text": "/explain cap"} → {"html": …}
//	POST /playground/press          {"action": "<a button's data-action>"} → {"html": …}
//	GET  /playground/complete?text= [{"label", "value", "detail"}]
//	GET  /playground/events         the channel feed as server-sent events (after=, Last-Event-ID)
//	GET  /playground/feed?after=N   the feed's posts after id N, for polling
//	POST /playground/sample         loads the sample openings → {"loaded": n}
//
// Every answer carries the security headers; the POSTs are refused cross-origin.
func (a *Adapter) Handler() http.Handler {
	mux := http.NewServeMux()
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusForbidden, "This request came from another site, so it was refused.")
	}))
	post := func(h http.HandlerFunc) http.Handler { return csrf.Handler(h) }

	mux.Handle("GET /{$}", a.servePage())
	mux.Handle("GET /playground/{$}", a.servePage())
	mux.Handle("GET /playground/static/{file}", a.serveStatic())
	mux.Handle("POST /playground/command", post(a.command))
	mux.Handle("POST /playground/press", post(a.press))
	mux.Handle("POST /playground/sample", post(a.sample))
	mux.HandleFunc("GET /playground/complete", a.complete)
	mux.HandleFunc("GET /playground/events", a.events)
	mux.HandleFunc("GET /playground/feed", a.feedPosts)
	return secure(mux)
}

// contentSecurityPolicy allows the page's own script, style sheet and requests, and nothing
// else: no inline script or style, no frames, no foreign forms.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// secure sets the security headers on every answer, errors included.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}
