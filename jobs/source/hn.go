package source

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/careerbot/careerbot/jobs"
)

// hnWhoIsHiring reads the current "Ask HN: Who is hiring?" thread through the Algolia Hacker
// News API: a search for the newest such story by the whoishiring account, then the story with
// its comments. Each top-level comment that is a job post is an opening. A configured url
// replaces the API's base (https://hn.algolia.com/api/v1), so a test server can answer both
// requests.
type hnWhoIsHiring struct{ base }

func newHNWhoIsHiring(cfg Config, c *Client) (Source, error) {
	url := strings.TrimRight(cfg.URL, "/")
	if url == "" {
		url = "https://hn.algolia.com/api/v1"
	}
	return &hnWhoIsHiring{base{name: cfg.Name, url: url, client: c}}, nil
}

func (h *hnWhoIsHiring) Fetch(ctx context.Context) ([]jobs.Opening, error) {
	// Two requests, so no conditional one: the thread's validators would go to the search.
	ctx = jobs.WithValidators(ctx, nil)
	search := base{name: h.name, url: h.url + "/search_by_date?tags=story,author_whoishiring&hitsPerPage=5", client: h.client}
	body, err := search.get(ctx, "application/json")
	if err != nil {
		return nil, err
	}
	id, err := pickHNStory(body)
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", h.name, err)
	}
	item := base{name: h.name, url: h.url + "/items/" + id, client: h.client}
	if body, err = item.get(ctx, "application/json"); err != nil {
		return nil, err
	}
	openings, err := parseHN(body, h.name, h.client.Now())
	if err != nil {
		return nil, fmt.Errorf("source %s: %w", h.name, err)
	}
	return openings, nil
}

// pickHNStory returns the id of the newest story in an Algolia search answer whose title starts
// "Ask HN: Who is hiring" (the whoishiring account also posts "Who wants to be hired?" and
// freelancer threads).
func pickHNStory(body []byte) (string, error) {
	var a struct {
		Hits *[]struct {
			ObjectID  jsonText   `json:"objectID"`
			Title     string     `json:"title"`
			CreatedAt jsonNumber `json:"created_at_i"`
		} `json:"hits"`
	}
	if err := json.Unmarshal(body, &a); err != nil {
		return "", fmt.Errorf("the Hacker News search answer is not the expected JSON: %w", err)
	}
	if a.Hits == nil {
		return "", fmt.Errorf(`the Hacker News search answer has no "hits" list`)
	}
	id, newest := "", -1.0
	for _, h := range *a.Hits {
		s := strings.TrimSpace(string(h.ObjectID))
		if !strings.HasPrefix(strings.ToLower(h.Title), "ask hn: who is hiring") || s == "" || strings.Trim(s, "0123456789") != "" {
			continue
		}
		if h.CreatedAt.Value > newest {
			id, newest = s, h.CreatedAt.Value
		}
	}
	if id == "" {
		return "", fmt.Errorf(`no "Ask HN: Who is hiring?" story among the %d newest stories of whoishiring`, len(*a.Hits))
	}
	return id, nil
}

type hnItem struct {
	ID        jsonText   `json:"id"`
	Author    string     `json:"author"`
	Text      string     `json:"text"`
	CreatedAt jsonNumber `json:"created_at_i"`
	Created   string     `json:"created_at"`
	Children  *[]hnItem  `json:"children"`
}

// parseHN reads an Algolia items answer (a story with its comment tree) and returns the job
// posts among its top-level comments; replies are never job posts. Deleted and dead comments
// have no text and are skipped, as are comments that are not job posts (see readHNPost).
func parseHN(body []byte, source string, now time.Time) ([]jobs.Opening, error) {
	var story hnItem
	if err := json.Unmarshal(body, &story); err != nil {
		return nil, fmt.Errorf("the Hacker News item is not the expected JSON: %w", err)
	}
	if story.Children == nil {
		return nil, fmt.Errorf(`the Hacker News item has no "children" list`)
	}
	out := make([]jobs.Opening, 0, len(*story.Children))
	for _, c := range *story.Children {
		id := strings.TrimSpace(string(c.ID))
		if id == "" || strings.TrimSpace(c.Text) == "" {
			continue
		}
		p, ok := readHNPost(c.Text)
		if !ok {
			continue
		}
		posted := epoch(c.CreatedAt.Value)
		if posted.IsZero() {
			posted = parseTime(c.Created)
		}
		o := jobs.Opening{
			ID:          jobs.MakeID(source, id),
			URL:         jobs.WebURL("https://news.ycombinator.com/item?id=" + id),
			Posted:      jobs.UTC(posted, now),
			Description: jobs.PlainText(c.Text, jobs.MaxDescription),
			Source:      source,
		}
		p.fill(&o)
		out = append(out, o)
	}
	return out, nil
}

// hnPost is what the header of a Who-is-hiring comment says, by the thread's convention
// "Company | Role | Location | REMOTE | Salary", followed loosely.
type hnPost struct {
	header    string
	company   string
	title     string
	locations []string
}

