package source

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/careerbot/careerbot/jobs"
)

// RSS 2.0 and Atom 1.0 are read with encoding/xml rather than github.com/mmcdole/gofeed: the
// gofeed version the module proxy serves here is not an approved release, and the two formats
// need only the few elements below. This file also holds the helpers the aggregator sources
// share (times, locations, salaries, lenient JSON values).

// feed reads an RSS 2.0 or Atom 1.0 feed of job postings; which one is decided by the
// document's root element, so "rss" and "atom" sources differ only in their name.
type feed struct{ base }

func newRSS(cfg Config, c *Client) (Source, error)  { return newFeed("rss", cfg, c) }
func newAtom(cfg Config, c *Client) (Source, error) { return newFeed("atom", cfg, c) }

func newFeed(kind string, cfg Config, c *Client) (Source, error) {
	if cfg.URL == "" {
		return nil, fmt.Errorf("source %s: type %s needs the feed's url", cfg.Name, kind)
	}
	return &feed{base{name: cfg.Name, url: cfg.URL, client: c}}, nil
}

const feedAccept = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"

func (f *feed) Fetch(ctx context.Context) ([]jobs.Opening, error) {
	return f.fetch(ctx, feedAccept, parseFeed)
}

// feedDoc is the root of an RSS 2.0 (<rss><channel><item>), RSS 1.0 (<rdf:RDF><item>) or Atom
// (<feed><entry>) document. encoding/xml matches local names whatever their namespace.
type feedDoc struct {
	XMLName xml.Name
	Channel struct {
		Items []rssItem `xml:"item"`
	} `xml:"channel"`
	Items   []rssItem   `xml:"item"`
	Entries []atomEntry `xml:"entry"`
}

type rssItem struct {
	Title string `xml:"title"`
	Links []struct {
		Text string `xml:",chardata"`
		Href string `xml:"href,attr"` // an atom:link inside an item
	} `xml:"link"`
	GUID        string `xml:"guid"`
	Description string `xml:"description"`
	Content     string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
	PubDate     string `xml:"pubDate"`
	Date        string `xml:"http://purl.org/dc/elements/1.1/ date"`
	Creator     string `xml:"http://purl.org/dc/elements/1.1/ creator"`
	// We Work Remotely's additions.
	Region    string `xml:"region"`
	Country   string `xml:"country"`
	Type      string `xml:"type"`
	ExpiresAt string `xml:"expires_at"`
}

type atomText struct {
	Type  string `xml:"type,attr"`
	Text  string `xml:",chardata"`
	Inner string `xml:",innerxml"`
}

// html returns the text as HTML: xhtml content is markup inside the element, html and text
// content are character data.
func (t atomText) html() string {
	if t.Type == "xhtml" {
		return t.Inner
	}
	return t.Text
}

type atomEntry struct {
	Title atomText `xml:"title"`
	Links []struct {
		Href string `xml:"href,attr"`
		Rel  string `xml:"rel,attr"`
	} `xml:"link"`
	ID        string   `xml:"id"`
	Updated   string   `xml:"updated"`
	Published string   `xml:"published"`
	Content   atomText `xml:"content"`
	Summary   atomText `xml:"summary"`
}

