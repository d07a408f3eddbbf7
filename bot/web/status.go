package web

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

// The status page (GET /status, and GET /status.json with the same facts) tells an operator
// what this replica knows: its version and uptime, the store, the platform connections, each
// job source, the subscriptions and the delivery queue, and who holds the poller lock.
//
// Access. When platform credentials are set (Options.Protected) the page needs
// CAREERBOT_ADMIN_TOKEN (Options.AdminToken), and with that variable unset every status route
// answers 404 as an unknown path does, so a public deployment leaks nothing, not even that the
// page exists. A request is authorised by "Authorization: Bearer <token>" or by the session
// cookie that the login form sets (see status_auth.go). A local run without platform
// credentials has nothing to protect and opens the page to anyone who reaches the listener.
//
// Partial facts. Options.Status returns what it could read and an error for the rest (a
// joined error gives one sentence per fact): the HTML page shows every sentence above the facts
// and always answers 200, since a person reads it; the JSON lists them under "errors" and
// answers 200, or 503 when the store is unhealthy, since then every fact but the process's
// own is missing and a monitor should see it as /readyz does. The error texts are shown to
// the authenticated operator, so the caller keeps secrets out of them (as of Store.Where).
//
// Security headers. Every status answer carries a strict Content-Security-Policy (no script at
// all, styles only from /status/style.css, forms only to this origin, no framing), nosniff,
// no-referrer and no-store. The page is html/template, so every dynamic value is escaped for
// its context; its POST routes refuse cross-origin requests (http.CrossOriginProtection).

// Status is what the status page shows. The JSON names are the contract of /status.json.
type Status struct {
	Version string `json:"version"`
	// Replica is this process's name among the replicas (the poller lock's holder name).
	Replica string    `json:"replica"`
	Started time.Time `json:"started"`
	// Now is when the facts were read; the handler sets it when the caller leaves it zero.
	// Uptime is Now - Started, in JSON as "uptime" (text) and "uptime_seconds".
	Now       time.Time        `json:"now"`
	Store     StoreStatus      `json:"store"`
	Platforms []PlatformStatus `json:"platforms"`
	// Sources are in JSON as SourceJSON values.
	Sources       []jobs.SourceStatus    `json:"sources"`
	Subscriptions SubscriptionCounts     `json:"subscriptions"`
	Disabled      []DisabledSubscription `json:"disabled"`
	// Deliveries are in JSON as DeliveriesJSON.
	Deliveries  jobs.DeliveryStats `json:"deliveries"`
	DeadLetters []DeadLetter       `json:"dead_letters"`
	Poller      PollerStatus       `json:"poller"`
}

// Uptime is how long the process has run when the facts were read.
func (s Status) Uptime() time.Duration {
	if s.Started.IsZero() || s.Now.Before(s.Started) {
		return 0
	}
	return s.Now.Sub(s.Started)
}

// StoreStatus is the store every replica shares.
type StoreStatus struct {
	Kind string `json:"kind"` // "redis" or "embedded"
	// Where says which store: an address or a file, already redacted of credentials by the
	// caller.
	Where   string `json:"where"`
	Healthy bool   `json:"healthy"`
	Error   string `json:"error"` // a sentence; empty when Healthy
}

// PlatformStatus is one platform connection of this replica.
type PlatformStatus struct {
	Name string `json:"name"` // "slack", "discord", "playground"
	// State is one word or two: "connected", "connecting", "down", "http only".
	State  string `json:"state"`
	Detail string `json:"detail"` // a sentence: the mode, the workspace count, the last error
}

// SubscriptionCounts counts the subscriptions of every workspace.
type SubscriptionCounts struct {
	Total    int `json:"total"`
	Active   int `json:"active"`
	Disabled int `json:"disabled"`
}

// DisabledSubscription is a subscription whose delivery stopped for good, with why.
type DisabledSubscription struct {
	Workspace string    `json:"workspace"`
	Channel   string    `json:"channel"`
	ID        int64     `json:"id"`
	Query     string    `json:"query"`
	Reason    string    `json:"reason"`
	Since     time.Time `json:"since"`
}

// DeadLetter is a delivery given up after its last attempt.
type DeadLetter struct {
	Workspace string    `json:"workspace"`
	Channel   string    `json:"channel"`
	Key       string    `json:"key"`
	Openings  int       `json:"openings"` // how many openings it carried (1, or a digest's count)
	Reason    string    `json:"reason"`
	At        time.Time `json:"at"`
}

