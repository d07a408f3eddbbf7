package discord

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// decodeInteraction reads the part of an HTTP interaction careerbot uses into a
// discordgo.Interaction: ids, type, token, the bot's permissions in the channel
// (app_permissions), the member or user (with the member's resolved permissions, signed by
// Discord), and the command's name and options or the component's custom_id. discordgo
// decodes all of an interaction, its data twice; on the request path that cost as much as the
// signature check, so the adapter walks the JSON itself once it is known to be valid, and
// leaves strings with escapes to encoding/json. The gateway path keeps discordgo's decoding;
// FuzzDecodeInteraction holds the two to the same result.
func decodeInteraction(body []byte) (*discordgo.Interaction, error) {
	if !json.Valid(body) {
		return nil, errMalformed
	}
	for _, c := range body {
		if c >= utf8.RuneSelf {
			// Non-ASCII text: keys might be folded as encoding/json folds them (the Kelvin
			// sign is a k); let discordgo decode it.
			var in discordgo.Interaction
			if err := json.Unmarshal(body, &in); err != nil {
				return nil, errMalformed
			}
			return &in, nil
		}
	}
	w := walker{b: body}
	in := &discordgo.Interaction{}
	var rawData []byte
	w.object(func(key string) {
		switch key {
		case "id":
			in.ID = w.string()
		case "application_id":
			in.AppID = w.string()
		case "type":
			in.Type = discordgo.InteractionType(w.int())
		case "token":
			in.Token = w.string()
		case "guild_id":
			in.GuildID = w.string()
		case "channel_id":
			in.ChannelID = w.string()
		case "app_permissions":
			in.AppPermissions = w.quotedInt()
		case "member":
			if w.null() {
				in.Member = nil
				return
			}
			m := &discordgo.Member{}
			w.object(func(key string) {
				switch key {
				case "user":
					m.User = w.user()
				case "permissions":
					m.Permissions = w.quotedInt()
				default:
					w.skip()
				}
			})
			in.Member = m
		case "user":
			in.User = w.user()
		case "data":
			// Read once the type is known, which may come later: only commands and
			// components have data careerbot reads.
			start := w.i
			w.skip()
			rawData = w.b[start:w.i]
		default:
			w.skip()
		}
	})
	if w.err != nil {
		return nil, w.err
	}
	if in.Member != nil {
		in.Member.GuildID = in.GuildID
	}
	switch in.Type {
	case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete,
		discordgo.InteractionMessageComponent:
	default:
		return in, nil
	}
	var data struct {
		name, customID string
		commandType    int64
		componentType  int64
		options        []*discordgo.ApplicationCommandInteractionDataOption
	}
	if rawData != nil {
		w = walker{b: rawData}
		w.object(func(key string) {
			switch key {
			case "name":
				data.name = w.string()
			case "type":
				data.commandType = w.int()
			case "custom_id":
				data.customID = w.string()
			case "component_type":
				data.componentType = w.int()
			case "options":
				data.options = w.options()
			default:
				w.skip()
			}
		})
		if w.err != nil {
			return nil, w.err
		}
	}
	if in.Type == discordgo.InteractionMessageComponent {
		in.Data = discordgo.MessageComponentInteractionData{CustomID: data.customID,
			ComponentType: discordgo.ComponentType(data.componentType)}
		return in, nil
	}
	in.Data = discordgo.ApplicationCommandInteractionData{Name: data.name,
		CommandType: discordgo.ApplicationCommandType(data.commandType), Options: data.options}
	return in, nil
}

var (
	errMalformed = errors.New("malformed interaction")
	errWrongType = errors.New("interaction: a value of the wrong type")
)

// walker reads valid JSON (json.Valid has said so) front to back. The first value of the wrong
// type sets err, after which every read returns zero values.
type walker struct {
	b   []byte
	i   int
	err error
}

func (w *walker) ws() {
	for w.i < len(w.b) && (w.b[w.i] == ' ' || w.b[w.i] == '\t' || w.b[w.i] == '\n' || w.b[w.i] == '\r') {
		w.i++
	}
}

func (w *walker) peek() byte {
	w.ws()
	if w.err != nil || w.i >= len(w.b) {
		return 0
	}
	return w.b[w.i]
}

func (w *walker) fail() {
	if w.err == nil {
		w.err = errWrongType
	}
}

// object calls member for each key of an object, or does nothing for null; member must read
// or skip the value.
func (w *walker) object(member func(key string)) {
	w.each('{', '}', func() {
		key := w.key()
		w.ws()
		w.i++ // ':'
		start := w.i
		member(key)
		if w.i == start && w.err == nil {
			w.skip() // the member read nothing
		}
	})
}

// keys are the object keys careerbot reads; any other is read as "" and skipped.
var keys = []string{"id", "application_id", "type", "token", "guild_id", "channel_id", "app_permissions", "member", "user", "data",
	"permissions", "username", "global_name", "name", "custom_id", "component_type", "options", "value", "focused"}

