package source

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/careerbot/careerbot/jobs"
)

// atsNow is the time the company-board tests parse at: after every fixture's dates.
var atsNow = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func atsFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

type atsParser func([]byte, string, time.Time) ([]jobs.Opening, error)

// atsParse parses a fixture, checks what every opening must satisfy, and returns the openings
// by id.
func atsParse(t *testing.T, parse atsParser, fixture, source string, count int) map[string]jobs.Opening {
	t.Helper()
	openings, err := parse(atsFixture(t, fixture), source, atsNow)
	if err != nil {
		t.Fatalf("%s: %v", fixture, err)
	}
	if len(openings) != count {
		t.Errorf("%s: %d openings, want %d", fixture, len(openings), count)
	}
	byID := make(map[string]jobs.Opening, len(openings))
	for _, o := range openings {
		atsCheckOpening(t, o, source)
		if tag := atsTag.FindString(o.Description); tag != "" {
			t.Errorf("%s: description keeps markup %q", o.ID, tag)
		}
		if strings.Contains(o.Description, "&lt;") || strings.Contains(o.Description, "&amp;") || strings.Contains(o.Description, "&nbsp;") {
			t.Errorf("%s: description keeps an entity", o.ID)
		}
		byID[o.ID] = o
	}
	return byID
}

var atsTag = regexp.MustCompile(`<[a-zA-Z/!][^>]*>|<!\[CDATA`)

// atsCheckOpening holds an opening to what every source promises, fuzzed input included.
func atsCheckOpening(t testing.TB, o jobs.Opening, source string) {
	t.Helper()
	if o.Title == "" || !strings.HasPrefix(o.ID, source+":") || len(o.ID) == len(source)+1 {
		t.Errorf("opening without id or title: %q %q", o.ID, o.Title)
	}
	if o.Source != source {
		t.Errorf("%s: source %q", o.ID, o.Source)
	}
	if o.URL != "" && !strings.HasPrefix(o.URL, "https://") && !strings.HasPrefix(o.URL, "http://") {
		t.Errorf("%s: URL %q", o.ID, o.URL)
	}
	if len(o.Title) > jobs.MaxTitle || len(o.Description) > jobs.MaxDescription {
		t.Errorf("%s: title of %d or description of %d bytes", o.ID, len(o.Title), len(o.Description))
	}
	for _, s := range append([]string{o.ID, o.Title, o.Company, o.URL, o.Description}, o.Locations...) {
		if !utf8.ValidString(s) {
			t.Errorf("%s: invalid UTF-8 in %q", o.ID, s)
		}
	}
	if !o.Posted.IsZero() && o.Posted.Location() != time.UTC {
		t.Errorf("%s: posted %v not in UTC", o.ID, o.Posted)
	}
}

// atsWant compares the chosen openings with what they should be, description aside, and
// checks words the description must have and must not have.
type atsWant struct {
	name      string
	want      jobs.Opening // Description is not compared
	has, lack []string     // in the description
}

func atsCompare(t *testing.T, got map[string]jobs.Opening, cases []atsWant) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			o, ok := got[c.want.ID]
			if !ok {
				t.Fatalf("no opening %s", c.want.ID)
			}
			desc := o.Description
			o.Description = ""
			if !reflect.DeepEqual(o, c.want) {
				t.Errorf("got  %+v\nwant %+v", atsShow(o), atsShow(c.want))
			}
			for _, s := range c.has {
				if !strings.Contains(desc, s) {
					t.Errorf("description lacks %q:\n%s", s, desc)
				}
			}
			for _, s := range c.lack {
				if strings.Contains(desc, s) {
					t.Errorf("description has %q:\n%s", s, desc)
				}
			}
		})
	}
}

// atsShow makes an opening's salary readable in a failure message.
func atsShow(o jobs.Opening) any {
	type shown struct {
		jobs.Opening
		Salary jobs.Salary
	}
	s := shown{Opening: o}
	if o.Salary != nil {
		s.Salary = *o.Salary
	}
	return s
}

// atsFuzz is the body of every parser's fuzz target: no panic, and whatever comes back is an
// opening careerbot can show.
func atsFuzz(t *testing.T, parse atsParser, body []byte) {
	openings, err := parse(body, "fuzz", atsNow)
	if err != nil {
		if len(openings) != 0 {
			t.Errorf("openings with an error: %v", err)
		}
		return
	}
	for _, o := range openings {
		atsCheckOpening(t, o, "fuzz")
	}
}

