package slack

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	goslack "github.com/slack-go/slack"
)

// Codes of APIError besides Slack's own error codes.
const (
	codeRateLimited  = "ratelimited"   // HTTP 429, Slack's own code for it
	codeNotInstalled = "not_installed" // no token for the workspace
)

// defaultRetryAfter is the wait assumed for a 429 that does not say how long to wait.
const defaultRetryAfter = 30 * time.Second

// APIError is a failed call of Slack's Web API (or a call that could not be made: no token for
// the workspace), classified for the delivery path: it has the methods Permanent, WorkspaceWide
// and RetryAfter that delivery reads with errors.As. Errors of HTTP 5xx and of the network are
// none of these: transient, worth retrying.
type APIError struct {
	Method string // the Web API method: "chat.postMessage"
	// Code is Slack's error code ("channel_not_found"), "ratelimited" for HTTP 429,
	// "http_503" for another HTTP status, "not_installed" when the workspace has no token, or
	// "" when Slack never answered (network, context).
	Code  string
	Retry time.Duration // the wait Slack asked for, with HTTP 429
	Err   error         // what slack-go or the token lookup returned
	// Unsent is true when the call failed before any request left (the token could not be
	// read): nothing was posted, whatever the cause.
	Unsent bool
}

// Error says which method failed and why; it never holds a token.
func (e *APIError) Error() string { return fmt.Sprintf("slack %s: %v", e.Method, e.Err) }

// Unwrap returns the underlying error.
func (e *APIError) Unwrap() error { return e.Err }

// Permanent says the call will fail again however often it is retried, until someone acts: the
// channel is gone or archived, careerbot is not in it or lacks a scope, or the workspace's token
// is dead or missing.
func (e *APIError) Permanent() bool {
	switch e.Code {
	case "channel_not_found", "is_archived", "channel_is_archived", "not_in_channel", "restricted_action",
		"missing_scope", "account_inactive", "invalid_auth", "token_revoked", codeNotInstalled:
		return true
	}
	return false
}

// WorkspaceWide says the failure concerns every channel of the workspace: its token.
func (e *APIError) WorkspaceWide() bool {
	switch e.Code {
	case "account_inactive", "invalid_auth", "token_revoked", codeNotInstalled:
		return true
	}
	return false
}

// RetryAfter is the wait Slack asked for, or 0 when the call was not rate limited.
func (e *APIError) RetryAfter() time.Duration { return e.Retry }

// NotPosted says Slack answered and refused the call, so a post did not happen: any answer
// but a 5xx. With no answer (network, context) or a 5xx, the post may have been made.
func (e *APIError) NotPosted() bool {
	return e.Unsent || e.Code != "" && !strings.HasPrefix(e.Code, "http_5")
}

// apiError classifies err, returned by a call of method (or by the token lookup before it).
func apiError(method string, err error) *APIError {
	e := &APIError{Method: method, Err: err}
	var (
		slackErr   goslack.SlackErrorResponse
		rateErr    *goslack.RateLimitedError
		statusErr  goslack.StatusCodeError
		already    *APIError
		noInstance = errors.Is(err, errNotInstalled)
	)
	switch {
	case errors.As(err, &already):
		return already
	case noInstance:
		e.Code = codeNotInstalled
	case errors.As(err, &rateErr):
		// A Retry-After of 0 still means "not now": wait at least a second.
		e.Code, e.Retry = codeRateLimited, max(rateErr.RetryAfter, time.Second)
	case errors.As(err, &statusErr) && statusErr.Code == http.StatusTooManyRequests:
		e.Code, e.Retry = codeRateLimited, defaultRetryAfter
	case errors.As(err, &statusErr):
		e.Code = fmt.Sprintf("http_%d", statusErr.Code)
	case errors.As(err, &slackErr):
		e.Code = slackErr.Err
		if e.Code == codeRateLimited { // ok:false without the HTTP 429
			e.Retry = defaultRetryAfter
		}
	}
	return e
}
