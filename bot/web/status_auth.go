package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Sessions of the status page. The login form exchanges the admin token for a cookie that
// does not hold the token: its value is an expiry time and an HMAC-SHA256 of it keyed by the
// token, checked on every request. Any replica that knows the token checks any replica's
// cookie, so sessions survive restarts and load balancing; changing CAREERBOT_ADMIN_TOKEN ends
// every session at once. Logout deletes the cookie from the browser; a copy taken before
// stays valid until it expires (sessionAge), which is the price of keeping no session state.
const (
	sessionCookie = "careerbot_status"
	sessionAge    = 12 * time.Hour
	// loginFailDelay is how long each failed login holds a per-process lock, so that guessing
	// the token is limited to a few tries a second whatever the number of connections.
	loginFailDelay = 300 * time.Millisecond
	sessionContext = "careerbot status session\x00"
)

// access is what a request's credentials amount to.
type access int

const (
	noCredentials    access = iota // neither a bearer token nor a valid session cookie
	wrongCredentials               // a bearer token that is not the admin token
	authorised                     // the right bearer token, or the page needs none
	bySession                      // a valid session cookie
)

// statusAuth decides who may read the status page.
type statusAuth struct {
	protected bool
	token     []byte
	digest    [sha256.Size]byte
	now       func() time.Time
	fails     sync.Mutex // held for loginFailDelay by each failed login
}

func newStatusAuth(token string, protected bool) *statusAuth {
	return &statusAuth{protected: protected, token: []byte(token), digest: sha256.Sum256([]byte(token)), now: time.Now}
}

// disabled says the page must not exist: platform credentials are set and no admin token is.
func (a *statusAuth) disabled() bool { return a.protected && len(a.token) == 0 }

// authorised checks a request's credentials. A bearer header, when present, decides alone.
func (a *statusAuth) authorised(r *http.Request) access {
	if !a.protected {
		return authorised
	}
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, given, ok := strings.Cut(h, " ")
		if ok && strings.EqualFold(scheme, "Bearer") && a.matches(strings.TrimSpace(given)) {
			return authorised
		}
		return wrongCredentials
	}
	if c, err := r.Cookie(sessionCookie); err == nil && a.validSession(c.Value) {
		return bySession
	}
	return noCredentials
}

// matches compares digests of equal length in constant time, so that neither the token's
// content nor its length leaks through timing.
func (a *statusAuth) matches(given string) bool {
	d := sha256.Sum256([]byte(given))
	return subtle.ConstantTimeCompare(d[:], a.digest[:]) == 1
}

// session returns a cookie value that expires at expiry.
func (a *statusAuth) session(expiry time.Time) string {
	exp := strconv.FormatInt(expiry.Unix(), 10)
	return exp + "." + base64.RawURLEncoding.EncodeToString(a.mac(exp))
}

func (a *statusAuth) mac(exp string) []byte {
	m := hmac.New(sha256.New, a.token)
	m.Write([]byte(sessionContext + exp))
	return m.Sum(nil)
}

// validSession checks a cookie value's signature and expiry.
func (a *statusAuth) validSession(v string) bool {
	exp, sig, ok := strings.Cut(v, ".")
	if !ok {
		return false
	}
	unix, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || !a.now().Before(time.Unix(unix, 0)) {
		return false
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil {
		return false
	}
	return hmac.Equal(got, a.mac(exp))
}

// secure says whether the request reached us over TLS, directly or through a proxy.
func secure(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func (a *statusAuth) setSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Value:    a.session(a.now().Add(sessionAge)),
		Path:     "/status",
		MaxAge:   int(sessionAge / time.Second),
		HttpOnly: true,
		Secure:   secure(r),
		SameSite: http.SameSiteStrictMode,
	})
}

func clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name:     sessionCookie,
		Path:     "/status",
		MaxAge:   -1,
		HttpOnly: true,
		Secure:   secure(r),
		SameSite: http.SameSiteStrictMode,
	})
}

// failed holds the per-process lock for loginFailDelay, or until the client goes away.
func (a *statusAuth) failed(r *http.Request) {
	a.fails.Lock()
	defer a.fails.Unlock()
	t := time.NewTimer(loginFailDelay)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}

// loginView is what the login template renders.
type loginView struct {
	Error string
}

// LoginForm serves GET /status/login. Without protection there is nothing to log in to.
func (p *statusPage) LoginForm() http.Handler {
	return p.guard(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p.auth.authorised(r) >= authorised {
			http.Redirect(w, r, "/status", http.StatusSeeOther)
			return
		}
		p.render(w, r, http.StatusOK, "login", loginView{})
	}))
}

// Login serves POST /status/login: the form field "token" exchanged for a session cookie.
func (p *statusPage) Login() http.Handler {
	return p.guardPost(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !p.auth.protected {
			http.Redirect(w, r, "/status", http.StatusSeeOther)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
		if err := r.ParseForm(); err != nil {
			p.render(w, r, http.StatusBadRequest, "login", loginView{Error: "The form could not be read; try again."})
			return
		}
		if !p.auth.matches(r.PostForm.Get("token")) {
			p.log.WarnContext(r.Context(), "status page: failed login", "remote", r.RemoteAddr)
			p.auth.failed(r)
			p.render(w, r, http.StatusUnauthorized, "login", loginView{Error: "That is not the admin token. Check CAREERBOT_ADMIN_TOKEN and try again."})
			return
		}
		p.auth.setSession(w, r)
		http.Redirect(w, r, "/status", http.StatusSeeOther)
	}))
}

// Logout serves POST /status/logout: the session cookie deleted.
func (p *statusPage) Logout() http.Handler {
	return p.guardPost(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		clearSession(w, r)
		to := "/status/login"
		if !p.auth.protected {
			to = "/status"
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
	}))
}