// PollerStatus says which replica holds the poller lock (polls the sources and fans out).
type PollerStatus struct {
	Holder string    `json:"holder"` // empty when no replica holds it
	Token  int64     `json:"token"`  // the lock's fencing token
	Until  time.Time `json:"until"`  // when the holder's lease ends unless renewed
	Self   bool      `json:"self"`   // the holder is this replica
}

// SourceJSON is a job source in /status.json.
type SourceJSON struct {
	Name        string    `json:"name"`
	Type        string    `json:"type"`
	LastSuccess time.Time `json:"last_success"`
	LastError   string    `json:"last_error"`
	LastErrorAt time.Time `json:"last_error_at"`
	Failures    int       `json:"failures"`
	Open        int       `json:"open"`
	NextPoll    time.Time `json:"next_poll"`
}

// DeliveriesJSON is the delivery queue's counts in /status.json.
type DeliveriesJSON struct {
	Queued  int64 `json:"queued"`
	Pending int64 `json:"pending"`
	InDoubt int64 `json:"in_doubt"`
	Dead    int64 `json:"dead"`
	Sent    int64 `json:"sent"`
}

// MarshalJSON writes the status with snake_case names throughout, the uptime both as text
// and in seconds, and empty lists as [] rather than null.
func (s Status) MarshalJSON() ([]byte, error) {
	return json.Marshal(s.document(nil))
}

// statusDocument is Status as JSON, with /status.json's "errors" when set.
type statusDocument struct {
	plainStatus
	Uptime        string         `json:"uptime"`
	UptimeSeconds int64          `json:"uptime_seconds"`
	Sources       []SourceJSON   `json:"sources"` // shadows plainStatus's
	Deliveries    DeliveriesJSON `json:"deliveries"`
	Errors        *[]string      `json:"errors,omitempty"`
}

// plainStatus is Status without its MarshalJSON, so that marshalling does not recurse.
type plainStatus Status

func (s Status) document(errs *[]string) statusDocument {
	sources := make([]SourceJSON, len(s.Sources))
	for i, src := range s.Sources {
		sources[i] = SourceJSON{
			Name: src.Name, Type: src.Type, LastSuccess: src.LastSuccess,
			LastError: src.LastError, LastErrorAt: src.LastErrorAt,
			Failures: src.Failures, Open: src.Open, NextPoll: src.NextPoll,
		}
	}
	p := plainStatus(s)
	if p.Platforms == nil {
		p.Platforms = []PlatformStatus{}
	}
	if p.Disabled == nil {
		p.Disabled = []DisabledSubscription{}
	}
	if p.DeadLetters == nil {
		p.DeadLetters = []DeadLetter{}
	}
	d, up := s.Deliveries, s.Uptime()
	return statusDocument{
		plainStatus:   p,
		Uptime:        up.Truncate(time.Second).String(),
		UptimeSeconds: int64(up / time.Second),
		Sources:       sources,
		Deliveries:    DeliveriesJSON{Queued: d.Queued, Pending: d.Pending, InDoubt: d.InDoubt, Dead: d.Dead, Sent: d.Sent},
		Errors:        errs,
	}
}

//go:embed status.html
var statusHTML string

//go:embed status.css
var statusCSS []byte

// statusPolicy is the Content-Security-Policy of every status answer: nothing but this
// origin's stylesheet and forms, no script, no framing.
const statusPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// statusPage serves the status routes.
type statusPage struct {
	log    *slog.Logger
	status func(ctx context.Context) (Status, error)
	auth   *statusAuth
	tmpl   *template.Template
	now    func() time.Time
}

func newStatusPage(opts Options) *statusPage {
	log := opts.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &statusPage{
		log:    log,
		status: opts.Status,
		auth:   newStatusAuth(opts.AdminToken, opts.Protected),
		tmpl:   template.Must(template.New("status").Funcs(template.FuncMap{"iso": isoUTC}).Parse(statusHTML)),
		now:    time.Now,
	}
}

