package discordfake_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/bot/discord/discordfake"
)

// send posts body to channel's messages at the fake (through discord.com, as discordgo would)
// and returns the status, headers and decoded answer.
func send(t *testing.T, f *discordfake.Server, version, channel, contentType, body string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "https://discord.com/api/"+version+"/channels/"+channel+"/messages", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bot test")
	req.Header.Set("Content-Type", contentType)
	resp, err := f.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("answer %q: %v", raw, err)
	}
	return resp.StatusCode, resp.Header, out
}

func sendJSON(t *testing.T, f *discordfake.Server, channel, body string) (int, http.Header, map[string]any) {
	t.Helper()
	return send(t, f, "v10", channel, "application/json", body)
}

func TestNonce(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		second  string
		stored  int
		sameID  bool
		window  time.Duration
		channel string // of the second post
	}{
		{"enforced", `{"content":"b","nonce":"n1","enforce_nonce":true}`, 1, true, discordfake.DefaultWindow, "C1"},
		{"not enforced", `{"content":"b","nonce":"n1"}`, 2, false, discordfake.DefaultWindow, "C1"},
		{"other channel", `{"content":"b","nonce":"n1","enforce_nonce":true}`, 1, false, discordfake.DefaultWindow, "C2"},
		{"window over", `{"content":"b","nonce":"n1","enforce_nonce":true}`, 2, false, 0, "C1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := discordfake.New(t)
			f.SetWindow(c.window)
			_, _, first := sendJSON(t, f, "C1", `{"content":"a","nonce":"n1","enforce_nonce":true}`)
			status, _, second := sendJSON(t, f, c.channel, c.second)
			if status != http.StatusOK {
				t.Fatalf("status %d: %v", status, second)
			}
			if same := first["id"] == second["id"]; same != c.sameID {
				t.Errorf("ids %v and %v", first["id"], second["id"])
			}
			if got := f.Count("C1", "n1"); got != c.stored {
				t.Errorf("%d stored in C1, want %d", got, c.stored)
			}
			if c.sameID && second["content"] != "a" {
				t.Errorf("the answer is not the first message: %v", second)
			}
		})
	}
}

func TestMessageStored(t *testing.T) {
	t.Parallel()
	f := discordfake.New(t)
	status, _, out := send(t, f, "v9", "C1", "application/json",
		`{"embeds":[{"title":"T"}],"components":[],"nonce":12345,"enforce_nonce":true,"allowed_mentions":{"parse":[]}}`)
	if status != http.StatusOK {
		t.Fatalf("status %d: %v", status, out)
	}
	msgs := f.Messages("C1")
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	m := msgs[0]
	if m.ID != out["id"] || m.Nonce != "12345" || !m.EnforceNonce || string(m.AllowedMentions) != `{"parse":[]}` ||
		string(m.Embeds) != `[{"title":"T"}]` || m.At.IsZero() {
		t.Errorf("stored %+v, answered %v", m, out)
	}
	_, _, next := sendJSON(t, f, "C1", `{"content":"x"}`)
	a, _ := strconv.ParseInt(m.ID, 10, 64)
	b, _ := strconv.ParseInt(next["id"].(string), 10, 64)
	if b <= a {
		t.Errorf("ids %d then %d: not increasing", a, b)
	}
	if len(f.All()) != 2 || f.Requests() != 2 {
		t.Errorf("%d messages, %d requests", len(f.All()), f.Requests())
	}
}

