package discord

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/study"
	"github.com/careerbot/careerbot/bot/web"
	"github.com/careerbot/careerbot/bot/webhook"
	"github.com/careerbot/careerbot/knowledge"
	"github.com/careerbot/careerbot/knowledge/boltstore"
	"github.com/careerbot/careerbot/knowledge/storetest"
	bolt "go.etcd.io/bbolt"
)

// harness is careerbot's HTTP stack with the Discord adapter, a keypair made for the test,
// and a fake Discord REST server.
type harness struct {
	t       testing.TB
	fake    *fakeDiscord
	adapter *Adapter
	srv     *httptest.Server
	priv    ed25519.PrivateKey
	logs    *bytes.Buffer
	release func() // ends the slow store's wait at once
}

func newHarness(t testing.TB, slow time.Duration, commands ...func(*bot.Router)) *harness {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	fake := newFakeDiscord(t)
	db, err := bolt.Open(filepath.Join(t.TempDir(), "t.db"), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	kb, err := knowledge.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var store knowledge.MaterialStore = boltstore.New(db)
	gate := make(chan struct{})
	if slow > 0 {
		store = storetest.Slow{MaterialStore: store, Delay: slow, Gate: gate}
	}
	logs := &bytes.Buffer{}
	log := slog.New(slog.NewJSONHandler(logs, nil))
	metrics := web.NewMetrics()
	router := bot.NewRouter(log, metrics)
	study.Register(router, kb, knowledge.NewLibrary(store, kb), log)
	for _, c := range commands {
		c(router)
	}
	a, err := New(Config{BotToken: "bot-token", ApplicationID: "APP1", PublicKey: pub, APIURL: fake.APIURL(),
		AckBudget: 300 * time.Millisecond}, router, log, metrics)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.NewHandler(web.Options{Log: log, Metrics: metrics, Discord: a}))
	t.Cleanup(srv.Close)
	return &harness{t: t, fake: fake, adapter: a, srv: srv, priv: priv, logs: logs, release: sync.OnceFunc(func() { close(gate) })}
}

