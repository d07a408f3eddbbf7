package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Request limits: Slack's signature scheme refuses requests more than 5 minutes from now
// (replay protection), and no Slack payload comes near 1 MiB.
const (
	maxSkew = 5 * time.Minute
	maxBody = 1 << 20
)

// Reasons a request is refused, as counted in careerbot_rejected_requests_total.
var (
	errNoSignature  = errors.New("missing signature headers")
	errBadTimestamp = errors.New("timestamp is not a number")
	errStale        = errors.New("timestamp outside 5 minutes of now")
	errBadSignature = errors.New("signature does not match")
)

// sign computes Slack's request signature: "v0=" + hex(HMAC-SHA256(secret, "v0:ts:body")).
func sign(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + timestamp + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// verify checks a request's signature headers against its raw body at time now, comparing in
// constant time.
func verify(h http.Header, body []byte, secret string, now time.Time) error {
	ts, got := h.Get("X-Slack-Request-Timestamp"), h.Get("X-Slack-Signature")
	if ts == "" || got == "" {
		return errNoSignature
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errBadTimestamp
	}
	if d := now.Sub(time.Unix(sec, 0)); d > maxSkew || d < -maxSkew {
		return errStale
	}
	if !hmac.Equal([]byte(got), []byte(sign(secret, ts, body))) {
		return errBadSignature
	}
	return nil
}

// readVerified reads a request body of at most 1 MiB and verifies its signature before anything
// parses it. On failure it answers (413 or 401), counts the refusal and returns false; the log
// line names the reason, never the secret or the signature.
func (a *Adapter) readVerified(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		a.reject("too_large")
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return nil, false
	case err != nil:
		a.reject("unreadable")
		http.Error(w, "cannot read the request", http.StatusBadRequest)
		return nil, false
	}
	if err := verify(r.Header, body, a.cfg.SigningSecret, a.now()); err != nil {
		reason := map[error]string{errNoSignature: "no_signature", errBadTimestamp: "bad_timestamp",
			errStale: "stale_timestamp", errBadSignature: "bad_signature"}[err]
		a.reject(reason)
		a.log.WarnContext(r.Context(), "refused an unverified request", "path", r.URL.Path, "reason", err.Error())
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return nil, false
	}
	return body, true
}
