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
// whole HTTP stack (loopback TCP, Ed25519 verification, JSON decoding, routing, resolution,
// rendering) from parallel clients.
func BenchmarkInteractionHTTP(b *testing.B) {
	h := newHarness(b, 0)
	var bodies []string
	for _, q := range []string{"raft", "2pc", "how does raft elect a leader", "k8s", "consistency"} {
		bodies = append(bodies, interaction(discordgo.InteractionApplicationCommand,
			slashCmd("explain", opt("topic", discordgo.ApplicationCommandOptionString, q)), member("U1", memberPerms)))
	}
	loadtest.Run(b, func(i int) *http.Request {
		body := bodies[i%len(bodies)]
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/discord/interactions", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Signature-Timestamp", ts)
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(ed25519.Sign(h.priv, []byte(ts+body))))
		return req
	})
}
