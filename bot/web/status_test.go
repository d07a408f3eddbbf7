package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

const adminToken = "s3cret-admin-token"

var statusNow = time.Date(2025, 3, 4, 12, 0, 0, 0, time.UTC)

// sampleStatus has one of everything, so that every field is rendered and marshalled.
func sampleStatus() Status {
	return Status{
		Version: "1.2.3",
		Replica: "replica-a",
		Started: statusNow.Add(-90 * time.Minute),
		Now:     statusNow,
		Store:   StoreStatus{Kind: "redis", Where: "redis://redis.internal:6379/0", Healthy: true},
		Platforms: []PlatformStatus{
			{Name: "slack", State: "connected", Detail: "Socket Mode, 3 workspaces"},
			{Name: "discord", State: "down", Detail: "gateway closed: reconnecting"},
		},
		Sources: []jobs.SourceStatus{{
			Name: "seqera", Type: "greenhouse", Every: 30 * time.Minute,
			LastSuccess: statusNow.Add(-10 * time.Minute), LastError: "the board answered 502",
			LastErrorAt: statusNow.Add(-2 * time.Minute), Failures: 1, Open: 12,
			NextPoll: statusNow.Add(5 * time.Minute),
		}},
		Subscriptions: SubscriptionCounts{Total: 3, Active: 2, Disabled: 1},
		Disabled: []DisabledSubscription{{
			Workspace: "slack:T1", Channel: "C1", ID: 7, Query: "golang remote",
			Reason: "the channel was archived", Since: statusNow.Add(-72 * time.Hour),
		}},
		Deliveries: jobs.DeliveryStats{Queued: 4, Pending: 1, InDoubt: 2, Dead: 1, Sent: 99},
		DeadLetters: []DeadLetter{{
			Workspace: "discord:9", Channel: "42", Key: "seqera-123", Openings: 1,
			Reason: "Discord answered 403 Missing Access", At: statusNow.Add(-time.Hour),
		}},
		Poller: PollerStatus{Holder: "replica-a", Token: 17, Until: statusNow.Add(20 * time.Second), Self: true},
	}
}

func staticStatus(st Status, err error) func(context.Context) (Status, error) {
	return func(context.Context) (Status, error) { return st, err }
}

// newStatusServer serves the handler with the status page; its client does not follow
// redirects, so that tests see them.
func newStatusServer(t *testing.T, opts Options) (*httptest.Server, *http.Client) {
	t.Helper()
	opts.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	opts.Metrics = NewMetrics()
	if opts.Status == nil {
		opts.Status = staticStatus(sampleStatus(), nil)
	}
	srv := httptest.NewServer(NewHandler(opts))
	t.Cleanup(srv.Close)
	c := srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return srv, c
}

type answer struct {
	code   int
	header http.Header
	body   string
	resp   *http.Response
}

func do(t *testing.T, c *http.Client, req *http.Request) answer {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header, string(body), resp}
}