// parseFeed reads the openings of an RSS or Atom feed. RSS titles in the "Company: Role" form
// (We Work Remotely's) are split; Atom entries shaped like hnrss.org's Who-is-hiring feeds
// ("New comment by …") are read with the Hacker News header convention, and those that are not
// job posts are skipped.
func parseFeed(body []byte, source string, now time.Time) ([]jobs.Opening, error) {
	var doc feedDoc
	d := xml.NewDecoder(bytes.NewReader(body))
	d.Strict = false
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charsetReader
	if err := d.Decode(&doc); err != nil {
		return nil, fmt.Errorf("the feed is not XML: %w", err)
	}
	switch strings.ToLower(doc.XMLName.Local) {
	case "rss", "rdf":
		items := append(doc.Channel.Items, doc.Items...)
		out := make([]jobs.Opening, 0, len(items))
		for _, it := range items {
			if o, ok := rssOpening(it, source, now); ok {
				out = append(out, o)
			}
		}
		return out, nil
	case "feed":
		out := make([]jobs.Opening, 0, len(doc.Entries))
		for _, e := range doc.Entries {
			if o, ok := atomOpening(e, source, now); ok {
				out = append(out, o)
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("the feed's root element is <%s>, not <rss> or <feed>", doc.XMLName.Local)
}

func rssOpening(it rssItem, source string, now time.Time) (jobs.Opening, bool) {
	link := ""
	for _, l := range it.Links {
		if link = strings.TrimSpace(l.Text); link == "" {
			link = strings.TrimSpace(l.Href)
		}
		if link != "" {
			break
		}
	}
	id := strings.TrimSpace(it.GUID)
	if id == "" {
		id = link
	}
	title := jobs.Line(it.Title, jobs.MaxTitle)
	company := jobs.Line(it.Creator, jobs.MaxCompany)
	if c, role, ok := splitCompanyTitle(title); ok {
		company, title = c, role
	}
	if id == "" || title == "" {
		return jobs.Opening{}, false
	}
	html := it.Content
	if html == "" {
		html = it.Description
	}
	desc := jobs.PlainText(html, jobs.MaxDescription)
	locations := cleanLocations([]string{it.Region, it.Country})
	posted := parseTime(it.PubDate)
	if posted.IsZero() {
		posted = parseTime(it.Date)
	}
	kind := jobs.EmploymentTypeOf(it.Type)
	if kind == jobs.TypeUnknown {
		kind = jobs.EmploymentTypeOf(title)
	}
	return jobs.Opening{
		ID:             jobs.MakeID(source, id),
		Title:          title,
		Company:        company,
		Locations:      locations,
		Remote:         jobs.RemoteOf(strings.Join(append(locations, title), " ")),
		Seniority:      jobs.SeniorityOf(title),
		EmploymentType: kind,
		Visa:           jobs.VisaOf(desc),
		URL:            jobs.WebURL(link),
		Posted:         jobs.UTC(posted, now),
		Closes:         parseTime(it.ExpiresAt).UTC(),
		Description:    desc,
		Source:         source,
	}, true
}

// splitCompanyTitle splits "Mathmo: Maths Coach" into a company and a role, when the part
// before the colon is short enough to be a name.
func splitCompanyTitle(title string) (company, role string, ok bool) {
	c, r, found := strings.Cut(title, ": ")
	c, r = strings.TrimSpace(c), strings.TrimSpace(r)
	if !found || c == "" || r == "" || len(c) > jobs.MaxCompany || len(strings.Fields(c)) > 6 {
		return "", "", false
	}
	return c, r, true
}

// hnrssTitle is the title hnrss.org gives every comment of a Hacker News thread.
var hnrssTitle = regexp.MustCompile(`^New comment by \S+ in `)

func atomOpening(e atomEntry, source string, now time.Time) (jobs.Opening, bool) {
	link := ""
	for _, l := range e.Links {
		if l.Rel == "" || l.Rel == "alternate" {
			link = strings.TrimSpace(l.Href)
			break
		}
	}
	if link == "" && len(e.Links) > 0 {
		link = strings.TrimSpace(e.Links[0].Href)
	}
	id := strings.TrimSpace(e.ID)
	if id == "" {
		id = link
	}
	html := e.Content.html()
	if strings.TrimSpace(html) == "" {
		html = e.Summary.html()
	}
	posted := parseTime(e.Published)
	if posted.IsZero() {
		posted = parseTime(e.Updated)
	}
	o := jobs.Opening{
		ID:          jobs.MakeID(source, id),
		Title:       jobs.Line(e.Title.html(), jobs.MaxTitle),
		URL:         jobs.WebURL(link),
		Posted:      jobs.UTC(posted, now),
		Description: jobs.PlainText(html, jobs.MaxDescription),
		Source:      source,
	}
	if hnrssTitle.MatchString(o.Title) {
		p, ok := readHNPost(html)
		if !ok {
			return jobs.Opening{}, false
		}
		p.fill(&o)
	} else {
		o.Remote = jobs.RemoteOf(o.Title)
		o.Seniority = jobs.SeniorityOf(o.Title)
		o.EmploymentType = jobs.EmploymentTypeOf(o.Title)
		o.Visa = jobs.VisaOf(o.Description)
	}
	if id == "" || o.Title == "" {
		return jobs.Opening{}, false
	}
	return o, true
}

// charsetReader lets feeds declare US-ASCII or ISO-8859-1 besides UTF-8.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return r, nil
	case "iso-8859-1", "latin1", "latin-1", "iso8859-1":
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, err
		}
		runes := make([]rune, len(b))
		for i, c := range b {
			runes[i] = rune(c)
		}
		return strings.NewReader(string(runes)), nil
	}
	return nil, fmt.Errorf("the feed's encoding %q is not supported: serve it as UTF-8", label)
}