// post sends body signed with key (the harness's own when nil).
func (h *harness) post(body string, key ed25519.PrivateKey, mutate func(*http.Request)) (int, []byte) {
	h.t.Helper()
	if key == nil {
		key = h.priv
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/discord/interactions", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Signature-Timestamp", ts)
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(key, []byte(ts+body))))
	if mutate != nil {
		mutate(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func (h *harness) settle() {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.adapter.Close(ctx); err != nil {
		h.t.Fatal(err)
	}
}

// member is a guild member as Discord sends it, with resolved channel permissions.
func member(id string, perms int64) map[string]any {
	return map[string]any{"user": map[string]any{"id": id, "username": "user-" + id, "global_name": "Name " + id},
		"roles": []string{}, "permissions": strconv.FormatInt(perms, 10), "joined_at": "2024-01-01T00:00:00Z"}
}

// Permissions of an ordinary member: view, send, read history; no Manage Channels.
const memberPerms = discordgo.PermissionViewChannel | discordgo.PermissionSendMessages | discordgo.PermissionReadMessageHistory

// interaction builds an interaction payload as Discord sends it.
func interaction(typ discordgo.InteractionType, data map[string]any, m map[string]any) string {
	b, _ := json.Marshal(map[string]any{
		"id": "I" + strconv.FormatInt(time.Now().UnixNano(), 10), "application_id": "APP1", "type": typ, "token": "tok-1",
		"version": 1, "guild_id": "G1", "channel_id": "C1", "member": m, "data": data,
		"app_permissions": "1125899906842623", "locale": "en-US", "guild_locale": "en-US",
		"entitlements": []any{}, "authorizing_integration_owners": map[string]any{"0": "G1"}, "context": 0,
	})
	return string(b)
}

func slashCmd(name string, options ...map[string]any) map[string]any {
	return map[string]any{"id": "CMD-" + name, "name": name, "type": 1, "options": options}
}

func opt(name string, typ discordgo.ApplicationCommandOptionType, value any) map[string]any {
	return map[string]any{"name": name, "type": typ, "value": value}
}

func sub(name string, options ...map[string]any) map[string]any {
	return map[string]any{"name": name, "type": discordgo.ApplicationCommandOptionSubCommand, "options": options}
}

// response is an interaction response as the tests read it back (discordgo's own type cannot
// decode components, which are interfaces).
type response struct {
	Type discordgo.InteractionResponseType `json:"type"`
	Data *struct {
		Flags      discordgo.MessageFlags                      `json:"flags"`
		Embeds     []*discordgo.MessageEmbed                   `json:"embeds"`
		Components []json.RawMessage                           `json:"components"`
		Choices    []*discordgo.ApplicationCommandOptionChoice `json:"choices"`
	} `json:"data"`
}

func decode(t testing.TB, body []byte) response {
	t.Helper()
	var r response
	if err := json.Unmarshal(body, &r); err != nil {
		t.Fatalf("not an interaction response (%v): %s", err, body)
	}
	return r
}

func embedTitle(r response) string {
	if r.Data == nil || len(r.Data.Embeds) == 0 {
		return ""
	}
	return r.Data.Embeds[0].Title
}

func TestPingPong(t *testing.T) {
	h := newHarness(t, 0)
	code, body := h.post(`{"id":"1","application_id":"APP1","type":1,"token":"t","version":1}`, nil, nil)
	if code != 200 || strings.TrimSpace(string(body)) != `{"type":1}` {
		t.Errorf("%d %s", code, body)
	}
}

func TestRefusesUnverifiedInteractions(t *testing.T) {
	h := newHarness(t, 0)
	_, otherKey, _ := ed25519.GenerateKey(rand.Reader)
	ping := `{"id":"1","application_id":"APP1","type":1,"token":"t","version":1}`
	tests := []struct {
		name   string
		key    ed25519.PrivateKey
		mutate func(*http.Request)
		code   int
	}{
		{"signed by another key", otherKey, nil, 401},
		{"tampered body", nil, func(r *http.Request) {
			b := strings.Replace(ping, `"type":1`, `"type":2`, 1)
			r.Body, r.ContentLength = io.NopCloser(strings.NewReader(b)), int64(len(b))
		}, 401},
		{"tampered timestamp", nil, func(r *http.Request) { r.Header.Set("X-Signature-Timestamp", "1") }, 401},
		{"signature not hex", nil, func(r *http.Request) { r.Header.Set("X-Signature-Ed25519", "zz") }, 401},
		{"signature of the wrong size", nil, func(r *http.Request) { r.Header.Set("X-Signature-Ed25519", "abcd") }, 401},
		{"no signature", nil, func(r *http.Request) { r.Header.Del("X-Signature-Ed25519") }, 401},
		{"no timestamp", nil, func(r *http.Request) { r.Header.Del("X-Signature-Timestamp") }, 401},
		{"over 1 MiB", nil, func(r *http.Request) {
			b := ping + strings.Repeat(" ", webhook.MaxBody)
			r.Body, r.ContentLength = io.NopCloser(strings.NewReader(b)), int64(len(b))
		}, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if code, body := h.post(ping, tt.key, tt.mutate); code != tt.code {
				t.Errorf("status %d (%s), want %d", code, body, tt.code)
			}
		})
	}
	resp, _ := http.Get(h.srv.URL + "/metrics")
	m, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, reason := range []string{"bad_signature", "no_signature", "too_large"} {
		if !strings.Contains(string(m), `careerbot_rejected_requests_total{platform="discord",reason="`+reason+`"}`) {
			t.Errorf("metrics do not count %s", reason)
		}
	}
}

func TestExplainCommand(t *testing.T) {
	h := newHarness(t, 0)
	body := interaction(discordgo.InteractionApplicationCommand,
		slashCmd("explain", opt("topic", discordgo.ApplicationCommandOptionString, "how does raft elect a leader")),
		member("U1", memberPerms))
	code, raw := h.post(body, nil, nil)
	if code != 200 {
		t.Fatalf("%d %s", code, raw)
	}
	r := decode(t, raw)
	if r.Type != discordgo.InteractionResponseChannelMessageWithSource || embedTitle(r) != "Raft consensus algorithm" {
		t.Errorf("type %d, title %q", r.Type, embedTitle(r))
	}
	if r.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Error("a personal answer is not ephemeral")
	}
	if !strings.Contains(string(raw), `"allowed_mentions":{"parse":[]`) {
		t.Errorf("allowed_mentions is not an explicit empty list: %.300s", raw)
	}
	checkLimits(t, r.Data.Embeds, len(r.Data.Components))
}

