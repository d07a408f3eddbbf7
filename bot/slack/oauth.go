package slack

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/internal/kv"
	goslack "github.com/slack-go/slack"
)

// botScopes are what careerbot asks a workspace for: slash commands, reading its mentions,
// posting, users.info for the admin check, conversations.info for the check before a
// subscription (channels:read, groups:read), and conversations.history to settle a delivery
// whose outcome was lost (channels:history, groups:history). chat:write.public is not asked
// for: without it careerbot posts only where it was invited, and PostCheck says so.
var botScopes = []string{"commands", "app_mentions:read", "chat:write", "users:read",
	"channels:read", "groups:read", "channels:history", "groups:history"}

// stateTTL is how long an install link stays valid.
const stateTTL = 10 * time.Minute

// authorizeURL is where Slack's OAuth v2 consent page lives.
const authorizeURL = "https://slack.com/oauth/v2/authorize"

// keys are derived from CAREERBOT_SECRET_KEY with HKDF, one per purpose, so the same secret
// never serves two.
type keys struct {
	token cipher.AEAD // encrypts stored bot tokens
	state []byte      // signs OAuth state
}

func deriveKeys(secret string) keys {
	if secret == "" {
		return keys{}
	}
	enc, err := hkdf.Key(sha256.New, []byte(secret), nil, "careerbot slack token encryption", 32)
	if err != nil {
		panic(err) // only for a key length SHA-256 cannot produce; 32 is fine
	}
	st, err := hkdf.Key(sha256.New, []byte(secret), nil, "careerbot slack oauth state", 32)
	if err != nil {
		panic(err)
	}
	block, err := aes.NewCipher(enc)
	if err != nil {
		panic(err) // a 32-byte key is always valid for AES-256
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return keys{token: aead, state: st}
}

// installation is what an OAuth install stores per team.
type installation struct {
	Team        string    `json:"team"`
	TeamName    string    `json:"team_name"`
	BotUser     string    `json:"bot_user"`
	Token       string    `json:"token"` // AES-256-GCM, base64(nonce|ciphertext), bound to the team id
	InstalledAt time.Time `json:"installed_at"`
}

func installKey(ws string) string { return "careerbot:{" + ws + "}:slack:installation" }

// errNotInstalled means a team has no stored token and there is no single-workspace token.
var errNotInstalled = errors.New("careerbot is not installed in this workspace")

// token returns the bot token that acts in team.
func (a *Adapter) token(ctx context.Context, team string) (string, error) {
	if a.cfg.BotToken != "" {
		return a.cfg.BotToken, nil
	}
	ws, err := bot.WorkspaceKey(bot.PlatformSlack, team)
	if err != nil {
		return "", err
	}
	raw, err := a.kv.Get(ctx, installKey(ws))
	if errors.Is(err, kv.ErrNotFound) {
		return "", errNotInstalled
	}
	if err != nil {
		return "", fmt.Errorf("read installation: %w", err)
	}
	var inst installation
	if err := json.Unmarshal(raw, &inst); err != nil {
		return "", fmt.Errorf("decode installation: %w", err)
	}
	token, err := a.keys.open(inst.Token, team)
	if err != nil {
		// Unusable until the workspace installs careerbot again: as good as not installed.
		return "", fmt.Errorf("%w: its stored token cannot be decrypted (was CAREERBOT_SECRET_KEY changed? install again): %v", errNotInstalled, err)
	}
	return token, nil
}

func (k keys) seal(token, team string) (string, error) {
	if k.token == nil {
		return "", errors.New("no CAREERBOT_SECRET_KEY to encrypt tokens with")
	}
	nonce := make([]byte, k.token.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(k.token.Seal(nonce, nonce, []byte(token), []byte(team))), nil
}

func (k keys) open(sealed, team string) (string, error) {
	if k.token == nil {
		return "", errors.New("no CAREERBOT_SECRET_KEY to decrypt tokens with")
	}
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < k.token.NonceSize() {
		return "", errors.New("stored token is malformed")
	}
	plain, err := k.token.Open(nil, raw[:k.token.NonceSize()], raw[k.token.NonceSize():], []byte(team))
	if err != nil {
		return "", errors.New("stored token does not decrypt with CAREERBOT_SECRET_KEY")
	}
	return string(plain), nil
}

// newState returns a signed, expiring OAuth state: nonce.expiry.mac.
func (k keys) newState(now time.Time) (string, error) {
	nonce := make([]byte, 16)
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	body := base64.RawURLEncoding.EncodeToString(nonce) + "." + strconv.FormatInt(now.Add(stateTTL).Unix(), 10)
	return body + "." + k.mac(body), nil
}

func (k keys) mac(body string) string {
	m := hmac.New(sha256.New, k.state)
	m.Write([]byte(body))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkState verifies a state's signature and expiry and returns its nonce.
func (k keys) checkState(state string, now time.Time) (string, error) {
	nonce, rest, ok1 := strings.Cut(state, ".")
	exp, mac, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || k.state == nil {
		return "", errors.New("malformed state")
	}
	if !hmac.Equal([]byte(mac), []byte(k.mac(nonce+"."+exp))) {
		return "", errors.New("state signature does not match")
	}
	sec, err := strconv.ParseInt(exp, 10, 64)
	if err != nil || now.After(time.Unix(sec, 0)) {
		return "", errors.New("state expired")
	}
	return nonce, nil
}

// Install returns the handler of GET /slack/install: a redirect to Slack's consent page with a
// fresh signed state.
func (a *Adapter) Install() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.cfg.ClientID == "" {
			http.Error(w, "installing is not enabled: set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and CAREERBOT_SECRET_KEY", http.StatusNotFound)
			return
		}
		state, err := a.keys.newState(a.now())
		if err != nil {
			http.Error(w, "cannot start the install", http.StatusInternalServerError)
			return
		}
		q := url.Values{"client_id": {a.cfg.ClientID}, "scope": {strings.Join(botScopes, ",")},
			"state": {state}, "redirect_uri": {callbackURL(r)}}
		http.Redirect(w, r, authorizeURL+"?"+q.Encode(), http.StatusFound)
	})
}

