package source

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/careerbot/careerbot/jobs"
)

// jsonLD reads a careers page that describes its openings as schema.org JobPosting objects in
// <script type="application/ld+json"> blocks, as pages do for search engines.
type jsonLD struct{ base }

func newJSONLD(cfg Config, c *Client) (Source, error) {
	if cfg.URL == "" {
		return nil, fmt.Errorf("source %s: type jsonld needs the careers page's url", cfg.Name)
	}
	return &jsonLD{base{name: cfg.Name, url: cfg.URL, client: c}}, nil
}

func (j *jsonLD) Fetch(ctx context.Context) ([]jobs.Opening, error) {
	openings, err := j.fetch(ctx, "text/html", parseJSONLD)
	if err != nil {
		return nil, err
	}
	for i := range openings {
		if openings[i].URL == "" {
			openings[i].URL = jobs.WebURL(j.url) // the page itself is the posting
		}
	}
	return openings, nil
}

// parseJSONLD reads every JobPosting in the page's ld+json blocks: a block may hold one
// object, an array, or an @graph. Blocks that are not JSON are skipped (pages carry broken ones);
// a page with no JobPosting at all is an error, since that is a page that changed or the wrong
// url. The id is the posting's identifier, else its url, else the page's canonical link.
func parseJSONLD(body []byte, source string, now time.Time) ([]jobs.Opening, error) {
	blocks, canonical := ldBlocks(body)
	var postings []map[string]any
	for _, b := range blocks {
		var v any
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			continue
		}
		collectPostings(v, &postings, 0)
	}
	if len(postings) == 0 {
		return nil, fmt.Errorf("the page has no schema.org JobPosting (%d ld+json blocks)", len(blocks))
	}
	out := make([]jobs.Opening, 0, len(postings))
	for i, p := range postings {
		title := jobs.Line(ldText(p["title"]), jobs.MaxTitle)
		link := jobs.WebURL(ldText(p["url"]))
		id := ldText(p["identifier"])
		switch {
		case id != "":
		case link != "":
			id = link
		case canonical != "":
			id = canonical
			if len(postings) > 1 {
				id += "#" + strconv.Itoa(i+1)
			}
		}
		if id == "" || title == "" {
			continue
		}
		if link == "" {
			link = canonical
		}
		desc := jobs.PlainText(ldText(p["description"]), jobs.MaxDescription)
		remote := jobs.RemoteUnknown
		if strings.EqualFold(ldText(p["jobLocationType"]), "TELECOMMUTE") {
			remote = jobs.RemoteYes
		}
		var locations []string
		for _, a := range ldList(p["applicantLocationRequirements"]) {
			locations = append(locations, ldText(a))
		}
		if remote != jobs.RemoteYes || len(locations) == 0 {
			for _, l := range ldList(p["jobLocation"]) {
				locations = append(locations, ldPlace(l))
			}
		}
		locations = cleanLocations(locations)
		if remote == jobs.RemoteUnknown {
			remote = jobs.RemoteOf(strings.Join(append(locations, title), " "))
		}
		kind := jobs.TypeUnknown
		for _, t := range ldList(p["employmentType"]) {
			if kind = jobs.EmploymentTypeOf(ldText(t)); kind != jobs.TypeUnknown {
				break
			}
		}
		if kind == jobs.TypeUnknown {
			kind = jobs.EmploymentTypeOf(title)
		}
		out = append(out, jobs.Opening{
			ID:             jobs.MakeID(source, id),
			Title:          title,
			Company:        jobs.Line(ldText(p["hiringOrganization"]), jobs.MaxCompany),
			Locations:      locations,
			Remote:         remote,
			Seniority:      jobs.SeniorityOf(title),
			EmploymentType: kind,
			Salary:         ldSalary(p["baseSalary"]),
			Visa:           jobs.VisaOf(desc),
			URL:            link,
			Posted:         jobs.UTC(parseTime(ldText(p["datePosted"])), now),
			Closes:         parseTime(ldText(p["validThrough"])),
			Description:    desc,
			Source:         source,
		})
	}
	return out, nil
}