// checkLimits asserts Discord's message limits on a rendered response.
func checkLimits(t *testing.T, embeds []*discordgo.MessageEmbed, rows int) {
	t.Helper()
	total := 0
	for _, e := range embeds {
		n := func(s string) int { return utf8.RuneCountInString(s) }
		if n(e.Title) > 256 || n(e.Description) > 4096 || len(e.Fields) > 25 {
			t.Errorf("embed over a limit: title %d, description %d, %d fields", n(e.Title), n(e.Description), len(e.Fields))
		}
		total += n(e.Title) + n(e.Description)
		for _, f := range e.Fields {
			if n(f.Name) > 256 || n(f.Value) > 1024 {
				t.Errorf("field over a limit: %d/%d", n(f.Name), n(f.Value))
			}
			total += n(f.Name) + n(f.Value)
		}
		if e.Footer != nil {
			total += n(e.Footer.Text)
		}
	}
	if total > 6000 {
		t.Errorf("embeds total %d characters", total)
	}
	if rows > 5 {
		t.Errorf("%d action rows", rows)
	}
}

func TestAutocomplete(t *testing.T) {
	h := newHarness(t, 0)
	focus := map[string]any{"name": "topic", "type": discordgo.ApplicationCommandOptionString, "value": "ra", "focused": true}
	tests := []struct {
		name string
		data map[string]any
	}{
		{"explain", slashCmd("explain", focus)},
		{"materials list", slashCmd("materials", map[string]any{"name": "list", "type": 1, "options": []any{focus}})},
	}
	for _, tt := range tests {
		code, raw := h.post(interaction(discordgo.InteractionApplicationCommandAutocomplete, tt.data, member("U1", memberPerms)), nil, nil)
		r := decode(t, raw)
		if code != 200 || r.Type != discordgo.InteractionApplicationCommandAutocompleteResult {
			t.Fatalf("%s: %d %s", tt.name, code, raw)
		}
		if n := len(r.Data.Choices); n == 0 || n > 25 {
			t.Errorf("%s: %d choices", tt.name, n)
		}
		if r.Data.Choices[0].Value != "raft" {
			t.Errorf("%s: first choice %v, want raft", tt.name, r.Data.Choices[0].Value)
		}
		for _, c := range r.Data.Choices {
			if n := utf8.RuneCountInString(c.Name); n == 0 || n > 100 {
				t.Errorf("choice name of %d characters", n)
			}
		}
	}
}

func share(t *testing.T, h *harness, user, url string) {
	t.Helper()
	_, raw := h.post(interaction(discordgo.InteractionApplicationCommand,
		slashCmd("share", opt("url", 3, url), opt("topic", 3, "raft"), opt("note", 3, "@everyone read this")),
		member(user, memberPerms)), nil, nil)
	if r := decode(t, raw); !strings.HasPrefix(embedTitle(r), "Shared as #") {
		t.Fatalf("share: %s", raw)
	}
}

// TestRemoveNeedsManageChannels: the check reads the member's resolved permissions that Discord
// signs, not anything else in the payload.
func TestRemoveNeedsManageChannels(t *testing.T) {
	h := newHarness(t, 0)
	share(t, h, "UA", "https://raft.github.io/")
	share(t, h, "UA", "https://example.org/2")
	remove := func(m map[string]any, id int) string {
		_, raw := h.post(interaction(discordgo.InteractionApplicationCommand,
			slashCmd("materials", sub("remove", opt("id", discordgo.ApplicationCommandOptionInteger, id))), m), nil, nil)
		return embedTitle(decode(t, raw))
	}
	// A member who claims more in fields Discord does not use for rights is still a member:
	// app_permissions (the bot's own) is all bits in every payload here.
	claimer := member("UB", memberPerms)
	claimer["is_admin"] = true
	if got := remove(claimer, 1); got != "Not removed" {
		t.Errorf("member without Manage Channels: %q", got)
	}
	if got := remove(member("UC", memberPerms|discordgo.PermissionManageChannels), 1); got != "Removed #1" {
		t.Errorf("member with Manage Channels: %q", got)
	}
	if got := remove(member("UA", memberPerms), 2); got != "Removed #2" {
		t.Errorf("the sharer: %q", got)
	}
}

