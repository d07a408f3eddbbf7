package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The browser tests run the whole program on its embedded default, as a newcomer does, and
// drive the playground page in headless Chromium. They fail, not skip, without Chromium:
// `bash .ci/test` installs it.

// xssTitle is an opening title that runs script if anything renders it as HTML. The board's
// reader keeps the title's text and drops the markup (jobs/source's hostile tests); the page
// must show what is left as text either way.
const xssTitle = `<img src=x onerror="window.__xss='title'"> Kafka Platform Engineer`

// xssNote is a shared link's note that does the same.
const xssNote = `<img src=x onerror="window.__xss='note'">`

// hostileBoard serves the recorded RemoteOK payload with one opening's title made hostile,
// through a sources file, and returns the file's path.
func hostileBoard(t *testing.T) string {
	t.Helper()
	payload, err := os.ReadFile(filepath.Join("..", "..", "jobs", "source", "testdata", "remoteok.json"))
	if err != nil {
		t.Fatal(err)
	}
	var items []map[string]any
	if err := json.Unmarshal(payload, &items); err != nil {
		t.Fatal(err)
	}
	items[1]["position"] = xssTitle
	items[1]["tags"] = []string{"kafka"}
	items[1]["epoch"] = float64(time.Now().Unix())
	items[1]["date"] = time.Now().UTC().Format(time.RFC3339)
	body, err := json.Marshal(items)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(body) }))
	t.Cleanup(srv.Close)
	file := filepath.Join(t.TempDir(), "sources.yaml")
	if err := os.WriteFile(file, []byte("sources:\n  - name: remoteok\n    type: remoteok\n    url: "+srv.URL+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// startPlayground runs `careerbot serve` with no platform configured and returns its URL.
func startPlayground(t *testing.T) string {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	env := map[string]string{"CAREERBOT_ADDR": addr, "CAREERBOT_DATA_DIR": t.TempDir(), "CAREERBOT_SOURCES": hostileBoard(t)}
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), io.Discard, io.Discard)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	waitFor(t, "http://"+addr+"/healthz")
	return "http://" + addr
}

// browser starts headless Chromium for the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Fatal("Chromium is not installed: install it (apt-get install chromium) or run the tests with bash .ci/test, which does")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.WindowSize(1280, 900), chromedp.Flag("disable-gpu", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// do runs browser actions, failing the test on an error.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// replies counts the replies in the transcript.
const replies = `document.querySelectorAll('#transcript article.reply').length`

