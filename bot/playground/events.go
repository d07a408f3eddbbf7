package playground

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// events streams the channel feed as server-sent events: every post after the one the page
// last saw (the Last-Event-ID header of a reconnecting EventSource, else ?after=), then each
// new post as it is delivered, with a heartbeat comment while nothing happens. The stream ends
// when the page goes away or the adapter closes.
//
// Each event is "event: post", the post's id, and as data the JSON {"id", "key", "time",
// "html"} that /playground/feed lists too.
func (a *Adapter) events(w http.ResponseWriter, r *http.Request) {
	seen := r.Header.Get("Last-Event-ID")
	if seen == "" {
		seen = r.URL.Query().Get("after")
	}
	after, ok := afterID(seen)
	if !ok {
		writeError(w, http.StatusBadRequest, "after must be a post id: a number.")
		return
	}
	rc := http.NewResponseController(w)
	// The server's write timeout is for answers, not for a stream that lasts as long as the page.
	_ = rc.SetWriteDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // a proxy in front must not hold the events back
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(w, "retry: 3000\n\n"); err != nil {
		return
	}
	if err := rc.Flush(); err != nil {
		a.log.WarnContext(r.Context(), "playground event stream cannot flush", "err", err)
		return
	}

	tick := time.NewTicker(a.beat)
	defer tick.Stop()
	for {
		posts, changed := a.feed.after(after)
		for _, p := range posts {
			data, err := json.Marshal(p)
			if err != nil {
				a.log.ErrorContext(r.Context(), "playground event not encoded", "id", p.ID, "err", err)
				continue
			}
			if _, err := fmt.Fprintf(w, "id: %d\nevent: post\ndata: %s\n\n", p.ID, data); err != nil {
				return
			}
			after = p.ID
		}
		if len(posts) > 0 {
			if err := rc.Flush(); err != nil {
				return
			}
		}
		select {
		case <-changed:
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": heartbeat\n\n"); err != nil {
				return
			}
			if err := rc.Flush(); err != nil {
				return
			}
		case <-r.Context().Done():
			return
		case <-a.closed:
			return
		}
	}
}
