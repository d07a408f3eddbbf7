package source

// This file holds what the company-board sources (greenhouse.go, lever.go, ashby.go,
// workable.go, smartrecruiters.go, recruitee.go, personio.go) share: how a source is made from
// its board name, how a fetched payload becomes openings, and the small readers of times,
// places, levels, contract types and pay that several boards need. The names carry an "ats"
// prefix because the feed and aggregator sources of this package have helpers of their own.
//
// Each board's parse function is pure (bytes in, openings out) so that tests and fuzz targets
// call it directly. What only the configuration knows, the board's name, is added by
// atsFetch: it is the company of boards whose payload names none (Lever, Ashby) and part of
// the link of boards that send none (Personio).

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/careerbot/careerbot/jobs"
)

// atsBoardName is what a board name may be: it goes into a URL's path or, for Recruitee and
// Personio, its host name, so nothing that could change the URL's meaning is accepted.
var atsBoardName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$`)

// atsHostLabel is a board name that is one label of a host name.
var atsHostLabel = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)

// atsBase checks cfg for a company board of kind and returns its base: the endpoint is cfg.URL
// when set, or endpoint with the board name in place of %s. inHost says the board name is part
// of the host name (Recruitee, Personio). what names the board name for the error message.
func atsBase(kind, what, endpoint string, inHost bool, cfg Config, c *Client) (base, error) {
	b := base{name: cfg.Name, url: cfg.URL, client: c}
	if cfg.Board != "" {
		ok := atsBoardName.MatchString(cfg.Board)
		if inHost {
			ok = atsHostLabel.MatchString(cfg.Board)
		}
		if !ok {
			return base{}, fmt.Errorf("source %s: board %q is not a %s board name (letters, digits and -)", cfg.Name, cfg.Board, kind)
		}
		if b.url == "" {
			b.url = fmt.Sprintf(endpoint, cfg.Board)
		}
	}
	if b.url == "" {
		return base{}, fmt.Errorf("source %s: a %s source needs board (%s) or url", cfg.Name, kind, what)
	}
	return b, nil
}

// atsFetch fetches b's endpoint, parses the body and fills in the company from the board name
// where the payload named none.
func atsFetch(ctx context.Context, b base, board, accept string, parse func([]byte, string, time.Time) ([]jobs.Opening, error)) ([]jobs.Opening, error) {
	body, err := b.get(ctx, accept)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if b.client.Now != nil {
		now = b.client.Now
	}
	openings, err := parse(body, b.name, now())
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", b.name, err)
	}
	company := jobs.Line(board, jobs.MaxCompany)
	for i := range openings {
		if openings[i].Company == "" {
			openings[i].Company = company
		}
	}
	return openings, nil
}

// atsOpening finishes an opening every board source makes: the id from the board's own, the
// title and company cleaned, and what is read from words when the board gave no field for it
// (seniority from the title, remote from the locations, pay and visa from the description).
// It reports false when the record has no usable id or title.
func atsOpening(o jobs.Opening, source, boardID string) (jobs.Opening, bool) {
	boardID = jobs.Line(boardID, 200)
	o.Title = jobs.Line(o.Title, jobs.MaxTitle)
	if boardID == "" || o.Title == "" {
		return jobs.Opening{}, false
	}
	o.ID = jobs.MakeID(source, boardID)
	o.Source = source
	o.Company = jobs.Line(o.Company, jobs.MaxCompany)
	o.URL = jobs.WebURL(o.URL)
	if o.Seniority == jobs.SeniorityUnknown {
		o.Seniority = jobs.SeniorityOf(o.Title)
	}
	if o.Remote == jobs.RemoteUnknown {
		o.Remote = jobs.RemoteOf(strings.Join(o.Locations, "; "))
	}
	if o.Salary == nil {
		o.Salary = jobs.SalaryOf(o.Description)
	}
	if o.Visa == jobs.VisaUnknown {
		o.Visa = jobs.VisaOf(o.Description)
	}
	return o, true
}

// atsKeep appends o to openings unless an opening with its id is already there: a board that
// lists a posting twice shows it once.
func atsKeep(openings []jobs.Opening, seen map[string]bool, o jobs.Opening) []jobs.Opening {
	if seen[o.ID] {
		return openings
	}
	seen[o.ID] = true
	return append(openings, o)
}

// atsLocations cleans place names and drops empty ones and repeats (ignoring case).
func atsLocations(names ...string) []string {
	var out []string
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		n = jobs.Line(n, jobs.MaxLocation)
		key := strings.ToLower(n)
		if n == "" || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, n)
	}
	return out
}

// atsPlace joins the parts of one place ("Boston", "Massachusetts", "United States") with
// commas, skipping empty parts and a part equal to the one before ("Tel Aviv, Tel Aviv").
func atsPlace(parts ...string) string {
	var kept []string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" || len(kept) > 0 && strings.EqualFold(kept[len(kept)-1], p) {
			continue
		}
		kept = append(kept, p)
	}
	return strings.Join(kept, ", ")
}

// atsTimeLayouts are the time formats the company boards send, tried in order.
var atsTimeLayouts = []string{
	time.RFC3339Nano,          // Greenhouse, Ashby, SmartRecruiters, Personio
	"2006-01-02 15:04:05 UTC", // Recruitee
	"2006-01-02T15:04:05",     // no zone: read as UTC
	"2006-01-02",              // Workable
}

// atsTime reads a board's time, or the zero time when s is empty or in no known format.
func atsTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	for _, layout := range atsTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return time.Time{}
}

// atsPosted is when an opening was posted, in UTC and never after now.
func atsPosted(s string, now time.Time) time.Time { return jobs.UTC(atsTime(s), now) }

// atsCloses is when an opening closes, in UTC. Unlike a posting time it is not clamped to now:
// a closing date is expected to lie ahead.
func atsCloses(s string) time.Time {
	t := atsTime(s)
	if t.IsZero() {
		return t
	}
	return t.UTC()
}

// atsEmploymentType reads a board's contract field: it spells the words out first, since
// boards write "FullTime" (Ashby), "fulltime_permanent" and "parttime_permanent" (Recruitee),
// which jobs.EmploymentTypeOf would otherwise read as one word or as permanent full time.
func atsEmploymentType(s string) jobs.EmploymentType {
	var b strings.Builder
	prev := rune(0)
	for _, r := range s {
		if unicode.IsUpper(r) && unicode.IsLower(prev) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prev = r
	}
	t := strings.ToLower(b.String())
	t = strings.NewReplacer("fulltime", "full time", "parttime", "part time").Replace(t)
	return jobs.EmploymentTypeOf(t)
}

// atsLevel reads the experience levels boards take from LinkedIn's list (SmartRecruiters'
// experienceLevel, Workable's experience) and Recruitee's and Personio's own. A level that
// spans several of careerbot's ("Mid-Senior level", "experienced") or none ("Not Applicable")
// leaves the title to decide, and "Mid-Senior level" is mid when the title names no level.
// Executive and director roles are lead, the highest of careerbot's leadership levels.
func atsLevel(level, title string) jobs.Seniority {
	l := strings.ToLower(strings.NewReplacer("_", " ", "-", " ").Replace(strings.TrimSpace(level)))
	switch l {
	case "internship", "intern", "student", "student college", "student high school", "working student":
		return jobs.SeniorityIntern
	case "entry level", "entry", "associate", "junior", "graduate":
		return jobs.SeniorityJunior
	case "mid level", "mid", "intermediate":
		return jobs.SeniorityMid
	case "senior level", "senior":
		return jobs.SenioritySenior
	case "director", "executive", "manager", "management":
		return jobs.SeniorityLead
	}
	if s := jobs.SeniorityOf(title); s != jobs.SeniorityUnknown {
		return s
	}
	if l == "mid senior level" {
		return jobs.SeniorityMid
	}
	return jobs.SeniorityUnknown
}

// atsRemote reads a board's workplace type ("remote", "Hybrid", "OnSite", "on_site").
func atsRemote(s string) jobs.Remote {
	switch strings.ToLower(strings.NewReplacer("_", "", "-", "", " ", "").Replace(s)) {
	case "remote":
		return jobs.RemoteYes
	case "hybrid":
		return jobs.RemoteHybrid
	case "onsite", "inoffice", "office":
		return jobs.RemoteNo
	}
	return jobs.RemoteUnknown
}

// atsSalary is a board's structured pay, or nil when it states no amount, a currency that is
// not a three-letter code, or a period other than hour, month or year. Amounts are taken as
// the board states them, even when they look implausible for the period.
func atsSalary(lo, hi float64, currency, period string) *jobs.Salary {
	valid := func(f float64) bool { return f > 0 && f < 1e12 && !math.IsNaN(f) }
	switch {
	case !valid(lo) && !valid(hi):
		return nil
	case !valid(lo):
		lo = hi
	case !valid(hi):
		hi = lo
	}
	if hi < lo {
		lo, hi = hi, lo
	}
	currency = strings.ToUpper(strings.TrimSpace(currency))
	if len(currency) != 3 || strings.IndexFunc(currency, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		return nil
	}
	var p jobs.Period
	switch strings.ToLower(strings.TrimSpace(period)) {
	case "year", "yearly", "annual", "annually", "1 year", "per-year-salary":
		p = jobs.PerYear
	case "month", "monthly", "1 month", "per-month-salary":
		p = jobs.PerMonth
	case "hour", "hourly", "1 hour", "per-hour-wage":
		p = jobs.PerHour
	default:
		return nil
	}
	return &jobs.Salary{Min: int64(math.Round(lo)), Max: int64(math.Round(hi)), Currency: currency, Period: p}
}

// atsID is a board's id, which boards send as a number or a string.
type atsID string

func (id *atsID) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*id = atsID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("an id is neither a number nor a string: %s", strconv.Quote(string(b)))
	}
	*id = atsID(n.String())
	return nil
}

// atsNumber is an amount that boards send as a number or a string ("95.00"); zero when absent,
// null or not a number.
type atsNumber float64

func (n *atsNumber) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	switch v := v.(type) {
	case float64:
		*n = atsNumber(v)
	case string:
		f, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(v), ",", ""), 64)
		if err == nil {
			*n = atsNumber(f)
		}
	}
	return nil
}

// atsSection is one titled part of a description as HTML, the title escaped.
func atsSection(title, body string) string {
	if strings.TrimSpace(body) == "" {
		return ""
	}
	var b strings.Builder
	if title = strings.TrimSpace(title); title != "" {
		b.WriteString("<h3>")
		b.WriteString(html.EscapeString(title))
		b.WriteString("</h3>")
	}
	b.WriteString(body)
	return b.String()
}

// atsParaInItem is a paragraph opening or closing a list item, as Recruitee writes lists.
var (
	atsParaInItem  = regexp.MustCompile(`(?i)(<li\b[^>]*>)\s*<p\b[^>]*>`)
	atsParaEndItem = regexp.MustCompile(`(?i)</p>\s*(</li>)`)
)

// atsText is a description's plain text. jobs.PlainText breaks a line before each paragraph,
// which would leave "<li><p>text" as a lone "-" above its text, so such paragraphs are
// dropped first.
func atsText(s string) string {
	s = atsParaEndItem.ReplaceAllString(atsParaInItem.ReplaceAllString(s, "$1"), "$1")
	return jobs.PlainText(s, jobs.MaxDescription)
}