func TestATSConstructors(t *testing.T) {
	c := NewClient("test")
	tests := []struct {
		typ, board, want string
	}{
		{"greenhouse", "seqera", "https://boards-api.greenhouse.io/v1/boards/seqera/jobs?content=true"},
		{"lever", "GoToGroup", "https://api.lever.co/v0/postings/GoToGroup?mode=json"},
		{"ashby", "lightdash", "https://api.ashbyhq.com/posting-api/job-board/lightdash?includeCompensation=true"},
		{"workable", "workable", "https://apply.workable.com/api/v1/widget/accounts/workable?details=true"},
		{"smartrecruiters", "Vitol", "https://api.smartrecruiters.com/v1/companies/Vitol/postings?limit=100"},
		{"recruitee", "aikidosecurity", "https://aikidosecurity.recruitee.com/api/offers/"},
		{"personio", "ottonova", "https://ottonova.jobs.personio.de/xml"},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			s, err := New(Config{Name: "co", Type: tt.typ, Board: tt.board}, c)
			if err != nil {
				t.Fatal(err)
			}
			if got := atsEndpoint(s); got != tt.want {
				t.Errorf("endpoint %q, want %q", got, tt.want)
			}
			if s.Name() != "co" {
				t.Errorf("name %q", s.Name())
			}
			eu := "https://api.eu.lever.co/v0/postings/acme?mode=json"
			if s, err := New(Config{Name: "co", Type: tt.typ, URL: eu}, c); err != nil || atsEndpoint(s) != eu {
				t.Errorf("url without board: %v", err)
			}
			_, err = New(Config{Name: "co", Type: tt.typ}, c)
			if err == nil || !strings.Contains(err.Error(), "source co") || !strings.Contains(err.Error(), "needs board") ||
				!strings.Contains(err.Error(), tt.typ) {
				t.Errorf("no board, no url: %v", err)
			}
			for _, bad := range []string{"evil.example/x?", "a b", "../x", "x#y", "-x"} {
				if _, err := New(Config{Name: "co", Type: tt.typ, Board: bad}, c); err == nil {
					t.Errorf("board %q accepted", bad)
				}
			}
		})
	}
	if _, err := New(Config{Name: "co", Type: "recruitee", Board: "a.b"}, c); err == nil {
		t.Error("recruitee board with a dot accepted: it is a host name label")
	}
}

// atsEndpoint is the URL a company-board source fetches.
func atsEndpoint(s Source) string {
	switch s := s.(type) {
	case greenhouse:
		return s.url
	case lever:
		return s.url
	case ashby:
		return s.url
	case workable:
		return s.url
	case smartRecruiters:
		return s.url
	case recruitee:
		return s.url
	case personio:
		return s.url
	}
	return ""
}

// TestATSFetch serves each fixture from a local server in place of the board and checks that
// Fetch sends careerbot's User-Agent and returns what the parser makes of the fixture, with
// the board's name as the company where the payload has none and Personio's links built from
// the board name.
func TestATSFetch(t *testing.T) {
	tests := []struct {
		typ, board, fixture string
		parse               atsParser
	}{
		{"greenhouse", "smarterdx", "greenhouse-jobs.json", parseGreenhouse},
		{"lever", "GoToGroup", "lever-postings.json", parseLever},
		{"ashby", "lightdash", "ashby-jobs.json", parseAshby},
		{"workable", "workable", "workable-widget.json", parseWorkable},
		{"smartrecruiters", "Vitol", "smartrecruiters-postings.json", parseSmartRecruiters},
		{"recruitee", "aikidosecurity", "recruitee-offers.json", parseRecruitee},
		{"personio", "ottonova", "personio-positions.xml", parsePersonio},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			t.Parallel()
			body := atsFixture(t, tt.fixture)
			var agent, accept string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				agent, accept = r.Header.Get("User-Agent"), r.Header.Get("Accept")
				_, _ = w.Write(body)
			}))
			defer srv.Close()
			c := NewClient("test")
			c.Now = func() time.Time { return atsNow }
			s, err := New(Config{Name: "co", Type: tt.typ, Board: tt.board, URL: srv.URL + "/board"}, c)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.Fetch(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if agent != c.UserAgent || !strings.HasPrefix(agent, "careerbot/test (+") {
				t.Errorf("User-Agent %q", agent)
			}
			if accept == "" {
				t.Error("no Accept header")
			}
			want, err := tt.parse(body, "co", atsNow)
			if err != nil {
				t.Fatal(err)
			}
			for i := range want {
				if want[i].Company == "" {
					want[i].Company = tt.board
				}
				if tt.typ == "personio" {
					want[i].URL = "https://ottonova.jobs.personio.de/job/" + strings.TrimPrefix(want[i].ID, "co:")
				}
			}
			if len(want) == 0 || !reflect.DeepEqual(got, want) {
				t.Errorf("Fetch gave %d openings that differ from the %d parsed", len(got), len(want))
			}
		})
	}
}

func TestATSFetchErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/gone" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte("<html>maintenance</html>"))
	}))
	defer srv.Close()
	c := NewClient("test")
	for _, typ := range []string{"greenhouse", "lever", "ashby", "workable", "smartrecruiters", "recruitee", "personio"} {
		t.Run(typ, func(t *testing.T) {
			s, err := New(Config{Name: "co", Type: typ, URL: srv.URL + "/html"}, c)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Fetch(context.Background()); err == nil || !strings.HasPrefix(err.Error(), "source co: "+typ+": the payload is not") {
				t.Errorf("an HTML page: %v", err)
			}
			s, _ = New(Config{Name: "co", Type: typ, URL: srv.URL + "/gone"}, c)
			if _, err := s.Fetch(context.Background()); err == nil || !strings.Contains(err.Error(), "HTTP 404") {
				t.Errorf("404: %v", err)
			}
		})
	}
}

// TestATSHostile reads hostile.json, a Greenhouse-shaped payload of hostile text, and checks
// that nothing of it survives that could run, mislead or break a message.
func TestATSHostile(t *testing.T) {
	got := atsParse(t, parseGreenhouse, "hostile.json", "h", 4)
	for _, o := range got {
		all := strings.Join(append([]string{o.Title, o.Company, o.Description}, o.Locations...), "\n")
		for _, bad := range []string{"<script", "alert(1)</", "<img", "onerror=alert", "\u202e", "\u200b", "\ufeff", "\x00", "\x07", "\x1b", "\r"} {
			if strings.Contains(all, bad) {
				t.Errorf("%s keeps %q: %q", o.ID, bad, all)
			}
		}
		if strings.ContainsAny(o.Title+o.Company+strings.Join(o.Locations, ""), "\n\t") {
			t.Errorf("%s: a one-line field has a line break: %q", o.ID, o.Title)
		}
	}
	tests := []struct {
		name, id, title, company, url string
		locations                     []string
	}{
		{"mentions", "h:4000000101", "Senior Engineer @everyone <@U123> <@&123> [click](http://evil.example)", "Example Corp",
			"https://example.com/careers/hostile/jobs/4000000101", []string{"Remote @everyone"}},
		{"script and javascript url", "h:4000000102", "Staff Engineer", "Example Corp", "", []string{"Remote"}},
		{"control characters", "h:4000000104", "Backend Engineer [31mRED [0m tpircs.exe (Remote) Injected: line", "Example Corp evil",
			"", []string{"Remote ASU"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := got[tt.id]
			if o.Title != tt.title || o.Company != tt.company || o.URL != tt.url || !reflect.DeepEqual(o.Locations, tt.locations) {
				t.Errorf("got %q %q %q %q", o.Title, o.Company, o.URL, o.Locations)
			}
		})
	}
	t.Run("long title", func(t *testing.T) {
		o := got["h:4000000103"]
		if len(o.Title) > jobs.MaxTitle || len(o.Title) < jobs.MaxTitle*3/4 || !strings.HasPrefix(o.Title, "Senior Engineer Senior") ||
			strings.HasSuffix(o.Title, " ") {
			t.Errorf("3,000-character title cut to %d bytes: %q", len(o.Title), o.Title)
		}
	})
}