// timeLayouts are the forms boards write times in: RFC 3339, ISO 8601 without a zone (read as
// UTC), a bare date, and the RFC 822 and 1123 variants of RSS.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04",
	"2006-01-02T15:04Z07:00",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 2006 15:04 MST",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 MST",
	time.RFC822Z,
	time.RFC822,
	"Mon, 2 Jan 06 15:04:05 -0700",
}

// parseTime reads a time in one of timeLayouts; zero when it is none of them.
func parseTime(s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// epoch reads epoch seconds; zero when n is not a plausible time.
func epoch(n float64) time.Time {
	if n <= 0 || n > 1e11 || math.IsNaN(n) {
		return time.Time{}
	}
	return time.Unix(int64(n), 0).UTC()
}

// cleanLocations cleans each location as a one-line field and drops the empty and the repeated
// (compared without case).
func cleanLocations(in []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range in {
		l = jobs.Line(l, jobs.MaxLocation)
		key := strings.ToLower(l)
		if l == "" || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, l)
	}
	return out
}

// boardSalary is a salary from a board's number fields: nil unless at least one bound is
// positive. A missing bound takes the other's value. An amount under 1,000 with no period
// given is read as hourly (RemoteOK's 30/30), as jobs.SalaryOf reads text.
func boardSalary(lo, hi float64, currency string, period jobs.Period) *jobs.Salary {
	if math.IsNaN(lo) || math.IsNaN(hi) || lo > 1e12 || hi > 1e12 {
		return nil
	}
	lo, hi = max(lo, 0), max(hi, 0)
	switch {
	case lo == 0 && hi == 0:
		return nil
	case lo == 0:
		lo = hi
	case hi == 0:
		hi = lo
	}
	if hi < lo {
		lo, hi = hi, lo
	}
	if period == "" {
		period = jobs.PerYear
		if hi < 1000 {
			period = jobs.PerHour
		}
	}
	return &jobs.Salary{Min: int64(lo + 0.5), Max: int64(hi + 0.5), Currency: currencyCode(currency), Period: period}
}

var isoCurrency = regexp.MustCompile(`^[A-Z]{3}$`)

// currencyCode returns an ISO 4217 code in upper case, or "" when s is not one.
func currencyCode(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if !isoCurrency.MatchString(s) {
		return ""
	}
	return s
}

// periodOf reads a board's pay period ("YEAR", "hourly", "per month"); "" when unknown.
func periodOf(s string) jobs.Period {
	s = strings.ToLower(s)
	switch {
	case strings.Contains(s, "hour"):
		return jobs.PerHour
	case strings.Contains(s, "month"):
		return jobs.PerMonth
	case strings.Contains(s, "year"), strings.Contains(s, "annual"), strings.Contains(s, "annum"):
		return jobs.PerYear
	}
	return ""
}

// fixMojibake repairs UTF-8 that was read as Latin-1 and encoded again ("GdaÅ\u0084sk" for
// "Gdańsk", as RemoteOK sends some text): each run of characters in U+0080–U+00FF is put back
// together when its bytes are valid UTF-8 of fewer characters. Genuine Latin-1 text ("Zürich")
// is left alone, because a lone "ü" is not valid UTF-8.
func fixMojibake(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0xC2 && r <= 0xF4 }) {
		return s
	}
	var b strings.Builder
	var run []byte
	flush := func() {
		if len(run) > 1 && utf8.Valid(run) && utf8.RuneCount(run) < len(run) {
			b.Write(run)
		} else {
			for _, c := range run {
				b.WriteRune(rune(c))
			}
		}
		run = run[:0]
	}
	for _, r := range s {
		if r >= 0x80 && r <= 0xFF {
			run = append(run, byte(r))
			continue
		}
		flush()
		b.WriteRune(r)
	}
	flush()
	return b.String()
}

// jsonText is a JSON string, number or null read as text: boards send ids either way.
type jsonText string

func (t *jsonText) UnmarshalJSON(b []byte) error {
	switch {
	case bytes.Equal(b, []byte("null")):
		*t = ""
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = jsonText(s)
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9'):
		*t = jsonText(b)
	case bytes.Equal(b, []byte("true")), bytes.Equal(b, []byte("false")):
		*t = ""
	default:
		return errors.New("want a string or a number")
	}
	return nil
}

// jsonNumber is a JSON number, a numeric string or null; Set is false for null, "" and text
// that is not a number.
type jsonNumber struct {
	Value float64
	Set   bool
}

func (n *jsonNumber) UnmarshalJSON(b []byte) error {
	var t jsonText
	if err := t.UnmarshalJSON(b); err != nil {
		return errors.New("want a number")
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(string(t)), 64)
	*n = jsonNumber{Value: f, Set: err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)}
	return nil
}
