package discord

import (
	"encoding/json"
	"strconv"

	"github.com/bwmarrin/discordgo"

	"github.com/careerbot/careerbot/bot/webhook"
)

// encoded holds the JSON of what a Renderer prepared: the fields of its stock replies, which
// are never modified, so a response built on a stock is written without encoding its largest
// parts again.
type encoded struct {
	fields map[*discordgo.MessageEmbedField][]byte
}

func (e *encoded) add(p *prepared) {
	for _, f := range p.embed.Fields {
		if data, err := json.Marshal(f); err == nil {
			e.fields[f] = data
		}
	}
}

// Encode returns resp as JSON, the same object encoding/json makes of it. A response made by
// Render (an embed, rows of buttons, no mentions) is written directly, with the JSON of prepared
// fields reused; anything else goes through encoding/json.
func (rd *Renderer) Encode(resp *discordgo.InteractionResponse) ([]byte, error) {
	d := resp.Data
	if d == nil || d.TTS || d.Content != "" || d.Attachments != nil || d.Poll != nil || len(d.Choices) > 0 ||
		d.CustomID != "" || d.Title != "" || d.AllowedMentions == nil || len(d.AllowedMentions.Parse) > 0 ||
		len(d.AllowedMentions.Roles) > 0 || len(d.AllowedMentions.Users) > 0 || d.AllowedMentions.RepliedUser {
		return json.Marshal(resp)
	}
	var cache *encoded
	if rd != nil {
		cache = &rd.encoded
	}
	b := make([]byte, 0, 8<<10)
	b = append(b, `{"type":`...)
	b = strconv.AppendInt(b, int64(resp.Type), 10)
	b = append(b, `,"data":{"tts":false,"content":"","components":[`...)
	for i, c := range d.Components {
		if i > 0 {
			b = append(b, ',')
		}
		row, ok := c.(discordgo.ActionsRow)
		if !ok || row.ID != 0 {
			return json.Marshal(resp)
		}
		b = append(b, `{"components":[`...)
		for j, c := range row.Components {
			if j > 0 {
				b = append(b, ',')
			}
			btn, ok := c.(discordgo.Button)
			if !ok || btn.Emoji != nil || btn.URL != "" || btn.SKUID != "" || btn.ID != 0 || btn.Style == 0 {
				return json.Marshal(resp)
			}
			b = append(b, `{"label":`...)
			b = webhook.AppendString(b, btn.Label)
			b = append(b, `,"style":`...)
			b = strconv.AppendInt(b, int64(btn.Style), 10)
			b = append(b, `,"disabled":`...)
			b = strconv.AppendBool(b, btn.Disabled)
			if btn.CustomID != "" {
				b = append(b, `,"custom_id":`...)
				b = webhook.AppendString(b, btn.CustomID)
			}
			b = append(b, `,"type":2}`...)
		}
		b = append(b, `],"type":1}`...)
	}
	b = append(b, `],"embeds":[`...)
	for i, e := range d.Embeds {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = cache.appendEmbed(b, e); err != nil {
			return nil, err
		}
	}
	b = append(b, `],"allowed_mentions":{"parse":[],"replied_user":false}`...)
	if d.Flags != 0 {
		b = append(b, `,"flags":`...)
		b = strconv.AppendInt(b, int64(d.Flags), 10)
	}
	return append(b, "}}"...), nil
}

// appendEmbed writes the embed Render makes (type, title, description, colour, footer text,
// fields); one with anything else is left to encoding/json.
func (e *encoded) appendEmbed(b []byte, m *discordgo.MessageEmbed) ([]byte, error) {
	if m == nil || m.URL != "" || m.Timestamp != "" || m.Image != nil || m.Thumbnail != nil || m.Video != nil ||
		m.Provider != nil || m.Author != nil || (m.Footer != nil && (m.Footer.IconURL != "" || m.Footer.ProxyIconURL != "")) {
		data, err := json.Marshal(m)
		return append(b, data...), err
	}
	b = append(b, '{')
	comma := false
	member := func(name string) {
		if comma {
			b = append(b, ',')
		}
		comma = true
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, `":`...)
	}
	if m.Type != "" {
		member("type")
		b = webhook.AppendString(b, string(m.Type))
	}
	if m.Title != "" {
		member("title")
		b = webhook.AppendString(b, m.Title)
	}
	if m.Description != "" {
		member("description")
		b = webhook.AppendString(b, m.Description)
	}
	if m.Color != 0 {
		member("color")
		b = strconv.AppendInt(b, int64(m.Color), 10)
	}
	if m.Footer != nil {
		member("footer")
		b = append(b, '{')
		if m.Footer.Text != "" {
			b = append(b, `"text":`...)
			b = webhook.AppendString(b, m.Footer.Text)
		}
		b = append(b, '}')
	}
	if len(m.Fields) > 0 {
		member("fields")
		b = append(b, '[')
		for i, f := range m.Fields {
			if i > 0 {
				b = append(b, ',')
			}
			if data, ok := e.field(f); ok {
				b = append(b, data...)
				continue
			}
			b = append(b, `{"name":`...)
			b = webhook.AppendString(b, f.Name)
			b = append(b, `,"value":`...)
			b = webhook.AppendString(b, f.Value)
			if f.Inline {
				b = append(b, `,"inline":true`...)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}'), nil
}

func (e *encoded) field(f *discordgo.MessageEmbedField) ([]byte, bool) {
	if e == nil {
		return nil, false
	}
	data, ok := e.fields[f]
	return data, ok
}