// key reads an object key, lower-cased as encoding/json matches keys without case, as one of
// keys without allocating, or "".
func (w *walker) key() string {
	w.ws()
	open := w.i
	start := w.i + 1
	for w.b[w.i+1] != '"' {
		if w.b[w.i+1] == '\\' {
			// An escaped key: rare enough to decode the long way.
			w.i = open
			return strings.ToLower(w.string())
		}
		w.i++
	}
	raw := w.b[start : w.i+1]
	w.i += 2
	var buf [16]byte
	if len(raw) > len(buf) {
		return ""
	}
	for i, c := range raw {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	lower := buf[:len(raw)]
	for _, k := range keys {
		if string(lower) == k {
			return k
		}
	}
	return ""
}

// array calls elem for each element of an array, or does nothing for null.
func (w *walker) array(elem func()) { w.each('[', ']', elem) }

// each calls item for each member of an object or element of an array, between begin and
// end; null has none.
func (w *walker) each(begin, end byte, item func()) {
	if w.null() {
		return
	}
	if w.peek() != begin {
		w.fail()
		w.skip()
		return
	}
	w.i++
	for w.err == nil {
		switch w.peek() {
		case end:
			w.i++
			return
		case ',':
			w.i++
			continue
		}
		item()
	}
}

// null consumes a null and reports whether there was one.
func (w *walker) null() bool {
	if w.peek() == 'n' {
		w.i += len("null")
		return true
	}
	return false
}

// string reads a string; null reads as "". Strings with escapes go through encoding/json, as
// does invalid UTF-8, which it replaces.
func (w *walker) string() string {
	if w.null() {
		return ""
	}
	if w.peek() != '"' {
		w.fail()
		w.skip()
		return ""
	}
	start := w.i
	w.i++
	plain := true
	for w.b[w.i] != '"' {
		if w.b[w.i] == '\\' {
			plain = false
			w.i++
		}
		w.i++
	}
	w.i++
	raw := w.b[start:w.i]
	if plain && utf8.Valid(raw) {
		return string(raw[1 : len(raw)-1])
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		w.fail()
	}
	return s
}

// number returns the raw text of a number.
func (w *walker) number() []byte {
	if c := w.peek(); c != '-' && (c < '0' || c > '9') {
		w.fail()
		w.skip()
		return nil
	}
	start := w.i
	for w.i < len(w.b) && (w.b[w.i] == '-' || w.b[w.i] == '+' || w.b[w.i] == '.' || w.b[w.i] == 'e' || w.b[w.i] == 'E' || '0' <= w.b[w.i] && w.b[w.i] <= '9') {
		w.i++
	}
	return w.b[start:w.i]
}

// int reads an integer; null reads as 0.
func (w *walker) int() int64 {
	if w.null() {
		return 0
	}
	n, err := strconv.ParseInt(string(w.number()), 10, 64)
	if err != nil {
		w.fail()
	}
	return n
}

// quotedInt reads an integer written as a string ("permissions": "2048"), as encoding/json's
// ",string" option does.
func (w *walker) quotedInt() int64 {
	if w.null() {
		return 0
	}
	s := w.string()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		w.fail()
	}
	return n
}

func (w *walker) bool() bool {
	switch w.peek() {
	case 't':
		w.i += len("true")
		return true
	case 'f':
		w.i += len("false")
	case 'n':
		w.i += len("null")
	default:
		w.fail()
		w.skip()
	}
	return false
}

// any reads a value as encoding/json decodes one into an interface{}: a string, a float64, a
// bool or nil (objects and arrays, which no option value is, are skipped as nil).
func (w *walker) any() any {
	switch c := w.peek(); {
	case c == '"':
		return w.string()
	case c == 't' || c == 'f':
		return w.bool()
	case c == 'n':
		w.null()
		return nil
	case c == '-' || '0' <= c && c <= '9':
		f, err := strconv.ParseFloat(string(w.number()), 64)
		if err != nil {
			w.fail()
		}
		return f
	}
	w.skip()
	return nil
}

// skip passes over one value of any kind.
func (w *walker) skip() {
	switch c := w.peek(); c {
	case '"':
		w.i++
		for w.b[w.i] != '"' {
			if w.b[w.i] == '\\' {
				w.i++
			}
			w.i++
		}
		w.i++
	case '{', '[':
		depth := 0
		for w.i < len(w.b) {
			switch w.b[w.i] {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			case '"':
				w.skip()
				continue
			}
			w.i++
			if depth == 0 {
				return
			}
		}
	default:
		for w.i < len(w.b) && w.b[w.i] != ',' && w.b[w.i] != '}' && w.b[w.i] != ']' {
			w.i++
		}
	}
}

func (w *walker) user() *discordgo.User {
	if w.null() {
		return nil
	}
	u := &discordgo.User{}
	w.object(func(key string) {
		switch key {
		case "id":
			u.ID = w.string()
		case "username":
			u.Username = w.string()
		case "global_name":
			u.GlobalName = w.string()
		default:
			w.skip()
		}
	})
	return u
}

func (w *walker) options() []*discordgo.ApplicationCommandInteractionDataOption {
	if w.null() {
		return nil
	}
	out := []*discordgo.ApplicationCommandInteractionDataOption{} // [] is an empty list, as encoding/json reads it
	w.array(func() {
		if w.null() {
			out = append(out, nil)
			return
		}
		o := &discordgo.ApplicationCommandInteractionDataOption{}
		w.object(func(key string) {
			switch key {
			case "name":
				o.Name = w.string()
			case "type":
				o.Type = discordgo.ApplicationCommandOptionType(w.int())
			case "value":
				o.Value = w.any()
			case "options":
				o.Options = w.options()
			case "focused":
				o.Focused = w.bool()
			default:
				w.skip()
			}
		})
		out = append(out, o)
	})
	return out
}