func TestATSHelpers(t *testing.T) {
	t.Run("times", func(t *testing.T) {
		for in, want := range map[string]time.Time{
			"2026-07-27T13:48:30-04:00":     time.Date(2026, 7, 27, 17, 48, 30, 0, time.UTC),
			"2024-07-15T16:45:14.721+00:00": time.Date(2024, 7, 15, 16, 45, 14, 721e6, time.UTC),
			"2026-08-11 20:45:29 UTC":       time.Date(2026, 8, 11, 20, 45, 29, 0, time.UTC),
			"2026-06-22":                    time.Date(2026, 6, 22, 0, 0, 0, 0, time.UTC),
			"2026-06-22T10:00:00":           time.Date(2026, 6, 22, 10, 0, 0, 0, time.UTC),
			"yesterday":                     {},
			"":                              {},
		} {
			if got := atsPosted(in, atsNow); !got.Equal(want) {
				t.Errorf("%q: %v, want %v", in, got, want)
			}
		}
		if got := atsPosted("2030-01-01", atsNow); !got.Equal(atsNow) {
			t.Errorf("a posting time in the future is not clamped: %v", got)
		}
		if got := atsCloses("2030-01-01"); got.Year() != 2030 {
			t.Errorf("a closing time in the future is clamped: %v", got)
		}
	})
	t.Run("employment types", func(t *testing.T) {
		for in, want := range map[string]jobs.EmploymentType{
			"FullTime": jobs.TypeFullTime, "PartTime": jobs.TypePartTime, "Intern": jobs.TypeInternship,
			"fulltime_permanent": jobs.TypeFullTime, "parttime_permanent": jobs.TypePartTime, "Direct Contract": jobs.TypeContract,
			"Permanent": jobs.TypeFullTime, "": jobs.TypeUnknown,
		} {
			if got := atsEmploymentType(in); got != want {
				t.Errorf("%q: %q, want %q", in, got, want)
			}
		}
	})
	t.Run("levels", func(t *testing.T) {
		tests := []struct {
			level, title string
			want         jobs.Seniority
		}{
			{"executive", "Futures Execution Specialist", jobs.SeniorityLead},
			{"entry_level", "Analyst", jobs.SeniorityJunior},
			{"mid_senior_level", "Platform Engineer", jobs.SeniorityMid},
			{"mid_senior_level", "Senior Engineer", jobs.SenioritySenior},
			{"Mid-Senior level", "Implementation Manager", jobs.SeniorityLead},
			{"experienced", "Engineer", jobs.SeniorityUnknown},
			{"student", "Werkstudent", jobs.SeniorityIntern},
			{"", "Staff Engineer", jobs.SeniorityStaff},
		}
		for _, tt := range tests {
			if got := atsLevel(tt.level, tt.title); got != tt.want {
				t.Errorf("%q %q: %q, want %q", tt.level, tt.title, got, tt.want)
			}
		}
	})
	t.Run("salaries", func(t *testing.T) {
		tests := []struct {
			name             string
			lo, hi           float64
			currency, period string
			want             *jobs.Salary
		}{
			{"range", 60000, 95000, "GBP", "1 YEAR", &jobs.Salary{Min: 60000, Max: 95000, Currency: "GBP", Period: jobs.PerYear}},
			{"one bound", 0, 30, "usd", "hour", &jobs.Salary{Min: 30, Max: 30, Currency: "USD", Period: jobs.PerHour}},
			{"swapped", 5000, 4000, "EUR", "month", &jobs.Salary{Min: 4000, Max: 5000, Currency: "EUR", Period: jobs.PerMonth}},
			{"no amount", 0, 0, "USD", "year", nil},
			{"no currency", 1, 2, "", "year", nil},
			{"equity", 0.1, 0.3, "", "NONE", nil},
			{"a week", 1000, 2000, "USD", "1 WEEK", nil},
		}
		for _, tt := range tests {
			if got := atsSalary(tt.lo, tt.hi, tt.currency, tt.period); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
			}
		}
	})
	t.Run("paragraphs in list items", func(t *testing.T) {
		if got := atsText(`<ul><li><p>one</p></li><li class="x"> <P style="a">two</P></li></ul>`); got != "- one\n- two" {
			t.Errorf("%q", got)
		}
	})
	t.Run("places", func(t *testing.T) {
		if got := atsPlace("Singapore", " ", "Singapore"); got != "Singapore" {
			t.Errorf("%q", got)
		}
		if got := atsLocations("Berlin", " berlin ", "", "<b>Paris</b>"); !reflect.DeepEqual(got, []string{"Berlin", "Paris"}) {
			t.Errorf("%q", got)
		}
	})
}
