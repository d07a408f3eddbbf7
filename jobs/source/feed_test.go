package source

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/careerbot/careerbot/jobs"
)

// testNow is after every fixture's dates, so no posted time is clamped.
var testNow = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// byID indexes openings by the board's own id (the part after "source:").
func byID(t *testing.T, openings []jobs.Opening) map[string]jobs.Opening {
	t.Helper()
	m := make(map[string]jobs.Opening, len(openings))
	for _, o := range openings {
		_, id, _ := strings.Cut(o.ID, ":")
		if _, dup := m[id]; dup {
			t.Errorf("id %s appears twice", o.ID)
		}
		m[id] = o
	}
	return m
}

// checkOpening holds one opening to what every source promises, whatever its input.
func checkOpening(t testing.TB, o jobs.Opening, source string) {
	t.Helper()
	if o.ID == "" || o.Title == "" {
		t.Errorf("opening without an id or title: %+v", o)
	}
	if !strings.HasPrefix(o.ID, source+":") || o.Source != source {
		t.Errorf("opening %q from source %q, want %q", o.ID, o.Source, source)
	}
	if o.URL != "" && !strings.HasPrefix(o.URL, "http://") && !strings.HasPrefix(o.URL, "https://") {
		t.Errorf("%s: URL %q", o.ID, o.URL)
	}
	if o.URL != jobs.WebURL(o.URL) {
		t.Errorf("%s: URL %q is not a web URL", o.ID, o.URL)
	}
	texts := append([]string{o.ID, o.Title, o.Company, o.Description, o.URL}, o.Locations...)
	for _, s := range texts {
		if !utf8.ValidString(s) {
			t.Errorf("%s: invalid UTF-8 %q", o.ID, s)
		}
	}
	if len(o.Title) > jobs.MaxTitle || len(o.Description) > jobs.MaxDescription {
		t.Errorf("%s: title or description too long", o.ID)
	}
	if o.Salary != nil && (o.Salary.Min <= 0 || o.Salary.Max < o.Salary.Min) {
		t.Errorf("%s: salary %+v", o.ID, *o.Salary)
	}
	if o.Posted.Location() != time.UTC || o.Closes.Location() != time.UTC {
		t.Errorf("%s: times not in UTC", o.ID)
	}
}

// fakeBoard serves files by path and records the User-Agent of every request.
type fakeBoard struct {
	*httptest.Server
	mu     sync.Mutex
	agents []string
	paths  []string
}

func newFakeBoard(t *testing.T, files map[string]string) *fakeBoard {
	t.Helper()
	fb := &fakeBoard{}
	fb.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fb.mu.Lock()
		fb.agents = append(fb.agents, r.Header.Get("User-Agent"))
		fb.paths = append(fb.paths, r.URL.RequestURI())
		fb.mu.Unlock()
		name, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(fixture(t, name))
	}))
	t.Cleanup(fb.Close)
	return fb
}

// fetchThrough makes a source of type typ pointed at url, fetches it, and checks that every
// request named careerbot.
func fetchThrough(t *testing.T, fb *fakeBoard, typ, url string) []jobs.Opening {
	t.Helper()
	c := NewClient("test")
	c.Now = func() time.Time { return testNow }
	src, err := New(Config{Name: "board", Type: typ, URL: url}, c)
	if err != nil {
		t.Fatal(err)
	}
	got, err := src.Fetch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fb.mu.Lock()
	defer fb.mu.Unlock()
	if len(fb.agents) == 0 {
		t.Fatal("no request reached the board")
	}
	for _, a := range fb.agents {
		if !strings.HasPrefix(a, "careerbot/test (+"+ProjectURL) {
			t.Errorf("User-Agent %q", a)
		}
	}
	return got
}