var (
	hnParagraph  = regexp.MustCompile(`(?i)<p>|\n`)
	hnDashes     = regexp.MustCompile(` [-–—] `)
	hnHiring     = regexp.MustCompile(`(?i)\b(?:is|are|we're|we are|now) hiring\b`)
	hnRoleWords  = regexp.MustCompile(`(?i)\b(?:engineers?|engineering|developers?|programmers?|designers?|scientists?|managers?|architects?|analysts?|leads?|directors?|devops|sres?|administrators?|researchers?|specialists?|consultants?|writers?|recruiters?|marketers?|head of|vp|cto|founding|product|operations|sales|marketing|finance|support|qa|frontend|front-end|backend|back-end|full[- ]?stack|data)\b`)
	hnMetaWords  = regexp.MustCompile(`(?i)\b(?:remote|onsite|on-site|hybrid|visa|interns?|full[- ]?time|part[- ]?time|contract|contractor|freelance|permanent|equity)\b`)
	hnRolePhrase = regexp.MustCompile(`(?i)\b(?:looking for|hiring|seeking)\s+(?:(?:an?|skilled|experienced|talented|several|multiple)\s+)*` +
		`((?:[\w+#./&-]+\s+){0,5}?(?:engineers?|developers?|programmers?|designers?|scientists?|managers?|architects?|analysts?|sres?))\b`)
	hnRemote  = regexp.MustCompile(`(?i)\bremote\b`)
	hnOnsite  = regexp.MustCompile(`(?i)\b(?:onsite|on-site|on site)\b`)
	hnHybrid  = regexp.MustCompile(`(?i)\bhybrid\b`)
	hnVisa    = regexp.MustCompile(`\bVISA\b`)
	hnKind    = regexp.MustCompile(`(?i)\b(?:full[- ]?time|part[- ]?time|contract(?:or)?|freelance|permanent)\b`)
	hnPlaceOr = regexp.MustCompile(` [&+/] |;| or `)
)

// readHNPost reads the header of a comment's HTML: its first line or paragraph. A header split
// by pipes (or by " - ", at least twice) names the company first; the role is the segment with a
// job word, else a "looking for … engineers" phrase of the text; locations are the segments of
// capitalised place words. A header with no separators is a job post only when it says someone
// "is hiring". ok is false for comments that are not job posts or name no role.
func readHNPost(text string) (p hnPost, ok bool) {
	text = strings.TrimSpace(text)
	text = strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(text, "<p>"), "<P>"))
	first := text
	if loc := hnParagraph.FindStringIndex(text); loc != nil {
		first = text[:loc[0]]
	}
	p.header = jobs.Line(first, 0)
	var segments []string
	switch {
	case strings.Contains(p.header, "|"):
		segments = strings.Split(p.header, "|")
	case len(hnDashes.FindAllStringIndex(p.header, -1)) >= 2:
		segments = hnDashes.Split(p.header, -1)
	case hnHiring.MatchString(p.header):
		loc := hnHiring.FindStringIndex(p.header)
		if c := strings.TrimSpace(p.header[:loc[0]]); len(strings.Fields(c)) <= 5 {
			p.company = jobs.Line(c, jobs.MaxCompany)
		}
		if m := hnRolePhrase.FindStringSubmatch(p.header); m != nil {
			p.title = jobs.Line(m[1], jobs.MaxTitle)
		}
		return p, p.title != ""
	default:
		return p, false
	}
	p.company = jobs.Line(segments[0], jobs.MaxCompany)
	for _, s := range segments[1:] {
		s = strings.TrimSpace(s)
		switch {
		case s == "" || strings.Contains(s, "://") || strings.HasPrefix(s, "www."):
		case hnRoleWords.MatchString(s):
			if p.title == "" {
				p.title = jobs.Line(s, jobs.MaxTitle)
			}
		case hnMetaWords.MatchString(s) || jobs.SalaryOf(s) != nil:
		case placeLike(s):
			p.locations = append(p.locations, hnPlaceOr.Split(s, -1)...)
		}
	}
	if p.title == "" {
		if m := hnRolePhrase.FindStringSubmatch(jobs.PlainText(text, jobs.MaxDescription)); m != nil {
			p.title = jobs.Line(m[1], jobs.MaxTitle)
		}
	}
	p.locations = cleanLocations(p.locations)
	return p, p.company != "" && p.title != ""
}

var placeConnectors = map[string]bool{"the": true, "of": true, "and": true, "or": true, "de": true, "la": true, "le": true,
	"du": true, "del": true, "da": true, "am": true, "im": true, "upon": true, "on": true, "y": true}

// placeLike reports whether s reads as place names: "St Paul, MN, USA", "San Francisco &
// Seattle", "Amsterdam, the Netherlands + San Francisco", not "C-language systems programming".
func placeLike(s string) bool {
	words := strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || strings.ContainsRune(",&+/();", r) })
	if len(words) == 0 || len(words) > 10 {
		return false
	}
	named := false
	for _, w := range words {
		r := []rune(w)[0]
		switch {
		case unicode.IsUpper(r):
			named = true
		case placeConnectors[strings.ToLower(w)]:
		default:
			return false
		}
	}
	return named
}

// fill sets the opening's fields from the post; o.Description must already be set, for visa
// words the header does not have.
func (p hnPost) fill(o *jobs.Opening) {
	o.Title = p.title
	o.Company = p.company
	o.Locations = p.locations
	o.Seniority = jobs.SeniorityOf(p.title)
	switch remote, onsite := hnRemote.MatchString(p.header), hnOnsite.MatchString(p.header); {
	case hnHybrid.MatchString(p.header), remote && onsite:
		o.Remote = jobs.RemoteHybrid
	case remote:
		o.Remote = jobs.RemoteYes
	case onsite:
		o.Remote = jobs.RemoteNo
	default:
		o.Remote = jobs.RemoteOf(p.header)
	}
	if m := hnKind.FindString(p.header); m != "" {
		o.EmploymentType = jobs.EmploymentTypeOf(m)
	} else {
		o.EmploymentType = jobs.EmploymentTypeOf(p.title)
	}
	o.Salary = jobs.SalaryOf(p.header)
	switch v := jobs.VisaOf(p.header); {
	case v != jobs.VisaUnknown:
		o.Visa = v
	case hnVisa.MatchString(p.header):
		o.Visa = jobs.VisaYes
	default:
		o.Visa = jobs.VisaOf(o.Description)
	}
}
