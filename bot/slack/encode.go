package slack

import (
	"encoding/json"

	goslack "github.com/slack-go/slack"

	"github.com/careerbot/careerbot/bot/webhook"
)

// Encode returns m as JSON, the same object encoding/json makes of it, with the JSON of the
// blocks the Renderer prepared (its stock replies' blocks, which are never modified) reused
// rather than encoded again: they are most of an explanation's bytes.
func (rd *Renderer) Encode(m Message) ([]byte, error) {
	b := make([]byte, 0, 8<<10)
	b = append(b, `{"text":`...)
	b = webhook.AppendString(b, m.Text)
	b = append(b, `,"blocks":`...)
	if m.Blocks == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, blk := range m.Blocks {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = rd.appendBlock(b, blk); err != nil {
				return nil, err
			}
		}
		b = append(b, ']')
	}
	if m.ResponseType != "" {
		b = append(b, `,"response_type":`...)
		b = webhook.AppendString(b, m.ResponseType)
	}
	if m.ReplaceOriginal {
		b = append(b, `,"replace_original":true`...)
	}
	if m.DeleteOriginal {
		b = append(b, `,"delete_original":true`...)
	}
	return append(b, '}'), nil
}

// appendBlock writes a block: prepared JSON when there is some; a row of buttons, whose last
// row a request may lay out again, from its buttons' prepared JSON; else through encoding/json.
func (rd *Renderer) appendBlock(b []byte, blk goslack.Block) ([]byte, error) {
	if data, ok := rd.encoded(blk); ok {
		return append(b, data...), nil
	}
	if row, ok := blk.(*goslack.ActionBlock); ok && row.BlockID == "" && row.Elements != nil && row.Elements.ElementSet != nil {
		b = append(b, `{"type":"actions","elements":[`...)
		for i, e := range row.Elements.ElementSet {
			if i > 0 {
				b = append(b, ',')
			}
			data, ok := rd.encoded(e)
			if !ok {
				var err error
				if data, err = json.Marshal(e); err != nil {
					return nil, err
				}
			}
			b = append(b, data...)
		}
		return append(b, "]}"...), nil
	}
	data, err := json.Marshal(blk)
	return append(b, data...), err
}

// encoded is the prepared JSON of a block or a block element (both are pointers).
func (rd *Renderer) encoded(v any) ([]byte, bool) {
	if rd == nil || rd.json == nil {
		return nil, false
	}
	data, ok := rd.json[v]
	return data, ok
}

// remember keeps the JSON of a prepared reply's blocks.
func (rd *Renderer) remember(p *parts) {
	blocks := append([]goslack.Block{p.header, p.footer}, p.text...)
	blocks = append(blocks, p.fields...)
	blocks = append(blocks, p.sections...)
	blocks = append(blocks, p.links...)
	blocks = append(blocks, p.rows...)
	for _, blk := range blocks {
		if blk == nil {
			continue
		}
		if data, err := json.Marshal(blk); err == nil {
			rd.json[blk] = data
		}
	}
	for _, e := range p.buttons {
		if data, err := json.Marshal(e); err == nil {
			rd.json[e] = data
		}
	}
}