func TestParseRSS(t *testing.T) {
	got, err := parseFeed(fixture(t, "jobs-rss.xml"), "wwr", testNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 {
		t.Fatalf("%d openings, want 4", len(got))
	}
	for _, o := range got {
		checkOpening(t, o, "wwr")
	}
	o := got[0]
	want := jobs.Opening{
		ID:             "wwr:https://weworkremotely.com/remote-jobs/mathmo-maths-coach",
		Title:          "Maths Coach",
		Company:        "Mathmo",
		Locations:      []string{"Anywhere in the World"},
		Remote:         jobs.RemoteYes,
		EmploymentType: jobs.TypeContract,
		URL:            "https://weworkremotely.com/remote-jobs/mathmo-maths-coach",
		Posted:         time.Date(2026, 7, 10, 22, 45, 30, 0, time.UTC),
		Closes:         time.Date(2026, 8, 9, 22, 45, 30, 0, time.UTC),
		Source:         "wwr",
	}
	desc := o.Description
	o.Description = ""
	if !reflect.DeepEqual(o, want) {
		t.Errorf("first item:\n got %+v\nwant %+v", o, want)
	}
	tests := []struct {
		name, text string
		want       bool
	}{
		{"escaped HTML decoded", "Headquarters: London", true},
		{"pound sign kept", "Pay is £75 per hour", true},
		{"no tags left", "<p", false},
		{"no entities left", "&lt;", false},
		{"no image markup", "imgix", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.Contains(desc, tt.text) != tt.want {
				t.Errorf("description contains %q: %v, want %v\n%s", tt.text, !tt.want, tt.want, desc)
			}
		})
	}
	t.Run("entry level from the title", func(t *testing.T) {
		if o := got[2]; o.Company != "APEX TRADE" || o.Title != "Entry-Level Crypto Market Specialist" ||
			o.Seniority != jobs.SeniorityJunior || o.EmploymentType != jobs.TypeFullTime {
			t.Errorf("%+v", o)
		}
	})
}

func TestParseAtom(t *testing.T) {
	got, err := parseFeed(fixture(t, "jobs-atom.xml"), "hnrss", testNow)
	if err != nil {
		t.Fatal(err)
	}
	// Six hnrss comments: the Zoom round-up is not a job post and Mixin's names no role.
	if len(got) != 4 {
		t.Fatalf("%d openings, want 4", len(got))
	}
	for _, o := range got {
		checkOpening(t, o, "hnrss")
	}
	o := got[0]
	if o.ID != "hnrss:https://news.ycombinator.com/item?id=22665626" || o.URL != "https://news.ycombinator.com/item?id=22665626" ||
		!o.Posted.Equal(time.Date(2020, 3, 23, 16, 32, 38, 0, time.UTC)) || o.Company != "Secfi" ||
		o.Title != "Software engineer(s) + Operations and Finance" ||
		!reflect.DeepEqual(o.Salary, &jobs.Salary{Min: 50000, Max: 150000, Currency: "EUR", Period: jobs.PerYear}) {
		t.Errorf("first entry: %+v", o)
	}
	if !strings.HasPrefix(o.Description, "Secfi | Software engineer(s)") || strings.Contains(o.Description, "<p>") {
		t.Errorf("description %q", o.Description)
	}
	// The same comments read from the Algolia API give the same openings, but for the id.
	fromAPI, err := parseHN(fixture(t, "hn-whoishiring.json"), "hnrss", testNow)
	if err != nil {
		t.Fatal(err)
	}
	api := map[string]jobs.Opening{}
	for _, a := range fromAPI {
		api[a.URL] = a
	}
	for _, o := range got {
		a := api[o.URL]
		if a.Title != o.Title || a.Company != o.Company || !reflect.DeepEqual(a.Locations, o.Locations) || a.Remote != o.Remote || !a.Posted.Equal(o.Posted) {
			t.Errorf("%s: Atom %+v\nAPI %+v", o.URL, o, a)
		}
	}
	t.Run("other Atom titles kept as they are", func(t *testing.T) {
		got, err := parseFeed([]byte(`<feed><entry><id>1</id><title>Hybrid Data Engineer</title></entry></feed>`), "f", testNow)
		if err != nil || len(got) != 1 || got[0].Title != "Hybrid Data Engineer" || got[0].Remote != jobs.RemoteHybrid {
			t.Errorf("%+v, %v", got, err)
		}
	})
}