// guard adds the security headers to every answer and hides the route when the page is
// disabled (protected without a token).
func (p *statusPage) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p.auth.disabled() {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Security-Policy", statusPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}

// guardPost is guard for the state-changing routes, which also refuse cross-origin requests.
func (p *statusPage) guardPost(next http.Handler) http.Handler {
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "cross-origin request refused", http.StatusForbidden)
	}))
	return p.guard(csrf.Handler(next))
}

// read gathers the facts and splits the error into sentences; it never fails.
func (p *statusPage) read(ctx context.Context) (Status, []string) {
	st, err := p.status(ctx)
	if st.Now.IsZero() {
		st.Now = p.now()
	}
	var problems []string
	if err != nil {
		p.log.WarnContext(ctx, "status page: some facts could not be read", "err", err)
		problems = sentences(err)
	}
	if !st.Store.Healthy && st.Store.Error != "" {
		problems = append(problems, "The store is unhealthy: "+st.Store.Error)
	}
	return st, problems
}

// sentences is one text per error joined in err.
func sentences(err error) []string {
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) {
		var out []string
		for _, e := range joined.Unwrap() {
			if e != nil {
				out = append(out, sentences(e)...)
			}
		}
		return out
	}
	return []string{err.Error()}
}

// statusView is what status.html renders.
type statusView struct {
	Status
	Problems []string
	// Open is true when the page needs no token (no platform credentials are set).
	Open bool
	// Session is true when a session cookie authorised the request: the page offers logout.
	Session bool
}

// moment is a time as the page shows it: ISO in UTC with how long ago (or in how long).
type moment struct {
	T   time.Time
	Ago string
}

// When is t with how far it is from when the facts were read.
func (v statusView) When(t time.Time) moment { return moment{T: t, Ago: relative(t, v.Now)} }

// UptimeText is the uptime for people.
func (v statusView) UptimeText() string { return v.Uptime().Truncate(time.Second).String() }

// Page serves GET /status: the facts as HTML, or a redirect to the login form.
func (p *statusPage) Page() http.Handler {
	return p.guard(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		how := p.auth.authorised(r)
		switch how {
		case noCredentials:
			http.Redirect(w, r, "/status/login", http.StatusSeeOther)
			return
		case wrongCredentials:
			w.Header().Set("WWW-Authenticate", `Bearer realm="careerbot status"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		st, problems := p.read(r.Context())
		p.render(w, r, http.StatusOK, "page", statusView{Status: st, Problems: problems, Open: !p.auth.protected, Session: how == bySession})
	}))
}

// JSON serves GET /status.json: the same facts, for monitors and scripts.
func (p *statusPage) JSON() http.Handler {
	return p.guard(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p.auth.authorised(r) < authorised {
			w.Header().Set("WWW-Authenticate", `Bearer realm="careerbot status"`)
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "unauthorized"})
			return
		}
		st, problems := p.read(r.Context())
		code := http.StatusOK
		if !st.Store.Healthy {
			code = http.StatusServiceUnavailable
		}
		if problems == nil {
			problems = []string{}
		}
		writeJSON(w, code, st.document(&problems))
	}))
}

// Style serves GET /status/style.css, the page's only stylesheet (the login form needs it
// too, so it needs no token).
func (p *statusPage) Style() http.Handler {
	return p.guard(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(statusCSS)))
		_, _ = w.Write(statusCSS)
	}))
}

// render executes one template into a buffer first, so that a template error becomes a clean
// 500 rather than half a page.
func (p *statusPage) render(w http.ResponseWriter, r *http.Request, code int, name string, data any) {
	var buf bytes.Buffer
	if err := p.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		p.log.ErrorContext(r.Context(), "status page: render", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write(buf.Bytes())
}

// isoUTC is t in UTC, ISO 8601 to the second, or "" for the zero time.
func isoUTC(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// relative says "never", "just now", "5 minutes ago" or "in 2 hours".
func relative(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	future := d < 0
	if future {
		d = -d
	}
	var amount string
	switch {
	case d < 5*time.Second:
		return "just now"
	case d < time.Minute:
		amount = plural(int(d/time.Second), "second")
	case d < time.Hour:
		amount = plural(int(d/time.Minute), "minute")
	case d < 48*time.Hour:
		amount = plural(int(d/time.Hour), "hour")
	default:
		amount = plural(int(d/(24*time.Hour)), "day")
	}
	if future {
		return "in " + amount
	}
	return amount + " ago"
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