func TestComponentClicks(t *testing.T) {
	h := newHarness(t, 0)
	click := func(customID string) response {
		_, raw := h.post(interaction(discordgo.InteractionMessageComponent,
			map[string]any{"custom_id": customID, "component_type": 2}, member("U1", memberPerms)), nil, nil)
		return decode(t, raw)
	}
	r := click(CustomIDPrefix + "explain paxos")
	if r.Type != discordgo.InteractionResponseChannelMessageWithSource || embedTitle(r) != "Paxos" || r.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Errorf("related-topic click: type %d %q flags %d", r.Type, embedTitle(r), r.Data.Flags)
	}
	r = click(CustomIDPrefix + "public:" + "explain raft")
	if embedTitle(r) != "Raft consensus algorithm" || r.Data.Flags&discordgo.MessageFlagsEphemeral != 0 {
		t.Errorf("share-in-channel click: %q flags %d", embedTitle(r), r.Data.Flags)
	}
	// Buttons careerbot cannot run (another app's id, a removed command, a mangled id) are
	// answered, privately, instead of failing the interaction.
	for _, id := range []string{"someone-else:1", CustomIDPrefix + "jobs subscribe kafka", CustomIDPrefix, CustomIDPrefix + "\x00"} {
		code, raw := h.post(interaction(discordgo.InteractionMessageComponent,
			map[string]any{"custom_id": id, "component_type": 2}, member("U1", memberPerms)), nil, nil)
		if code != 200 {
			t.Errorf("custom_id %q: HTTP %d, want 200", id, code)
			continue
		}
		r := decode(t, raw)
		if r.Type != discordgo.InteractionResponseChannelMessageWithSource || r.Data.Flags&discordgo.MessageFlagsEphemeral == 0 ||
			embedTitle(r) != "This button no longer works" {
			t.Errorf("custom_id %q: type %d, flags %d, %q", id, r.Type, r.Data.Flags, embedTitle(r))
		}
	}
}

// TestDeferredCompletesThroughREST: with a slow store the first response is a deferred one,
// and the answer arrives as an edit of the original response on the fake REST server.
func TestDeferredCompletesThroughREST(t *testing.T) {
	h := newHarness(t, 10*time.Second)
	code, raw := h.post(interaction(discordgo.InteractionApplicationCommand, slashCmd("materials", sub("list")), member("U1", memberPerms)), nil, nil)
	r := decode(t, raw)
	if code != 200 || r.Type != discordgo.InteractionResponseDeferredChannelMessageWithSource || r.Data.Flags&discordgo.MessageFlagsEphemeral == 0 {
		t.Fatalf("first response: %d %s", code, raw)
	}
	// The deferred response arrived while the store was still busy: no edit can be there yet.
	if edits := h.fake.Requests("PATCH", "/webhooks/APP1/tok-1/messages/@original"); len(edits) != 0 {
		t.Fatalf("the edit came before the deferred response: %v", edits)
	}
	h.release()
	h.settle()
	edits := h.fake.Requests("PATCH", "/webhooks/APP1/tok-1/messages/@original")
	if len(edits) != 1 || !strings.Contains(string(edits[0].Body), "Shared material") {
		t.Fatalf("edits: %v", edits)
	}
	if !strings.Contains(string(edits[0].Body), `"allowed_mentions":{"parse":[]`) {
		t.Errorf("the edit lacks allowed_mentions: %s", edits[0].Body)
	}
}

// TestGateway drives the handlers with InteractionCreate events, as the gateway delivers them:
// responses go to the REST callback endpoint of the fake.
func TestGateway(t *testing.T) {
	h := newHarness(t, 0)
	var in discordgo.Interaction
	raw := interaction(discordgo.InteractionApplicationCommand, slashCmd("explain", opt("topic", 3, "k8s")), member("U1", memberPerms))
	if err := json.Unmarshal([]byte(raw), &in); err != nil {
		t.Fatal(err)
	}
	h.adapter.OnInteractionCreate(context.Background(), &discordgo.InteractionCreate{Interaction: &in})
	h.adapter.OnInteractionCreate(context.Background(), &discordgo.InteractionCreate{}) // nothing to do
	h.settle()
	cbs := h.fake.Requests("POST", "/interactions/"+in.ID+"/tok-1/callback")
	if len(cbs) != 1 {
		t.Fatalf("%d callbacks", len(cbs))
	}
	r := decode(t, cbs[0].Body)
	if r.Type != discordgo.InteractionResponseChannelMessageWithSource || embedTitle(r) != "Kubernetes" {
		t.Errorf("callback: type %d %q", r.Type, embedTitle(r))
	}
}