func TestParseFeedShapes(t *testing.T) {
	tests := []struct {
		name, body string
		want       jobs.Opening // compared on ID, Title, Company, URL, Posted
		count      int
		err        string
	}{
		{name: "not XML", body: `{"jobs":[]}`, err: "not XML"},
		{name: "other root", body: `<html><body>hi</body></html>`, err: "not <rss> or <feed>"},
		{name: "empty channel", body: `<rss version="2.0"><channel><title>x</title></channel></rss>`},
		{
			name:  "no guid: the link is the id; RFC 822 with a zone name",
			body:  `<rss><channel><item><title>Go Developer</title><link>https://example.com/j/1</link><pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate></item></channel></rss>`,
			count: 1,
			want:  jobs.Opening{ID: "f:https://example.com/j/1", Title: "Go Developer", URL: "https://example.com/j/1", Posted: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)},
		},
		{
			name:  "no title or id skipped, javascript link dropped",
			body:  `<rss><channel><item><link>https://example.com/a</link></item><item><title>x</title></item><item><title>Role</title><guid>7</guid><link>javascript:alert(1)</link></item></channel></rss>`,
			count: 1,
			want:  jobs.Opening{ID: "f:7", Title: "Role"},
		},
		{
			name:  "Latin-1 feed",
			body:  "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><item><title>Z\xfcrich: Entwickler</title><guid>1</guid></item></channel></rss>",
			count: 1,
			want:  jobs.Opening{ID: "f:1", Title: "Entwickler", Company: "Zürich"},
		},
		{name: "unknown encoding", body: `<?xml version="1.0" encoding="KOI8-R"?><rss></rss>`, err: "not supported"},
		{
			name:  "RSS 1.0",
			body:  `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><item><title>SRE</title><link>https://example.com/sre</link><dc:date>2026-01-05T08:00:00+01:00</dc:date></item></rdf:RDF>`,
			count: 1,
			want:  jobs.Opening{ID: "f:https://example.com/sre", Title: "SRE", URL: "https://example.com/sre", Posted: time.Date(2026, 1, 5, 7, 0, 0, 0, time.UTC)},
		},
		{
			name:  "Atom xhtml content, updated only, no alternate rel",
			body:  `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>tag:x,1</id><title type="html">Senior &lt;b&gt;Go&lt;/b&gt; Engineer</title><link href="https://example.com/e"/><updated>2026-02-01T00:00:00Z</updated><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Hello</p></div></content></entry></feed>`,
			count: 1,
			want:  jobs.Opening{ID: "f:tag:x,1", Title: "Senior Go Engineer", URL: "https://example.com/e", Posted: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseFeed([]byte(tt.body), "f", testNow)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.count {
				t.Fatalf("%d openings, want %d: %+v", len(got), tt.count, got)
			}
			if tt.count == 0 {
				return
			}
			o := got[0]
			checkOpening(t, o, "f")
			if o.ID != tt.want.ID || o.Title != tt.want.Title || o.Company != tt.want.Company || o.URL != tt.want.URL || !o.Posted.Equal(tt.want.Posted) {
				t.Errorf("got %+v\nwant %+v", o, tt.want)
			}
		})
	}
}

func TestFeedFetch(t *testing.T) {
	for _, tt := range []struct{ typ, file string }{{"rss", "jobs-rss.xml"}, {"atom", "jobs-atom.xml"}} {
		t.Run(tt.typ, func(t *testing.T) {
			fb := newFakeBoard(t, map[string]string{"/jobs.xml": tt.file})
			got := fetchThrough(t, fb, tt.typ, fb.URL+"/jobs.xml")
			want, err := parseFeed(fixture(t, tt.file), "board", testNow)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Fetch and parseFeed differ")
			}
		})
	}
	if _, err := New(Config{Name: "feed", Type: "rss"}, NewClient("test")); err == nil || !strings.Contains(err.Error(), "source feed: type rss needs") {
		t.Errorf("rss without url: %v", err)
	}
	if _, err := New(Config{Name: "feed", Type: "atom"}, NewClient("test")); err == nil || !strings.Contains(err.Error(), "source feed: type atom needs") {
		t.Errorf("atom without url: %v", err)
	}
}

