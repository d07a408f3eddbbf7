package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/bwmarrin/discordgo"
	"github.com/careerbot/careerbot/bot"
	"github.com/careerbot/careerbot/bot/webhook"
)

// Reasons a request is refused, as counted in careerbot_rejected_requests_total.
var (
	errNoSignature  = webhook.Refuse("no_signature", "missing signature headers")
	errBadSignature = webhook.Refuse("bad_signature", "signature does not verify")
)

// verify checks Discord's Ed25519 signature of timestamp+body.
func verify(h http.Header, body []byte, key ed25519.PublicKey) error {
	sigHex, ts := h.Get("X-Signature-Ed25519"), h.Get("X-Signature-Timestamp")
	if sigHex == "" || ts == "" {
		return errNoSignature
	}
	sig, err := hex.DecodeString(sigHex)
	if err != nil || len(sig) != ed25519.SignatureSize || len(key) != ed25519.PublicKeySize {
		return errBadSignature
	}
	msg := make([]byte, 0, len(ts)+len(body))
	msg = append(append(msg, ts...), body...)
	if !ed25519.Verify(key, msg, sig) {
		return errBadSignature
	}
	return nil
}

// Interactions returns the handler of POST /discord/interactions. Discord sends deliberately
// bad signatures to check the endpoint; they get 401 like any other.
func (a *Adapter) Interactions() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := a.in.Read(w, r)
		if !ok {
			return
		}
		in, err := decodeInteraction(body)
		if err != nil {
			http.Error(w, "malformed interaction", http.StatusBadRequest)
			return
		}
		if in.Type == discordgo.InteractionPing {
			webhook.WriteJSON(w, discordgo.InteractionResponse{Type: discordgo.InteractionResponsePong})
			return
		}
		answered := false
		a.handle(r.Context(), in, func(resp *discordgo.InteractionResponse) error {
			answered = true
			data, err := a.render.Encode(resp)
			webhook.WriteEncoded(w, data, err)
			return err
		})
		if !answered {
			http.Error(w, "unsupported interaction", http.StatusBadRequest)
		}
	})
}

// respondFunc sends an interaction's initial response: in the HTTP response body, or through
// the REST callback endpoint for the gateway.
type respondFunc func(*discordgo.InteractionResponse) error

// handle answers one interaction, whatever its transport. respond is called at most once,
// within the ack budget.
func (a *Adapter) handle(ctx context.Context, in *discordgo.Interaction, respond respondFunc) {
	switch in.Type {
	case discordgo.InteractionApplicationCommand:
		data, ok := in.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			return
		}
		a.run(ctx, in, func(ctx context.Context) bot.Reply { return a.router.Dispatch(ctx, command(in, data)) }, false, respond)
	case discordgo.InteractionMessageComponent:
		// A button careerbot cannot read (an old message, a removed feature) still gets an
		// answer: the router says it no longer works.
		var encoded string
		if data, ok := in.Data.(discordgo.MessageComponentInteractionData); ok {
			encoded, _ = strings.CutPrefix(data.CustomID, CustomIDPrefix)
			if !strings.HasPrefix(data.CustomID, CustomIDPrefix) {
				encoded = ""
			}
		}
		a.press(ctx, in, encoded, respond)
	case discordgo.InteractionApplicationCommandAutocomplete:
		data, ok := in.Data.(discordgo.ApplicationCommandInteractionData)
		if !ok {
			return
		}
		if err := respond(a.autocomplete(data)); err != nil {
			a.log.WarnContext(ctx, "autocomplete response failed", "err", err)
		}
	}
}

// press answers a button click: the command its custom_id carries, run through the core.
func (a *Adapter) press(ctx context.Context, in *discordgo.Interaction, encoded string, respond respondFunc) {
	act, ok := bot.DecodeAction(encoded)
	a.run(ctx, in, func(ctx context.Context) bot.Reply { return a.router.Press(ctx, base(in), encoded) },
		ok && act.Public, respond)
}

// run answers within the ack budget: the reply itself when it is ready, else a deferred
// response (type 5) completed by editing the original response. public says whether a deferred
// response is for the channel.
func (a *Adapter) run(ctx context.Context, in *discordgo.Interaction, work func(context.Context) bot.Reply, public bool, respond respondFunc) {
	bot.Within(ctx, &a.later, a.cfg.AckBudget,
		work,
		func(reply bot.Reply) {
			resp := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseChannelMessageWithSource,
				Data: a.render.Render(reply)}
			if err := respond(resp); err != nil {
				a.log.WarnContext(ctx, "interaction response failed", "err", err)
			}
		},
		func() {
			flags := discordgo.MessageFlagsEphemeral
			if public {
				flags = 0
			}
			if err := respond(&discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource,
				Data: &discordgo.InteractionResponseData{Flags: flags}}); err != nil {
				a.log.WarnContext(ctx, "deferred response failed", "err", err)
			}
		},
		func(ctx context.Context, reply bot.Reply) { a.editOriginal(ctx, in, reply) })
}

// editOriginal completes a deferred response.
func (a *Adapter) editOriginal(ctx context.Context, in *discordgo.Interaction, reply bot.Reply) {
	data := a.render.Render(reply)
	edit := &discordgo.WebhookEdit{Embeds: &data.Embeds, Components: &data.Components, AllowedMentions: data.AllowedMentions}
	if _, err := a.rest.InteractionResponseEdit(in, edit, discordgo.WithContext(ctx)); err != nil {
		a.log.WarnContext(ctx, "completing a deferred response failed", "err", err)
	}
}

// base is the command skeleton of an interaction: who, where, with what rights. The rights are
// the member's resolved permissions in the channel, which Discord computes and signs; nothing the
// client sends can raise them. PostCheck reads the bot's own (app_permissions) the same way, for
// commands and button clicks alike.
func base(in *discordgo.Interaction) bot.Command {
	cmd := bot.Command{Platform: bot.PlatformDiscord, Workspace: in.GuildID, Channel: in.ChannelID,
		PostCheck: postCheck(in)}
	var u *discordgo.User
	if in.Member != nil {
		u = in.Member.User
		cmd.IsAdmin = in.Member.Permissions&(discordgo.PermissionManageChannels|discordgo.PermissionAdministrator) != 0
	} else {
		u = in.User
	}
	if u != nil {
		cmd.User = u.ID
		cmd.UserName = u.GlobalName
		if cmd.UserName == "" {
			cmd.UserName = u.Username
		}
	}
	if cmd.Workspace == "" {
		// Direct messages: each user's own space.
		cmd.Workspace = "dm-" + cmd.User
	}
	return cmd
}
