package source

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

// personio reads a Personio careers page through its XML feed.
type personio struct {
	base
	board string
}

func newPersonio(cfg Config, c *Client) (Source, error) {
	b, err := atsBase("personio", "the company's Personio subdomain", "https://%s.jobs.personio.de/xml", true, cfg, c)
	if err != nil {
		return nil, err
	}
	return personio{base: b, board: cfg.Board}, nil
}

// Fetch reads the feed. The feed has no links, so an opening links to its page on the board's
// careers site, which only a configured board names.
func (p personio) Fetch(ctx context.Context) ([]jobs.Opening, error) {
	openings, err := atsFetch(ctx, p.base, p.board, "application/xml, text/xml;q=0.9", parsePersonio)
	if err != nil || p.board == "" {
		return openings, err
	}
	for i := range openings {
		id := strings.TrimPrefix(openings[i].ID, p.name+":")
		if atsBoardName.MatchString(id) {
			openings[i].URL = "https://" + p.board + ".jobs.personio.de/job/" + id
		}
	}
	return openings, nil
}

type personioFeed struct {
	XMLName   xml.Name           `xml:"workzag-jobs"`
	Positions []personioPosition `xml:"position"`
}

type personioPosition struct {
	ID                string   `xml:"id"`
	Subcompany        string   `xml:"subcompany"`
	Office            string   `xml:"office"`
	AdditionalOffices []string `xml:"additionalOffices>office"`
	Name              string   `xml:"name"`
	Descriptions      []struct {
		Name  string `xml:"name"`
		Value string `xml:"value"` // HTML in CDATA, between newlines and indentation
	} `xml:"jobDescriptions>jobDescription"`
	EmploymentType string `xml:"employmentType"` // "permanent", "intern", "trainee", "freelance", ...
	Seniority      string `xml:"seniority"`      // "entry-level", "experienced", "executive", "student"
	Schedule       string `xml:"schedule"`       // "full-time", "part-time", "full-or-part-time"
	CreatedAt      string `xml:"createdAt"`
}

// personioCompanyCode is the code Personio appends to a legal entity's name
// ("ottonova Krankenversicherung AG - 9698").
var personioCompanyCode = regexp.MustCompile(`\s+-\s+\d+\s*$`)

// personioType reads the contract: an internship, traineeship or freelance contract from the
// employment type, else the schedule. "full-or-part-time" is unknown: careerbot has no value
// for a position offered both ways.
func personioType(p personioPosition) jobs.EmploymentType {
	switch strings.ToLower(strings.TrimSpace(p.EmploymentType)) {
	case "intern", "trainee", "working_student", "working student":
		return jobs.TypeInternship
	case "freelance", "temporary":
		return jobs.TypeContract
	}
	switch strings.ToLower(strings.TrimSpace(p.Schedule)) {
	case "full-time":
		return jobs.TypeFullTime
	case "part-time":
		return jobs.TypePartTime
	}
	return jobs.TypeUnknown
}

// parsePersonio reads the XML feed (GET https://<company>.jobs.personio.de/xml). The company is
// the position's legal entity without its code. The description is each section under its
// heading, except the section named "URL", which holds a slug rather than text. The feed has
// no salary field and no links (Fetch adds them).
func parsePersonio(body []byte, source string, now time.Time) ([]jobs.Opening, error) {
	var feed personioFeed
	d := xml.NewDecoder(bytes.NewReader(body))
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "utf-8") || strings.EqualFold(label, "us-ascii") {
			return r, nil
		}
		return nil, fmt.Errorf("the feed is in %s, not UTF-8", label)
	}
	if err := d.Decode(&feed); err != nil {
		return nil, fmt.Errorf("personio: the payload is not the XML feed: %w", err)
	}
	openings := make([]jobs.Opening, 0, len(feed.Positions))
	seen := make(map[string]bool, len(feed.Positions))
	for _, p := range feed.Positions {
		var desc strings.Builder
		for _, s := range p.Descriptions {
			if strings.EqualFold(strings.TrimSpace(s.Name), "URL") {
				continue
			}
			desc.WriteString(atsSection(s.Name, strings.TrimSpace(s.Value)))
		}
		o := jobs.Opening{
			Title:          p.Name,
			Company:        personioCompanyCode.ReplaceAllString(p.Subcompany, ""),
			Locations:      atsLocations(append([]string{p.Office}, p.AdditionalOffices...)...),
			Seniority:      atsLevel(p.Seniority, p.Name),
			EmploymentType: personioType(p),
			Posted:         atsPosted(p.CreatedAt, now),
			Description:    atsText(desc.String()),
		}
		if o, ok := atsOpening(o, source, p.ID); ok {
			openings = atsKeep(openings, seen, o)
		}
	}
	return openings, nil
}