func TestHelpers(t *testing.T) {
	t.Run("fixMojibake", func(t *testing.T) {
		for in, want := range map[string]string{
			"Gda\u00c5\u0084sk":                  "Gdańsk",
			"America\u00e2\u0080\u0099s":         "America’s",
			"Zürich":                             "Zürich",
			"São Paulo":                          "São Paulo",
			"plain":                              "plain",
			"Â":                                  "Â",
			"Gda\u00c5\u0084sk and Zürich, Köln": "Gdańsk and Zürich, Köln",
		} {
			if got := fixMojibake(in); got != want {
				t.Errorf("fixMojibake(%q) = %q, want %q", in, got, want)
			}
		}
	})
	t.Run("parseTime", func(t *testing.T) {
		for in, want := range map[string]time.Time{
			"2026-07-26T20:49:11":             time.Date(2026, 7, 26, 20, 49, 11, 0, time.UTC),
			"2026-09-01":                      time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC),
			"2026-10-31T00:00":                time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC),
			"Fri, 10 Jul 2026 22:45:30 +0000": time.Date(2026, 7, 10, 22, 45, 30, 0, time.UTC),
			"Fri, 10 Jul 2026 22:45:30 -0200": time.Date(2026, 7, 11, 0, 45, 30, 0, time.UTC),
			"10 Jul 2026 22:45:30 +0000":      time.Date(2026, 7, 10, 22, 45, 30, 0, time.UTC),
			"2020-03-23T16:13:49.000Z":        time.Date(2020, 3, 23, 16, 13, 49, 0, time.UTC),
			"yesterday":                       {},
			"":                                {},
		} {
			if got := parseTime(in); !got.Equal(want) {
				t.Errorf("parseTime(%q) = %v, want %v", in, got, want)
			}
		}
	})
	t.Run("boardSalary", func(t *testing.T) {
		tests := []struct {
			name   string
			lo, hi float64
			cur    string
			per    jobs.Period
			want   *jobs.Salary
		}{
			{"zero is unknown", 0, 0, "USD", "", nil},
			{"range", 180000, 210000, "usd", "", &jobs.Salary{Min: 180000, Max: 210000, Currency: "USD", Period: jobs.PerYear}},
			{"hourly amounts", 30, 30, "USD", "", &jobs.Salary{Min: 30, Max: 30, Currency: "USD", Period: jobs.PerHour}},
			{"one bound", 0, 90000, "EUR", "", &jobs.Salary{Min: 90000, Max: 90000, Currency: "EUR", Period: jobs.PerYear}},
			{"swapped", 9, 5, "", jobs.PerMonth, &jobs.Salary{Min: 5, Max: 9, Period: jobs.PerMonth}},
			{"negative", -5, -1, "USD", "", nil},
			{"not a currency code", 1000, 2000, "dollars", "", &jobs.Salary{Min: 1000, Max: 2000, Period: jobs.PerYear}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if got := boardSalary(tt.lo, tt.hi, tt.cur, tt.per); !reflect.DeepEqual(got, tt.want) {
					t.Errorf("got %+v, want %+v", got, tt.want)
				}
			})
		}
	})
	t.Run("cleanLocations", func(t *testing.T) {
		got := cleanLocations([]string{" Berlin ", "", "berlin", "São&nbsp;Paulo", "\u202eUSA"})
		if want := []string{"Berlin", "São Paulo", "USA"}; !reflect.DeepEqual(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

func FuzzParseFeed(f *testing.F) {
	f.Add(fixture(f, "jobs-rss.xml"))
	f.Add(fixture(f, "jobs-atom.xml"))
	f.Add([]byte(`<rss><channel><item><title>A: B</title><guid>1</guid></item></channel></rss>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := parseFeed(body, "f", testNow)
		if err != nil {
			return
		}
		for _, o := range got {
			checkOpening(t, o, "f")
		}
	})
}
