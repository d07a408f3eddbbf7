// Package webhook is what the platform adapters do with a request a platform sends them
// (Slack's slash commands, events and interactions, Discord's interactions): read a size-capped
// body, verify its signature before anything parses it, count and log every refusal by reason,
// and answer with JSON. The adapters differ only in how they verify.
package webhook

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
)

// MaxBody is the largest request body accepted: no Slack or Discord payload comes near 1 MiB.
const MaxBody = 1 << 20

// Refusal is why a request's signature does not verify. Reason is the label counted in
// careerbot_rejected_requests_total; the message goes to the log, never to the caller.
type Refusal struct {
	Reason string
	Msg    string
}

func (r *Refusal) Error() string { return r.Msg }

// Refuse returns a Refusal: a verifier's way to say why.
func Refuse(reason, msg string) error { return &Refusal{Reason: reason, Msg: msg} }

// Metrics counts refused requests. It is optional.
type Metrics interface {
	RejectedRequest(platform, reason string)
}

// Reader reads verified request bodies for one platform.
type Reader struct {
	Platform string
	// Verify checks the request's signature headers against its raw body, returning a Refusal
	// (from Refuse) when they do not match.
	Verify  func(h http.Header, body []byte) error
	Metrics Metrics // may be nil
	Log     *slog.Logger
}

// Read reads a request body of at most MaxBody bytes and verifies it. On failure it answers
// (413, 400 or 401), counts the refusal and returns false; the log line names the reason, never
// a secret or the signature.
func (rd Reader) Read(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		rd.Reject("too_large")
		http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
		return nil, false
	case err != nil:
		rd.Reject("unreadable")
		http.Error(w, "cannot read the request", http.StatusBadRequest)
		return nil, false
	}
	if err := rd.Verify(r.Header, body); err != nil {
		reason := "bad_signature"
		if ref := (*Refusal)(nil); errors.As(err, &ref) {
			reason = ref.Reason
		}
		rd.Reject(reason)
		rd.Log.WarnContext(r.Context(), "refused an unverified request", "path", r.URL.Path, "reason", err.Error())
		http.Error(w, "invalid request signature", http.StatusUnauthorized)
		return nil, false
	}
	return body, true
}

// Reject counts a refused request.
func (rd Reader) Reject(reason string) {
	if rd.Metrics != nil {
		rd.Metrics.RejectedRequest(rd.Platform, reason)
	}
}

// WriteJSON answers 200 with v as JSON.
func WriteJSON(w http.ResponseWriter, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "cannot encode the answer", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(append(data, '\n'))
}
