package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"

	"github.com/careerbot/careerbot/bot/webhook"
)

// maxSkew is how far from now a request's timestamp may be: Slack's signature scheme refuses
// older requests (replay protection).
const maxSkew = 5 * time.Minute

// Reasons a request is refused, as counted in careerbot_rejected_requests_total.
var (
	errNoSignature  = webhook.Refuse("no_signature", "missing signature headers")
	errBadTimestamp = webhook.Refuse("bad_timestamp", "timestamp is not a number")
	errStale        = webhook.Refuse("stale_timestamp", "timestamp outside 5 minutes of now")
	errBadSignature = webhook.Refuse("bad_signature", "signature does not match")
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