// ldBlocks returns the contents of the page's ld+json scripts and its canonical link.
func ldBlocks(body []byte) (blocks [][]byte, canonical string) {
	z := html.NewTokenizer(bytes.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return blocks, canonical
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			attrs := map[string]string{}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				attrs[string(k)] = string(v)
			}
			switch string(name) {
			case "link":
				if canonical == "" && strings.EqualFold(attrs["rel"], "canonical") {
					canonical = jobs.WebURL(attrs["href"])
				}
			case "script":
				typ, _, _ := strings.Cut(attrs["type"], ";")
				if strings.EqualFold(strings.TrimSpace(typ), "application/ld+json") && z.Next() == html.TextToken {
					blocks = append(blocks, bytes.Clone(z.Text()))
				}
			}
		}
	}
}

// collectPostings appends the JobPosting objects found in v: v itself, the items of an array,
// or the members of an @graph.
func collectPostings(v any, out *[]map[string]any, depth int) {
	if depth > 4 {
		return
	}
	switch v := v.(type) {
	case []any:
		for _, x := range v {
			collectPostings(x, out, depth+1)
		}
	case map[string]any:
		if g, ok := v["@graph"]; ok {
			collectPostings(g, out, depth+1)
		}
		for _, t := range ldList(v["@type"]) {
			if s, _ := t.(string); s == "JobPosting" || strings.HasSuffix(s, "/JobPosting") {
				*out = append(*out, v)
				return
			}
		}
	}
}

// ldList is v as a list: an array's items, or v alone.
func ldList(v any) []any {
	switch v := v.(type) {
	case nil:
		return nil
	case []any:
		return v
	}
	return []any{v}
}

// ldText is a property's text: a string, a number, the first of a list, or an object's
// value, name or @value (an identifier PropertyValue, an Organization, a Country).
func ldText(v any) string {
	switch v := v.(type) {
	case string:
		return strings.TrimSpace(v)
	case json.Number:
		return v.String()
	case []any:
		for _, x := range v {
			if s := ldText(x); s != "" {
				return s
			}
		}
	case map[string]any:
		for _, k := range []string{"value", "name", "@value", "@id"} {
			if s := ldText(v[k]); s != "" {
				return s
			}
		}
	}
	return ""
}

// ldPlace is a Place's address as "Portland, OR, US", or its name.
func ldPlace(v any) string {
	p, ok := v.(map[string]any)
	if !ok {
		return ldText(v)
	}
	addr, ok := p["address"].(map[string]any)
	if !ok {
		return ldText(p["address"])
	}
	var parts []string
	for _, k := range []string{"addressLocality", "addressRegion", "addressCountry"} {
		if s := ldText(addr[k]); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// ldSalary reads a MonetaryAmount: a currency and a QuantitativeValue (minValue/maxValue or
// value, unitText YEAR, MONTH or HOUR), or a bare number. Weekly and daily pay are not kept.
func ldSalary(v any) *jobs.Salary {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	value := m["value"]
	var lo, hi float64
	unit := ldText(m["unitText"])
	switch q := value.(type) {
	case map[string]any:
		lo, hi = ldNumber(q["minValue"]), ldNumber(q["maxValue"])
		if lo == 0 && hi == 0 {
			lo = ldNumber(q["value"])
		}
		if u := ldText(q["unitText"]); u != "" {
			unit = u
		}
	default:
		lo = ldNumber(q)
	}
	period := periodOf(unit)
	if period == "" {
		if unit != "" {
			return nil // WEEK, DAY: not a period careerbot compares
		}
		period = jobs.PerYear
	}
	return boardSalary(lo, hi, ldText(m["currency"]), period)
}

func ldNumber(v any) float64 {
	f, err := strconv.ParseFloat(strings.ReplaceAll(ldText(v), ",", ""), 64)
	if err != nil {
		return 0
	}
	return f
}