func newRequest(t *testing.T, method, url string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func loginRequest(t *testing.T, base, token string) *http.Request {
	t.Helper()
	req := newRequest(t, "POST", base+"/status/login", strings.NewReader(url.Values{"token": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

func TestStatusAccess(t *testing.T) {
	t.Parallel()
	auth := newStatusAuth(adminToken, true)
	valid := auth.session(time.Now().Add(time.Hour))
	expired := auth.session(time.Now().Add(-time.Minute))
	tampered := strings.Replace(valid, valid[:2], "99", 1) // a later expiry with the old signature
	forged := newStatusAuth("another-token", true).session(time.Now().Add(time.Hour))

	type setup struct {
		protected bool
		token     string
	}
	open := setup{false, ""}
	hidden := setup{true, ""}
	guarded := setup{true, adminToken}

	tests := []struct {
		name     string
		setup    setup
		method   string
		path     string
		bearer   string
		cookie   string
		code     int
		location string
	}{
		{"unprotected page is open", open, "GET", "/status", "", "", 200, ""},
		{"unprotected json is open", open, "GET", "/status.json", "", "", 200, ""},
		{"unprotected login form leads to the page", open, "GET", "/status/login", "", "", 303, "/status"},
		{"unprotected page ignores a bearer", open, "GET", "/status", "whatever", "", 200, ""},

		{"no admin token: page is 404", hidden, "GET", "/status", "", "", 404, ""},
		{"no admin token: json is 404", hidden, "GET", "/status.json", "", "", 404, ""},
		{"no admin token: login form is 404", hidden, "GET", "/status/login", "", "", 404, ""},
		{"no admin token: login is 404", hidden, "POST", "/status/login", "", "", 404, ""},
		{"no admin token: logout is 404", hidden, "POST", "/status/logout", "", "", 404, ""},
		{"no admin token: style is 404", hidden, "GET", "/status/style.css", "", "", 404, ""},
		{"no admin token: an empty bearer does not match", hidden, "GET", "/status.json", " ", "", 404, ""},

		{"no credentials: page redirects to login", guarded, "GET", "/status", "", "", 303, "/status/login"},
		{"no credentials: json is 401", guarded, "GET", "/status.json", "", "", 401, ""},
		{"no credentials: login form", guarded, "GET", "/status/login", "", "", 200, ""},
		{"no credentials: style is public", guarded, "GET", "/status/style.css", "", "", 200, ""},
		{"wrong bearer: page is 401", guarded, "GET", "/status", "nope", "", 401, ""},
		{"wrong bearer: json is 401", guarded, "GET", "/status.json", "nope", "", 401, ""},
		{"token prefix is wrong", guarded, "GET", "/status.json", adminToken[:5], "", 401, ""},
		{"right bearer: page", guarded, "GET", "/status", adminToken, "", 200, ""},
		{"right bearer: json", guarded, "GET", "/status.json", adminToken, "", 200, ""},
		{"wrong bearer beats a valid cookie", guarded, "GET", "/status.json", "nope", valid, 401, ""},
		{"valid cookie: page", guarded, "GET", "/status", "", valid, 200, ""},
		{"valid cookie: json", guarded, "GET", "/status.json", "", valid, 200, ""},
		{"valid cookie: login form leads to the page", guarded, "GET", "/status/login", "", valid, 303, "/status"},
		{"expired cookie: json is 401", guarded, "GET", "/status.json", "", expired, 401, ""},
		{"expired cookie: page redirects", guarded, "GET", "/status", "", expired, 303, "/status/login"},
		{"tampered cookie is 401", guarded, "GET", "/status.json", "", tampered, 401, ""},
		{"cookie of another token is 401", guarded, "GET", "/status.json", "", forged, 401, ""},
		{"the token as cookie is 401", guarded, "GET", "/status.json", "", adminToken, 401, ""},
		{"garbage cookie is 401", guarded, "GET", "/status.json", "", "x.y.z", 401, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c := newStatusServer(t, Options{Protected: tt.setup.protected, AdminToken: tt.setup.token})
			req := newRequest(t, tt.method, srv.URL+tt.path, nil)
			if tt.bearer != "" {
				req.Header.Set("Authorization", "Bearer "+tt.bearer)
			}
			if tt.cookie != "" {
				req.AddCookie(&http.Cookie{Name: sessionCookie, Value: tt.cookie})
			}
			a := do(t, c, req)
			if a.code != tt.code {
				t.Fatalf("%s %s: got %d, want %d: %s", tt.method, tt.path, a.code, tt.code, a.body)
			}
			if got := a.header.Get("Location"); got != tt.location {
				t.Errorf("Location %q, want %q", got, tt.location)
			}
			switch {
			case tt.code == 404:
				if strings.TrimSpace(a.body) != "404 page not found" {
					t.Errorf("404 body %q says more than an unknown path would", a.body)
				}
			case tt.code == 401 && tt.path == "/status.json":
				if got := a.header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
					t.Errorf("WWW-Authenticate %q, want Bearer", got)
				}
			}
			if strings.Contains(a.body, adminToken) {
				t.Error("the answer contains the admin token")
			}
		})
	}
}

func TestStatusLogin(t *testing.T) {
	t.Parallel()
	srv, c := newStatusServer(t, Options{Protected: true, AdminToken: adminToken})

	t.Run("wrong token shows the form again", func(t *testing.T) {
		t.Parallel()
		a := do(t, c, loginRequest(t, srv.URL, "guess"))
		if a.code != http.StatusUnauthorized {
			t.Fatalf("got %d, want 401", a.code)
		}
		if len(a.resp.Cookies()) != 0 {
			t.Errorf("a failed login set cookies: %v", a.resp.Cookies())
		}
		for _, want := range []string{"not the admin token", `<label for="token">`, `name="token"`} {
			if !strings.Contains(a.body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
	})

	t.Run("right token sets a session cookie that authorises", func(t *testing.T) {
		t.Parallel()
		a := do(t, c, loginRequest(t, srv.URL, adminToken))
		if a.code != http.StatusSeeOther || a.header.Get("Location") != "/status" {
			t.Fatalf("got %d to %q, want 303 to /status", a.code, a.header.Get("Location"))
		}
		cookie := sessionOf(t, a.resp)
		if !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || cookie.Path != "/status" {
			t.Errorf("cookie %+v: want HttpOnly, SameSite=Strict, Path=/status", cookie)
		}
		if cookie.MaxAge != int(sessionAge/time.Second) {
			t.Errorf("Max-Age %d, want %d", cookie.MaxAge, int(sessionAge/time.Second))
		}
		if cookie.Secure {
			t.Error("Secure set on a plain HTTP request")
		}
		if strings.Contains(cookie.Value, adminToken) {
			t.Error("the cookie holds the token")
		}
		for _, path := range []string{"/status", "/status.json"} {
			req := newRequest(t, "GET", srv.URL+path, nil)
			req.AddCookie(cookie)
			got := do(t, c, req)
			if got.code != http.StatusOK {
				t.Errorf("%s with the cookie: %d", path, got.code)
			}
			if path == "/status" && !strings.Contains(got.body, `action="/status/logout"`) {
				t.Error("a session's page offers no logout")
			}
		}

		out := newRequest(t, "POST", srv.URL+"/status/logout", nil)
		out.AddCookie(cookie)
		a = do(t, c, out)
		if a.code != http.StatusSeeOther || a.header.Get("Location") != "/status/login" {
			t.Fatalf("logout: %d to %q", a.code, a.header.Get("Location"))
		}
		if cleared := sessionOf(t, a.resp); cleared.MaxAge >= 0 || cleared.Value != "" {
			t.Errorf("logout left the cookie: %+v", cleared)
		}
	})

	t.Run("behind a TLS proxy the cookie is Secure", func(t *testing.T) {
		t.Parallel()
		req := loginRequest(t, srv.URL, adminToken)
		req.Header.Set("X-Forwarded-Proto", "https")
		if cookie := sessionOf(t, do(t, c, req).resp); !cookie.Secure {
			t.Error("cookie not Secure")
		}
	})
}

func sessionOf(t *testing.T, resp *http.Response) *http.Cookie {
	t.Helper()
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	t.Fatalf("no %s cookie in %v", sessionCookie, resp.Header["Set-Cookie"])
	return nil
}

func TestStatusCSRF(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		path    string
		origin  string
		fetch   string
		refused bool
	}{
		{"cross-site login", "/status/login", "https://evil.example", "cross-site", true},
		{"cross-site logout", "/status/logout", "https://evil.example", "cross-site", true},
		{"old browser cross-origin login", "/status/login", "https://evil.example", "", true},
		{"same-origin login", "/status/login", "", "same-origin", false},
		{"no browser headers (curl)", "/status/login", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c := newStatusServer(t, Options{Protected: true, AdminToken: adminToken})
			req := loginRequest(t, srv.URL, adminToken)
			req.URL.Path = tt.path
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			if tt.fetch != "" {
				req.Header.Set("Sec-Fetch-Site", tt.fetch)
			}
			a := do(t, c, req)
			if refused := a.code == http.StatusForbidden; refused != tt.refused {
				t.Fatalf("got %d, refused %v, want %v", a.code, refused, tt.refused)
			}
			if tt.refused && len(a.resp.Cookies()) != 0 {
				t.Error("a refused request set a cookie")
			}
		})
	}
}

func TestStatusHeaders(t *testing.T) {
	t.Parallel()
	srv, c := newStatusServer(t, Options{Protected: true, AdminToken: adminToken})
	tests := []struct {
		name, path, bearer string
		code               int
	}{
		{"page", "/status", adminToken, 200},
		{"json", "/status.json", adminToken, 200},
		{"json refused", "/status.json", "", 401},
		{"login form", "/status/login", "", 200},
		{"style", "/status/style.css", "", 200},
	}
	want := map[string]string{
		"Content-Security-Policy": statusPolicy,
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
		"Cache-Control":           "no-store",
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := newRequest(t, "GET", srv.URL+tt.path, nil)
			if tt.bearer != "" {
				req.Header.Set("Authorization", "Bearer "+tt.bearer)
			}
			a := do(t, c, req)
			if a.code != tt.code {
				t.Fatalf("got %d, want %d", a.code, tt.code)
			}
			for k, v := range want {
				if got := a.header.Get(k); got != v {
					t.Errorf("%s: %q, want %q", k, got, v)
				}
			}
			if !strings.Contains(a.header.Get("Content-Security-Policy"), "default-src 'none'") {
				t.Error("CSP does not deny by default")
			}
			if strings.Contains(a.body, "<script") || strings.Contains(a.body, "style=") {
				t.Error("the answer has inline script or style, which the CSP refuses")
			}
		})
	}
}

func TestStatusEscapes(t *testing.T) {
	t.Parallel()
	const evil = `<script>alert(1)</script>`
	st := sampleStatus()
	st.Disabled[0].Query = evil
	st.Disabled[0].Reason = evil
	st.Sources[0].LastError = evil
	st.Platforms[0].Detail = `"><img src=x onerror=alert(1)>`
	srv, c := newStatusServer(t, Options{Status: staticStatus(st, nil)})
	a := do(t, c, newRequest(t, "GET", srv.URL+"/status", nil))
	if a.code != 200 {
		t.Fatalf("got %d", a.code)
	}
	if strings.Contains(a.body, "<script") || strings.Contains(a.body, "<img") {
		t.Fatalf("a dynamic value reached the page unescaped:\n%s", a.body)
	}
	if !strings.Contains(a.body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the escaped text is missing")
	}
}

func TestStatusJSONFields(t *testing.T) {
	t.Parallel()
	srv, c := newStatusServer(t, Options{})
	a := do(t, c, newRequest(t, "GET", srv.URL+"/status.json", nil))
	if a.code != 200 || !strings.HasPrefix(a.header.Get("Content-Type"), "application/json") {
		t.Fatalf("got %d %s", a.code, a.header.Get("Content-Type"))
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(a.body), &doc); err != nil {
		t.Fatal(err)
	}
	hasKeys(t, "status", doc, "version", "replica", "started", "now", "uptime", "uptime_seconds",
		"store", "platforms", "sources", "subscriptions", "disabled", "deliveries", "dead_letters",
		"poller", "errors")
	if len(doc) != 15 {
		t.Errorf("%d top-level keys, want 15: %v", len(doc), doc)
	}
	hasKeys(t, "store", obj(t, doc["store"]), "kind", "where", "healthy", "error")
	hasKeys(t, "platform", first(t, doc["platforms"]), "name", "state", "detail")
	src := first(t, doc["sources"])
	hasKeys(t, "source", src, "name", "type", "last_success", "last_error", "last_error_at", "failures", "open", "next_poll")
	if len(src) != 8 {
		t.Errorf("source has %d keys, want 8 (no validators): %v", len(src), src)
	}
	hasKeys(t, "subscriptions", obj(t, doc["subscriptions"]), "total", "active", "disabled")
	hasKeys(t, "disabled", first(t, doc["disabled"]), "workspace", "channel", "id", "query", "reason", "since")
	hasKeys(t, "deliveries", obj(t, doc["deliveries"]), "queued", "pending", "in_doubt", "dead", "sent")
	hasKeys(t, "dead letter", first(t, doc["dead_letters"]), "workspace", "channel", "key", "openings", "reason", "at")
	hasKeys(t, "poller", obj(t, doc["poller"]), "holder", "token", "until", "self")

	if doc["uptime"] != "1h30m0s" || doc["uptime_seconds"] != float64(5400) {
		t.Errorf("uptime %v, %v seconds", doc["uptime"], doc["uptime_seconds"])
	}
	if got := obj(t, doc["deliveries"])["in_doubt"]; got != float64(2) {
		t.Errorf("in_doubt %v, want 2", got)
	}
	if errs, ok := doc["errors"].([]any); !ok || len(errs) != 0 {
		t.Errorf("errors %v, want []", doc["errors"])
	}
}

func TestStatusJSONEmptyLists(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(Status{Store: StoreStatus{Healthy: true}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"platforms":[]`, `"sources":[]`, `"disabled":[]`, `"dead_letters":[]`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %s", b, want)
		}
	}
	if strings.Contains(string(b), `"errors"`) {
		t.Errorf("a Status alone has errors: %s", b)
	}
}

func hasKeys(t *testing.T, what string, m map[string]any, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("%s lacks %q: %v", what, k, m)
		}
	}
}

func obj(t *testing.T, v any) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%v is not an object", v)
	}
	return m
}

func first(t *testing.T, v any) map[string]any {
	t.Helper()
	l, ok := v.([]any)
	if !ok || len(l) == 0 {
		t.Fatalf("%v is not a non-empty list", v)
	}
	return obj(t, l[0])
}

func TestStatusPartial(t *testing.T) {
	t.Parallel()
	partial := sampleStatus()
	partial.Subscriptions = SubscriptionCounts{}
	partial.Disabled, partial.DeadLetters = nil, nil
	readErr := errors.Join(
		errors.New("the subscriptions could not be read: the store timed out"),
		errors.New("the dead letters could not be read: the store timed out"),
	)
	down := partial
	down.Store = StoreStatus{Kind: "redis", Where: "redis://redis.internal:6379/0", Error: "connection refused"}

	tests := []struct {
		name     string
		st       Status
		err      error
		jsonCode int
		problems []string
	}{
		{"store up, some facts missing", partial, readErr, 200, []string{
			"the subscriptions could not be read: the store timed out",
			"the dead letters could not be read: the store timed out",
		}},
		{"store down", down, readErr, 503, []string{
			"the subscriptions could not be read: the store timed out",
			"the dead letters could not be read: the store timed out",
			"The store is unhealthy: connection refused",
		}},
		{"nothing but the process", Status{Version: "1.2.3"}, errors.New("the store is not configured"), 503, []string{
			"the store is not configured",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c := newStatusServer(t, Options{Status: staticStatus(tt.st, tt.err)})

			page := do(t, c, newRequest(t, "GET", srv.URL+"/status", nil))
			if page.code != 200 {
				t.Fatalf("page: %d", page.code)
			}
			for _, p := range tt.problems {
				if !strings.Contains(page.body, "<li>"+p+"</li>") {
					t.Errorf("the page does not say %q", p)
				}
			}
			if len(tt.st.Sources) > 0 && !strings.Contains(page.body, "seqera") {
				t.Error("the facts that were read are missing")
			}
			if len(tt.st.Sources) == 0 && !strings.Contains(page.body, "No job source is configured.") {
				t.Error("no empty state for the sources")
			}

			a := do(t, c, newRequest(t, "GET", srv.URL+"/status.json", nil))
			if a.code != tt.jsonCode {
				t.Fatalf("json: %d, want %d", a.code, tt.jsonCode)
			}
			var doc struct {
				Version string   `json:"version"`
				Errors  []string `json:"errors"`
			}
			if err := json.Unmarshal([]byte(a.body), &doc); err != nil {
				t.Fatal(err)
			}
			if strings.Join(doc.Errors, "|") != strings.Join(tt.problems, "|") {
				t.Errorf("errors %q, want %q", doc.Errors, tt.problems)
			}
			if doc.Version != tt.st.Version {
				t.Errorf("version %q, want %q", doc.Version, tt.st.Version)
			}
		})
	}
}

func TestStatusEmpty(t *testing.T) {
	t.Parallel()
	srv, c := newStatusServer(t, Options{Status: staticStatus(Status{Store: StoreStatus{Kind: "embedded", Healthy: true}}, nil)})
	a := do(t, c, newRequest(t, "GET", srv.URL+"/status", nil))
	if a.code != 200 {
		t.Fatalf("got %d", a.code)
	}
	for _, want := range []string{
		"No platform is configured.", "No job source is configured.", "No subscription is disabled.",
		"No dead letters.", "No replica holds the poller lock", "open because no platform credentials are set",
	} {
		if !strings.Contains(a.body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

func TestStatusRoutesOff(t *testing.T) {
	t.Parallel()
	srv, _, _ := newServer(t) // Options.Status nil
	for _, path := range []string{"/status", "/status.json", "/status/login"} {
		if code, _ := get(t, srv.URL+path); code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, code)
		}
	}
}

func TestStatusPageDates(t *testing.T) {
	t.Parallel()
	srv, c := newStatusServer(t, Options{})
	a := do(t, c, newRequest(t, "GET", srv.URL+"/status", nil))
	for _, want := range []string{
		`<time datetime="2025-03-04T11:50:00Z">2025-03-04T11:50:00Z</time> <span class="ago">(10 minutes ago)</span>`,
		`(in 5 minutes)`,
		`up 1h30m0s`,
		`<caption id="sources-caption">`,
		`<th scope="col">Last success</th>`,
	} {
		if !strings.Contains(a.body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

func TestRelative(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		d    time.Duration
		want string
	}{
		{"now", 0, "just now"},
		{"seconds", 30 * time.Second, "30 seconds ago"},
		{"one minute", time.Minute, "1 minute ago"},
		{"minutes", 59 * time.Minute, "59 minutes ago"},
		{"hours", 47 * time.Hour, "47 hours ago"},
		{"days", 72 * time.Hour, "3 days ago"},
		{"future", -2 * time.Hour, "in 2 hours"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := relative(statusNow.Add(-tt.d), statusNow); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if got := relative(time.Time{}, statusNow); got != "never" {
		t.Errorf("zero time: %q", got)
	}
}
