package discord

import (
	"crypto/ed25519"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/careerbot/careerbot/internal/loadtest"
)

// BenchmarkInteractionHTTP drives freshly signed /explain interactions through careerbot's
// whole HTTP stack (loopback TCP, routing, metrics, Ed25519 verification, JSON decoding,
// dispatch, the embedded store's lookup of shared links, rendering, JSON) and through a bare
// net/http handler that verifies the same signature and writes the same bytes, from the same
// parallel clients, and reports careerbot's throughput as a fraction of the bare one's.
func BenchmarkInteractionHTTP(b *testing.B) {
	h := newHarness(b, 0)
	body := interaction(discordgo.InteractionApplicationCommand,
		slashCmd("explain", opt("topic", discordgo.ApplicationCommandOptionString, "consistency")), member("U1", memberPerms))
	code, answer := h.post(body, nil, nil)
	if code != http.StatusOK || !strings.Contains(string(answer), "Consistency") {
		b.Fatalf("careerbot answered %d: %.200s", code, answer)
	}
	pub := h.priv.Public().(ed25519.PublicKey)
	bare := loadtest.Bare(b, answer, func(h http.Header, body []byte) error { return verify(h, body, pub) })
	loadtest.Compare(b, h.srv.URL, bare, func(base string, _ int) *http.Request {
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req, _ := http.NewRequest(http.MethodPost, base+"/discord/interactions", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Signature-Timestamp", ts)
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(h.priv, []byte(ts+body))))
		return req
	})
}
