package bot

import "github.com/careerbot/careerbot/knowledge"

// RegisterStudy routes the study commands (/explain, /topics) and help to r.
func RegisterStudy(r *Router, kb *knowledge.Base) {
	r.Handle(Spec{Name: "explain", Usage: "<topic or question>", Option: "topic",
		Summary: "Explain a distributed-architecture topic: how it works, trade-offs, an example, pitfalls."},
		explainHandler{kb: kb})
	r.Handle(Spec{Name: "topics", Usage: "[category]", Option: "category",
		Summary: "List the topics, all of them or one category's."},
		topicsHandler{kb: kb})
	r.Handle(Spec{Name: "help", Summary: "What careerbot can do."}, helpHandler{router: r})
	r.Handle(Spec{Name: "careerbot", Usage: "[command]", Hidden: true,
		Summary: "Slack's umbrella command: help, or any other command after it."},
		careerbotHandler{router: r})
}