// callbackURL is this deployment's OAuth callback, as the browser reached it.
func callbackURL(r *http.Request) string {
	scheme := "https"
	if r.TLS == nil && r.Header.Get("X-Forwarded-Proto") != "https" && strings.HasPrefix(r.Host, "127.0.0.1") {
		scheme = "http"
	}
	return scheme + "://" + r.Host + "/slack/oauth/callback"
}

var installedPage = template.Must(template.New("installed").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>careerbot</title></head>
<body><h1>{{.Title}}</h1><p>{{.Text}}</p></body></html>
`))

// OAuthCallback returns the handler of GET /slack/oauth/callback: it checks the state (signed,
// unexpired, used once), exchanges the code for a bot token with oauth.v2.access and stores the
// token encrypted for the team.
func (a *Adapter) OAuthCallback() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := func(code int, title, text string) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(code)
			_ = installedPage.Execute(w, struct{ Title, Text string }{title, text})
		}
		if a.cfg.ClientID == "" {
			page(http.StatusNotFound, "Installing is not enabled", "This careerbot serves a single workspace.")
			return
		}
		q := r.URL.Query()
		if e := q.Get("error"); e != "" {
			page(http.StatusBadRequest, "careerbot was not installed", "Slack said: "+e+".")
			return
		}
		nonce, err := a.keys.checkState(q.Get("state"), a.now())
		if err != nil {
			a.reject("bad_oauth_state")
			page(http.StatusBadRequest, "This install link is not valid", "Start again from the install page.")
			return
		}
		first, err := a.kv.SetNX(r.Context(), "careerbot:{slack:oauth}:state:"+nonce, nil, stateTTL)
		if err != nil {
			page(http.StatusServiceUnavailable, "Storage is unavailable", "Try the install again in a moment.")
			return
		}
		if !first {
			a.reject("reused_oauth_state")
			page(http.StatusBadRequest, "This install link was already used", "Start again from the install page.")
			return
		}
		resp, err := goslack.GetOAuthV2ResponseContext(r.Context(), a.http, a.cfg.ClientID, a.cfg.ClientSecret,
			q.Get("code"), callbackURL(r), goslack.OAuthOptionAPIURL(a.cfg.APIURL))
		if err != nil {
			a.log.WarnContext(r.Context(), "oauth.v2.access failed", "err", err)
			page(http.StatusBadGateway, "careerbot was not installed", "Slack did not confirm the install. Try again.")
			return
		}
		if err := a.saveInstallation(r.Context(), resp); err != nil {
			a.log.ErrorContext(r.Context(), "store the installation", "workspace", resp.Team.ID, "err", err)
			page(http.StatusServiceUnavailable, "careerbot was not installed", "Its storage is unavailable. Try again in a moment.")
			return
		}
		a.log.InfoContext(r.Context(), "installed", "workspace", resp.Team.ID)
		page(http.StatusOK, "careerbot is installed", "careerbot now answers in "+resp.Team.Name+". Try /explain raft.")
	})
}

func (a *Adapter) saveInstallation(ctx context.Context, resp *goslack.OAuthV2Response) error {
	ws, err := bot.WorkspaceKey(bot.PlatformSlack, resp.Team.ID)
	if err != nil {
		return err
	}
	sealed, err := a.keys.seal(resp.AccessToken, resp.Team.ID)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(installation{Team: resp.Team.ID, TeamName: resp.Team.Name, BotUser: resp.BotUserID,
		Token: sealed, InstalledAt: a.now().UTC()})
	if err != nil {
		return err
	}
	return a.kv.Set(ctx, installKey(ws), raw, 0)
}
