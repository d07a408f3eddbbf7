package discord

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// decodeSeeds are interactions as Discord sends them, of every kind the adapter handles.
func decodeSeeds() []string {
	return []string{
		interaction(discordgo.InteractionApplicationCommand,
			slashCmd("explain", opt("topic", discordgo.ApplicationCommandOptionString, "how does \"raft\" elect a leader? \u00e9\\")), member("U1", memberPerms)),
		interaction(discordgo.InteractionApplicationCommand,
			slashCmd("materials", sub("remove", opt("id", discordgo.ApplicationCommandOptionInteger, 42))), member("U2", memberPerms|discordgo.PermissionManageChannels)),
		interaction(discordgo.InteractionApplicationCommandAutocomplete,
			slashCmd("explain", map[string]any{"name": "topic", "type": 3, "value": "cons", "focused": true}), member("U3", 0)),
		interaction(discordgo.InteractionMessageComponent, map[string]any{"custom_id": "cb:public:explain raft", "component_type": 2}, member("U4", memberPerms)),
		`{"type":1,"id":"1","application_id":"A","token":"t"}`,
		`{"TYPE":3,"i\u0064":"1","\u0064ata":{"custom_\u0069d":"cb:explain raft"},"Member":{"permissions":"8","user":{"ID":"U\u00e9"}}}`,
		`{"type":2,"id":"1","user":{"id":"U9","username":"dm","global_name":null},"data":{"name":"help","options":null,"type":1}}`,
	}
}

// TestDecodeInteractionAsDiscordgo: for real payloads, the adapter's decoding gives what
// discordgo's gives, in every field the adapter reads.
func TestDecodeInteractionAsDiscordgo(t *testing.T) {
	for i, body := range decodeSeeds() {
		got, err := decodeInteraction([]byte(body))
		if err != nil {
			t.Fatalf("seed %d: %v", i, err)
		}
		var want discordgo.Interaction
		if err := json.Unmarshal([]byte(body), &want); err != nil {
			t.Fatalf("seed %d: discordgo: %v", i, err)
		}
		if a, b := used(got), used(&want); !reflect.DeepEqual(a, b) {
			t.Errorf("seed %d:\n got %+v\nwant %+v", i, a, b)
		}
	}
	for _, bad := range []string{"", "{", `{"type":"two"}`, `{"id":5}`, `{"member":{"permissions":8}}`, `[1]`, `{"type":2,"data":{"options":[{"type":"x"}]}}`} {
		if _, err := decodeInteraction([]byte(bad)); err == nil {
			t.Errorf("%q decoded", bad)
		}
	}
}

// FuzzDecodeInteraction holds the adapter's decoding to discordgo's: whatever discordgo reads
// (without duplicate keys, which Discord does not send), the adapter reads the same; it never
// panics on anything.
func FuzzDecodeInteraction(f *testing.F) {
	for _, s := range decodeSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		got, err := decodeInteraction([]byte(body))
		var want discordgo.Interaction
		if json.Unmarshal([]byte(body), &want) != nil || duplicateKeys([]byte(body)) {
			return
		}
		if err != nil {
			t.Fatalf("discordgo reads %q, the adapter does not: %v", body, err)
		}
		if a, b := used(got), used(&want); !reflect.DeepEqual(a, b) {
			t.Fatalf("%q:\n got %+v\nwant %+v", body, a, b)
		}
	})
}

// usedFields are the parts of an interaction the adapter reads.
type usedFields struct {
	ID, AppID, Token, GuildID, ChannelID string
	Type                                 discordgo.InteractionType
	Member                               *discordgo.User
	Perms, AppPerms                      int64
	HasMember                            bool
	User                                 *discordgo.User
	Name, CustomID                       string
	Options                              []*discordgo.ApplicationCommandInteractionDataOption
}

func used(in *discordgo.Interaction) usedFields {
	u := usedFields{ID: in.ID, AppID: in.AppID, Token: in.Token, GuildID: in.GuildID, ChannelID: in.ChannelID, Type: in.Type,
		AppPerms: in.AppPermissions, User: slim(in.User)}
	if in.Member != nil {
		u.HasMember, u.Member, u.Perms = true, slim(in.Member.User), in.Member.Permissions
	}
	switch d := in.Data.(type) {
	case discordgo.ApplicationCommandInteractionData:
		u.Name, u.Options = d.Name, d.Options
	case discordgo.MessageComponentInteractionData:
		u.CustomID = d.CustomID
	}
	return u
}

func slim(u *discordgo.User) *discordgo.User {
	if u == nil {
		return nil
	}
	return &discordgo.User{ID: u.ID, Username: u.Username, GlobalName: u.GlobalName}
}

// duplicateKeys reports whether any object in the JSON has a key twice.
func duplicateKeys(b []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	type frame struct {
		keys   map[string]bool
		object bool
		key    bool // the next string token is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) || err != nil {
			return false
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.key {
			if s, ok := tok.(string); ok {
				if top.keys[s] {
					return true
				}
				top.keys[s] = true
				top.key = false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			if top != nil && top.object {
				top.key = true
			}
			stack = append(stack, &frame{keys: map[string]bool{}, object: true, key: true})
			continue
		case json.Delim('['):
			if top != nil && top.object {
				top.key = true
			}
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && stack[len(stack)-1].object {
				stack[len(stack)-1].key = true
			}
			continue
		}
		if top != nil && top.object {
			top.key = true
		}
	}
}