func TestMultipart(t *testing.T) {
	t.Parallel()
	f := discordfake.New(t)
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="payload_json"`)
	h.Set("Content-Type", "application/json")
	p, _ := w.CreatePart(h)
	_, _ = p.Write([]byte(`{"content":"with a file","nonce":"m1"}`))
	file, _ := w.CreateFormFile("files[0]", "a.txt")
	_, _ = file.Write([]byte("hello"))
	_ = w.Close()
	status, _, out := send(t, f, "v10", "C1", w.FormDataContentType(), buf.String())
	if status != http.StatusOK || f.Count("C1", "m1") != 1 || f.Messages("C1")[0].Content != "with a file" {
		t.Errorf("status %d %v; %+v", status, out, f.Messages("C1"))
	}
}

func TestRefusals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		setup  func(*discordfake.Server)
		body   string
		status int
		code   float64
	}{
		{"unknown channel", func(f *discordfake.Server) { f.ChannelError("C1", 404, 10003) }, `{"content":"x"}`, 404, 10003},
		{"missing permissions", func(f *discordfake.Server) { f.ChannelError("C1", 403, 50013) }, `{"content":"x"}`, 403, 50013},
		{"fail next", func(f *discordfake.Server) { f.FailNext(1, 503) }, `{"content":"x"}`, 503, 0},
		{"nonce too long", func(*discordfake.Server) {}, `{"content":"x","nonce":"` + strings.Repeat("n", 26) + `"}`, 400, 50035},
		{"empty", func(*discordfake.Server) {}, `{"content":""}`, 400, 50006},
		{"not JSON", func(*discordfake.Server) {}, `{`, 400, 50109},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := discordfake.New(t)
			c.setup(f)
			status, h, out := sendJSON(t, f, "C1", c.body)
			if status != c.status || out["code"] != c.code {
				t.Errorf("status %d %v, want %d code %v", status, out, c.status, c.code)
			}
			if h.Get("X-RateLimit-Bucket") == "" {
				t.Error("no rate-limit headers")
			}
			if n := len(f.All()); n != 0 {
				t.Errorf("%d messages stored", n)
			}
		})
	}
}

func TestCreateThenFail(t *testing.T) {
	t.Parallel()
	f := discordfake.New(t)
	f.CreateThenFail(1, http.StatusBadGateway)
	status, _, _ := sendJSON(t, f, "C1", `{"content":"x","nonce":"n","enforce_nonce":true}`)
	if status != http.StatusBadGateway || f.Count("C1", "n") != 1 {
		t.Fatalf("status %d, %d stored", status, f.Count("C1", "n"))
	}
	status, _, out := sendJSON(t, f, "C1", `{"content":"x","nonce":"n","enforce_nonce":true}`)
	if status != http.StatusOK || out["id"] != f.Messages("C1")[0].ID || f.Count("C1", "n") != 1 {
		t.Errorf("status %d %v, %d stored", status, out, f.Count("C1", "n"))
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	f := discordfake.New(t)
	f.Bucket(2, time.Minute)
	for i, want := range []string{"1", "0"} {
		status, h, _ := sendJSON(t, f, "C1", `{"content":"x"}`)
		if status != http.StatusOK || h.Get("X-RateLimit-Limit") != "2" || h.Get("X-RateLimit-Remaining") != want {
			t.Errorf("post %d: status %d, limit %q, remaining %q", i, status, h.Get("X-RateLimit-Limit"), h.Get("X-RateLimit-Remaining"))
		}
		after, err := strconv.ParseFloat(h.Get("X-RateLimit-Reset-After"), 64)
		reset, err2 := strconv.ParseFloat(h.Get("X-RateLimit-Reset"), 64)
		if err != nil || err2 != nil || after <= 0 || after > 60 || reset < float64(time.Now().Unix()) {
			t.Errorf("post %d: reset-after %q, reset %q", i, h.Get("X-RateLimit-Reset-After"), h.Get("X-RateLimit-Reset"))
		}
	}
	status, h, out := sendJSON(t, f, "C1", `{"content":"x"}`)
	retry, _ := out["retry_after"].(float64)
	if status != http.StatusTooManyRequests || out["message"] != "You are being rate limited." || out["global"] != false ||
		retry <= 0 || retry > 60 || h.Get("Retry-After") == "" {
		t.Errorf("over the limit: status %d %v, Retry-After %q", status, out, h.Get("Retry-After"))
	}
	// Another channel has its own bucket.
	if status, _, _ := sendJSON(t, f, "C2", `{"content":"x"}`); status != http.StatusOK {
		t.Errorf("C2: status %d", status)
	}
	if f.RateLimited() != 1 || len(f.Messages("C1")) != 2 {
		t.Errorf("%d 429s, %d messages in C1", f.RateLimited(), len(f.Messages("C1")))
	}
	if got := f.Answers("C1"); len(got) != 3 || got[2] != http.StatusTooManyRequests {
		t.Errorf("answers %v", got)
	}
}

func TestUnknownRouteAndVersion(t *testing.T) {
	t.Parallel()
	f := discordfake.New(t)
	if status, _, _ := send(t, f, "v8", "C1", "application/json", `{"content":"x"}`); status != http.StatusNotFound {
		t.Errorf("v8: status %d", status)
	}
	resp, err := f.Client().Get("https://discord.com/api/v10/users/@me")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /users/@me: status %d", resp.StatusCode)
	}
}
