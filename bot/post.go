package bot

// A Post is a message careerbot sends to a channel on its own, not in answer to a command:
// a new job opening for a subscribed channel, a digest, a notice that a subscription stopped.
type Post struct {
	Workspace string // the platform's workspace id: Slack team id, Discord guild id
	Channel   string // the platform's channel id
	// Key identifies the message for deduplication on the platform's side: 1 to 25
	// characters of [0-9a-z-], the same for every attempt of one delivery (Discord's nonce,
	// the event payload of Slack's message metadata).
	Key   string
	Reply Reply
}