var (
	commandName = regexp.MustCompile(`^[-_\p{L}\p{N}]{1,32}$`)
)

// TestRegistration checks the JSON `careerbot discord register` sends against Discord's
// documented constraints.
func TestRegistration(t *testing.T) {
	h := newHarness(t, 0)
	defs := Definitions(h.adapter.router.Commands(bot.PlatformDiscord))
	if err := h.adapter.Register(context.Background(), defs, "G42"); err != nil {
		t.Fatal(err)
	}
	puts := h.fake.Requests("PUT", "/applications/APP1/guilds/G42/commands")
	if len(puts) != 1 || puts[0].Auth != "Bot bot-token" {
		t.Fatalf("registration requests: %v", puts)
	}
	var sent []map[string]any
	if err := json.Unmarshal(puts[0].Body, &sent); err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, c := range sent {
		name, _ := c["name"].(string)
		names[name] = true
		checkCommand(t, name, c)
	}
	for _, want := range []string{"explain", "topics", "share", "materials", "help"} {
		if !names[want] {
			t.Errorf("%s is not registered", want)
		}
	}
	for _, unbuilt := range []string{"path", "quiz", "jobs", "careerbot"} {
		if names[unbuilt] {
			t.Errorf("%s is registered without a handler", unbuilt)
		}
	}
	if err := h.adapter.Register(context.Background(), defs, ""); err != nil {
		t.Fatal(err)
	}
	if len(h.fake.Requests("PUT", "/applications/APP1/commands")) != 1 {
		t.Error("global registration did not reach the global endpoint")
	}
}

// checkCommand asserts a command or option definition and its children.
func checkCommand(t *testing.T, path string, c map[string]any) {
	t.Helper()
	name, _ := c["name"].(string)
	desc, _ := c["description"].(string)
	if !commandName.MatchString(name) || strings.ToLower(name) != name {
		t.Errorf("%s: name %q is not lowercase 1-32", path, name)
	}
	if n := utf8.RuneCountInString(desc); n < 1 || n > 100 {
		t.Errorf("%s: description of %d characters", path, n)
	}
	opts, _ := c["options"].([]any)
	if len(opts) > 25 {
		t.Errorf("%s: %d options", path, len(opts))
	}
	if choices, _ := c["choices"].([]any); len(choices) > 25 {
		t.Errorf("%s: %d choices", path, len(choices))
	} else {
		for _, ch := range choices {
			m, _ := ch.(map[string]any)
			if n := utf8.RuneCountInString(fmt.Sprint(m["name"])); n < 1 || n > 100 {
				t.Errorf("%s: choice name of %d characters", path, n)
			}
		}
	}
	required := true
	for _, o := range opts {
		m, _ := o.(map[string]any)
		// Required options come before optional ones.
		if r, _ := m["required"].(bool); r && !required {
			t.Errorf("%s: a required option follows an optional one", path)
		} else if !r {
			required = false
		}
		checkCommand(t, path+"."+fmt.Sprint(m["name"]), m)
	}
}

// TestMaterialsListOptions: the list subcommand's options reach the core as the text a Slack
// user would type ("raft top").
func TestMaterialsListOptions(t *testing.T) {
	h := newHarness(t, 0)
	share(t, h, "UA", "https://raft.github.io/")
	_, raw := h.post(interaction(discordgo.InteractionApplicationCommand,
		slashCmd("materials", sub("list", opt("topic", 3, "raft"), opt("sort", 3, "top"))), member("U1", memberPerms)), nil, nil)
	r := decode(t, raw)
	if embedTitle(r) != "Shared material: Raft consensus algorithm" || !strings.Contains(r.Data.Embeds[0].Description, "most upvoted first") {
		t.Errorf("%q / %q", embedTitle(r), r.Data.Embeds[0].Description)
	}
}
