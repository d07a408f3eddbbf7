package source

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strings"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

// lever reads a Lever job site through the Postings API. Lever keeps EU customers' boards on a
// separate host: such a board sets url to https://api.eu.lever.co/v0/postings/<board>?mode=json
// (and board, so that openings name the company), since the default endpoint is on api.lever.co.
type lever struct {
	base
	board string
}

func newLever(cfg Config, c *Client) (Source, error) {
	b, err := atsBase("lever", "the company's Lever site name", "https://api.lever.co/v0/postings/%s?mode=json", false, cfg, c)
	if err != nil {
		return nil, err
	}
	return lever{base: b, board: cfg.Board}, nil
}

func (l lever) Fetch(ctx context.Context) ([]jobs.Opening, error) {
	return atsFetch(ctx, l.base, l.board, "application/json", parseLever)
}

type leverPosting struct {
	ID         atsID     `json:"id"`
	Text       string    `json:"text"`
	HostedURL  string    `json:"hostedUrl"`
	CreatedAt  atsNumber `json:"createdAt"` // epoch milliseconds
	Workplace  string    `json:"workplaceType"`
	Categories struct {
		Commitment   string   `json:"commitment"`
		Location     string   `json:"location"`
		AllLocations []string `json:"allLocations"`
	} `json:"categories"`
	Description string `json:"description"`
	Lists       []struct {
		Text    string `json:"text"`
		Content string `json:"content"` // bare <li> items
	} `json:"lists"`
	Additional        string `json:"additional"`
	SalaryDescription string `json:"salaryDescription"`
	SalaryRange       *struct {
		Min      atsNumber `json:"min"`
		Max      atsNumber `json:"max"`
		Currency string    `json:"currency"`
		Interval string    `json:"interval"` // "per-year-salary", "per-month-salary", "per-hour-wage"
	} `json:"salaryRange"`
}

// Requisition numbers some Lever sites put in titles: "#10010 Senior Backend Engineer",
// "R-1234 - Analyst", "[REQ-88] Designer" before it, "Area CE Associate - Semarang - #10227"
// after it. Only shapes that are plainly numbers are taken, never a word of the title.
var (
	leverReqBefore = regexp.MustCompile(`^\s*[\[(]?(?:#\s?\d+|[A-Z]{1,4}-\d{2,}|(?i:req)-?\d+)[\])]?\s*(?:[-–—:|]\s*)?`)
	leverReqAfter  = regexp.MustCompile(`\s*(?:[-–—:|,]\s*)?[\[(]?#\s?\d+[\])]?\s*$`)
)

// leverTitle is a posting's title without its requisition number.
func leverTitle(s string) string {
	t := leverReqAfter.ReplaceAllString(leverReqBefore.ReplaceAllString(s, ""), "")
	if strings.TrimSpace(t) == "" {
		return s
	}
	return t
}

// parseLever reads the Postings API's list (GET /v0/postings/<board>?mode=json), a bare array
// that names no company. The description is Lever's description, each list under its heading,
// and the closing "additional" part; pay is the salary range when the posting has one, else
// what the salary description or the description states.
func parseLever(body []byte, source string, now time.Time) ([]jobs.Opening, error) {
	var postings []leverPosting
	if err := json.Unmarshal(body, &postings); err != nil {
		return nil, fmt.Errorf("lever: the payload is not the postings API's JSON: %w", err)
	}
	if postings == nil {
		return nil, fmt.Errorf("lever: the payload is not the postings API's JSON: it is null, not a list of postings")
	}
	openings := make([]jobs.Opening, 0, len(postings))
	seen := make(map[string]bool, len(postings))
	for _, p := range postings {
		var desc strings.Builder
		desc.WriteString(p.Description)
		for _, l := range p.Lists {
			desc.WriteString(atsSection(html.UnescapeString(l.Text), "<ul>"+l.Content+"</ul>"))
		}
		desc.WriteString(p.Additional)
		o := jobs.Opening{
			Title:          leverTitle(p.Text),
			URL:            p.HostedURL,
			Locations:      atsLocations(append([]string{p.Categories.Location}, p.Categories.AllLocations...)...),
			Remote:         atsRemote(p.Workplace), // "unspecified" is unknown, then read from the locations
			EmploymentType: atsEmploymentType(p.Categories.Commitment),
			Description:    atsText(desc.String()),
		}
		if p.CreatedAt > 0 && p.CreatedAt < 1e15 {
			o.Posted = jobs.UTC(time.UnixMilli(int64(p.CreatedAt)), now)
		}
		if o.EmploymentType == jobs.TypeUnknown {
			o.EmploymentType = jobs.EmploymentTypeOf(o.Title)
		}
		if r := p.SalaryRange; r != nil {
			o.Salary = atsSalary(float64(r.Min), float64(r.Max), r.Currency, r.Interval)
		}
		if o.Salary == nil {
			o.Salary = jobs.SalaryOf(jobs.PlainText(p.SalaryDescription, 0))
		}
		if o, ok := atsOpening(o, source, string(p.ID)); ok {
			openings = atsKeep(openings, seen, o)
		}
	}
	return openings, nil
}