// artifacts is where screenshots go: CAREERBOT_ARTIFACTS, or the test's temporary directory.
func artifacts(t *testing.T) string {
	if d := os.Getenv("CAREERBOT_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// say types a command into the playground and waits for its reply; it returns the reply's text.
func say(t *testing.T, ctx context.Context, command string) string {
	t.Helper()
	before := eval[int](t, ctx, replies)
	clear(t, ctx)
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#command`), command))
	submit(t, ctx)
	return lastReply(t, ctx, before)
}

// clear empties the command box and focuses it.
func clear(t *testing.T, ctx context.Context) {
	t.Helper()
	eval[bool](t, ctx, `(() => { const c = document.querySelector('#command'); c.value = ''; c.focus(); return true; })()`)
}

// submit sends the command box as the Enter key would.
func submit(t *testing.T, ctx context.Context) {
	t.Helper()
	eval[bool](t, ctx, `(() => { document.querySelector('#command-form').requestSubmit(); return true; })()`)
}

// lastReply waits for a reply after the first before ones and returns its text.
func lastReply(t *testing.T, ctx context.Context, before int) string {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); eval[int](t, ctx, replies) <= before; {
		if time.Now().After(deadline) {
			t.Fatal("no reply came")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return eval[string](t, ctx, `[...document.querySelectorAll('#transcript article.reply')].pop().innerText`)
}

func TestPlaygroundInBrowser(t *testing.T) {
	base := startPlayground(t)
	ctx := browser(t)
	do(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`#command`)))

	t.Run("explain", func(t *testing.T) {
		if got := say(t, ctx, "/explain cap"); !strings.Contains(got, "CAP theorem") {
			t.Errorf("/explain cap: %.300s", got)
		}
	})

	t.Run("related topic button", func(t *testing.T) {
		before := eval[int](t, ctx, replies)
		label := eval[string](t, ctx, `(() => { const b = [...document.querySelectorAll('#transcript article.reply')].pop().querySelector('button.reply-button'); b.click(); return b.innerText; })()`)
		lastReply(t, ctx, before)
		title := eval[string](t, ctx, `[...document.querySelectorAll('#transcript article.reply')].pop().querySelector('.reply-title').innerText`)
		if title == "" || strings.Contains(title, "CAP") || !strings.Contains(label, title) && !strings.Contains(title, label) {
			t.Errorf("after clicking %q the reply is titled %q", label, title)
		}
	})

	t.Run("autocomplete", func(t *testing.T) {
		clear(t, ctx)
		do(t, ctx,
			chromedp.SendKeys(chromedp.CSS(`#command`), "/explain consens"),
			chromedp.WaitVisible(chromedp.CSS(`#suggestions li[role=option]`)),
		)
		value := eval[string](t, ctx, `document.querySelector('#suggestions li[role=option]').dataset.value`)
		do(t, ctx, chromedp.Click(chromedp.CSS(`#suggestions li[role=option]`)))
		if typed := eval[string](t, ctx, `document.querySelector('#command').value`); !strings.Contains(typed, value) && !strings.Contains(value, typed) {
			t.Errorf("picked %q, the box holds %q", value, typed)
		}
		before := eval[int](t, ctx, replies)
		submit(t, ctx)
		if got := lastReply(t, ctx, before); !strings.Contains(strings.ToLower(got), "consensus") {
			t.Errorf("the picked topic (%q): %.300s", value, got)
		}
	})

	t.Run("quiz", func(t *testing.T) {
		if got := say(t, ctx, "/quiz raft"); !strings.Contains(got, "Quiz: Raft consensus algorithm") {
			t.Fatalf("/quiz raft: %.300s", got)
		}
		before := eval[int](t, ctx, replies)
		clicked := eval[string](t, ctx, `(() => { const b = [...[...document.querySelectorAll('#transcript article.reply')].pop().querySelectorAll('button.reply-button')].find(b => b.innerText.trim() === 'B'); if (!b) return ''; b.click(); return b.innerText; })()`)
		if clicked == "" {
			t.Fatal("no B answer button")
		}
		got := lastReply(t, ctx, before)
		if !strings.Contains(got, "You chose B.") || !strings.Contains(got, "Why") && !strings.Contains(got, "WHY") {
			t.Errorf("after answering B: %.400s", got)
		}
	})

	t.Run("path", func(t *testing.T) {
		if got := say(t, ctx, "/path sre"); !strings.Contains(got, "Learning path: Site reliability engineer (SRE)") || !strings.Contains(got, "Basics") && !strings.Contains(got, "BASICS") {
			t.Errorf("/path sre: %.300s", got)
		}
	})

	t.Run("subscribe and see the feed", func(t *testing.T) {
		// The poller has read the board by the time /jobs finds the opening.
		deadline := time.Now().Add(30 * time.Second)
		for !strings.Contains(say(t, ctx, "/jobs kafka platform"), "Kafka Platform Engineer") {
			if time.Now().After(deadline) {
				t.Fatal("/jobs never found the board's opening")
			}
			time.Sleep(500 * time.Millisecond)
		}
		if got := say(t, ctx, "/jobs subscribe kafka platform"); !strings.Contains(got, "Subscription 1") {
			t.Fatalf("subscribe: %.300s", got)
		}
		var feed string
		for deadline := time.Now().Add(30 * time.Second); ; {
			feed = eval[string](t, ctx, `[...document.querySelectorAll('#feed-posts article.post')].map(p => p.innerText).join('\n')`)
			if strings.Contains(feed, "Kafka Platform Engineer") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the feed never showed the opening: %q", feed)
			}
			time.Sleep(100 * time.Millisecond)
		}
		if strings.Contains(feed, "onerror") {
			t.Errorf("the reader kept the hostile title's markup: %q", feed)
		}
		// The README's picture: an explanation in the channel and an opening in the feed.
		if os.Getenv("CAREERBOT_UPDATE_SCREENSHOT") != "" {
			say(t, ctx, "/explain consistency")
			eval[bool](t, ctx, `(() => { const r = [...document.querySelectorAll('#transcript article.reply')].pop(); r.scrollIntoView(); window.scrollTo(0, 0); return true; })()`)
			shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join("..", "..", "docs", "playground.png"), shot, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	})

	t.Run("share and upvote", func(t *testing.T) {
		if got := say(t, ctx, "/share https://raft.github.io/ raft "+xssNote); !strings.Contains(got, "raft.github.io") {
			t.Fatalf("share: %.300s", got)
		}
		got := say(t, ctx, "/materials raft")
		if !strings.Contains(got, "onerror") {
			t.Errorf("the note is not shown as text: %.300s", got)
		}
		before := eval[int](t, ctx, replies)
		clicked := eval[bool](t, ctx, `(() => { const b = [...[...document.querySelectorAll('#transcript article.reply')].pop().querySelectorAll('button.reply-button')].find(b => /upvote/i.test(b.innerText)); if (!b) return false; b.click(); return true; })()`)
		if !clicked {
			t.Fatalf("no upvote button: %.300s", got)
		}
		if after := lastReply(t, ctx, before); !strings.Contains(strings.ToLower(after), "upvote") {
			t.Errorf("after the upvote: %.300s", after)
		}
	})

	t.Run("hostile command text", func(t *testing.T) {
		got := say(t, ctx, `/explain <img src=x onerror="window.__xss='said'">`)
		if !strings.Contains(got, "<img src=x") {
			t.Errorf("the typed markup is not shown as text: %.300s", got)
		}
	})

	t.Run("no script ran", func(t *testing.T) {
		xss := eval[string](t, ctx, `String(window.__xss || '')`)
		imgs := eval[int](t, ctx, `document.querySelectorAll('#transcript img, #feed-posts img').length`)
		if xss != "" || imgs != 0 {
			t.Errorf("hostile markup ran: window.__xss=%q, %d img elements", xss, imgs)
		}
	})

	t.Run("screenshots and phone width", func(t *testing.T) {
		dir := artifacts(t)
		// What the window shows (the newest replies and the feed), as a person sees it.
		desktop, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		do(t, ctx, chromedp.EmulateViewport(375, 800), chromedp.Sleep(200*time.Millisecond))
		scroll := eval[int](t, ctx, `document.documentElement.scrollWidth`)
		inner := eval[int](t, ctx, `window.innerWidth`)
		if scroll > inner {
			t.Errorf("at 375 px the page scrolls sideways: %d > %d", scroll, inner)
		}
		phone, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		for name, b := range map[string][]byte{"playground-desktop.png": desktop, "playground-phone.png": phone} {
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("screenshots in %s", dir)
	})
}
