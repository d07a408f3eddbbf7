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
	"strconv"
	"unicode/utf8"
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
	WriteEncoded(w, data, err)
}

// WriteEncoded answers 200 with data, JSON that the caller encoded, or 500 when encoding failed.
// The answer is complete on the wire when WriteEncoded returns (its length is set and it is
// flushed), so it may be an acknowledgement given while the handler is still working.
func WriteEncoded(w http.ResponseWriter, data []byte, err error) {
	if err != nil {
		http.Error(w, "cannot encode the answer", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
	_ = http.NewResponseController(w).Flush()
}

// Acknowledge answers an empty 200, complete on the wire when it returns, like WriteEncoded.
func Acknowledge(w http.ResponseWriter) {
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
	_ = http.NewResponseController(w).Flush()
}

const hexDigits = "0123456789abcdef"

// AppendString appends s as a JSON string, escaping as encoding/json does: quotes, backslashes,
// control characters, <, > and &, U+2028 and U+2029; invalid UTF-8 becomes U+FFFD.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\t':
				b = append(b, '\\', 't')
			case '\r':
				b = append(b, '\\', 'r')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, `\u202`...)
				b = strconv.AppendInt(b, int64(r&0xf), 16)
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
