package bot

import (
	"log/slog"
	"time"

	"github.com/careerbot/careerbot/knowledge"
)

// RegisterStudy routes the study commands to r: /explain, /topics and help, and, when lib is not
// nil, /share and /materials with the workspace's shared links under each explanation.
func RegisterStudy(r *Router, kb *knowledge.Base, lib *knowledge.Library, log *slog.Logger) {
	explain := explainHandler{kb: kb}
	var mh *materialHandlers
	if lib != nil {
		mh = &materialHandlers{kb: kb, lib: lib, log: log, now: time.Now}
		explain.materials = mh
	}
	r.Handle(Spec{Name: "explain", Usage: "<topic or question>", Option: "topic",
		Summary: "Explain a distributed-architecture topic: how it works, trade-offs, an example, pitfalls."},
		explain)
	r.Handle(Spec{Name: "topics", Usage: "[category]", Option: "category",
		Summary: "List the topics, all of them or one category's."},
		topicsHandler{kb: kb})
	if mh != nil {
		r.Handle(Spec{Name: "share", Usage: "<url> [topic] [note]",
			Summary: "Save a study link for this workspace, tagged with a topic."},
			HandlerFunc(mh.share))
		r.Handle(Spec{Name: "materials", Usage: "[topic] [top] · remove <id>", Option: "topic", Admin: true,
			Summary: "List this workspace's shared links, newest or most upvoted first; remove your own."},
			HandlerFunc(mh.materials))
	}
	r.Handle(Spec{Name: "help", Summary: "What careerbot can do."}, helpHandler{router: r})
	r.Handle(Spec{Name: "careerbot", Usage: "[command]", Hidden: true,
		Summary: "What careerbot can do (/careerbot help), or any command after it (/careerbot explain raft)."},
		careerbotHandler{router: r})
}
