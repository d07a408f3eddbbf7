package source

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

// smartRecruiters reads a company's public postings through SmartRecruiters' Posting API list.
// The default endpoint asks for 100 postings, the largest page the API gives; a company with
// more shows its 100 newest.
type smartRecruiters struct {
	base
	board string
}

func newSmartRecruiters(cfg Config, c *Client) (Source, error) {
	b, err := atsBase("smartrecruiters", "the company's SmartRecruiters identifier", "https://api.smartrecruiters.com/v1/companies/%s/postings?limit=100", false, cfg, c)
	if err != nil {
		return nil, err
	}
	return smartRecruiters{base: b, board: cfg.Board}, nil
}

func (s smartRecruiters) Fetch(ctx context.Context) ([]jobs.Opening, error) {
	return atsFetch(ctx, s.base, s.board, "application/json", parseSmartRecruiters)
}

type smartRecruitersAnswer struct {
	Content *[]smartRecruitersPosting `json:"content"`
}

type smartRecruitersPosting struct {
	ID           atsID  `json:"id"`
	Name         string `json:"name"`
	DefaultJobAd *bool  `json:"defaultJobAd"`
	ReleasedDate string `json:"releasedDate"`
	PostingURL   string `json:"postingUrl"` // in the detail answer only
	Company      struct {
		Identifier string `json:"identifier"`
		Name       string `json:"name"`
	} `json:"company"`
	Location struct {
		City         string `json:"city"`
		Region       string `json:"region"`
		Country      string `json:"country"`
		FullLocation string `json:"fullLocation"`
		Remote       *bool  `json:"remote"`
		Hybrid       *bool  `json:"hybrid"`
	} `json:"location"`
	TypeOfEmployment struct {
		ID    string `json:"id"`
		Label string `json:"label"`
	} `json:"typeOfEmployment"`
	ExperienceLevel struct {
		ID string `json:"id"` // "internship", "entry_level", "associate", "mid_senior_level", "director", "executive"
	} `json:"experienceLevel"`
	// JobAd is in the detail answer only; the list has no description.
	JobAd struct {
		Sections map[string]struct {
			Title string `json:"title"`
			Text  string `json:"text"`
		} `json:"sections"`
	} `json:"jobAd"`
}

// smartRecruitersSections is the order of a job ad's sections.
var smartRecruitersSections = []string{"companyDescription", "jobDescription", "qualifications", "additionalInformation"}

// smartRecruitersURL is a posting's page: the postingUrl of the detail answer, else the public
// jobs site's address for the company and posting, which the list does not send (its ref is an
// API address).
func smartRecruitersURL(p smartRecruitersPosting) string {
	if u := jobs.WebURL(p.PostingURL); u != "" {
		return u
	}
	company, id := strings.TrimSpace(p.Company.Identifier), jobs.Line(string(p.ID), 200)
	if !atsBoardName.MatchString(company) || !atsBoardName.MatchString(id) {
		return ""
	}
	return "https://jobs.smartrecruiters.com/" + url.PathEscape(company) + "/" + url.PathEscape(id)
}

// parseSmartRecruiters reads the Posting API's list (GET /v1/companies/<company>/postings).
// The location's remote and hybrid flags decide where the work is done; when the list sends
// both and both are false the posting is on-site, SmartRecruiters' third kind. The list has no
// description, so pay and visa stay unknown unless a detail-shaped answer carries a job ad. A
// posting listed twice (one per job ad) is kept once, preferring its default job ad.
func parseSmartRecruiters(body []byte, source string, now time.Time) ([]jobs.Opening, error) {
	var a smartRecruitersAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		return nil, fmt.Errorf("smartrecruiters: the payload is not the posting API's JSON: %w", err)
	}
	if a.Content == nil {
		return nil, errors.New("smartrecruiters: the payload is not the posting API's JSON: it has no content list")
	}
	openings := make([]jobs.Opening, 0, len(*a.Content))
	index := make(map[string]int, len(*a.Content))
	for _, p := range *a.Content {
		var desc strings.Builder
		for _, key := range smartRecruitersSections {
			if s, ok := p.JobAd.Sections[key]; ok {
				desc.WriteString(atsSection(s.Title, s.Text))
			}
		}
		l := p.Location
		place := l.FullLocation
		if place == "" {
			place = strings.Join([]string{l.City, l.Region, l.Country}, ",")
		}
		parts := strings.Split(place, ",") // "Singapore, , Singapore": empty region
		o := jobs.Opening{
			Title:          p.Name,
			Company:        p.Company.Name,
			Locations:      atsLocations(atsPlace(parts...)),
			Seniority:      atsLevel(p.ExperienceLevel.ID, p.Name),
			EmploymentType: atsEmploymentType(p.TypeOfEmployment.Label),
			URL:            smartRecruitersURL(p),
			Posted:         atsPosted(p.ReleasedDate, now),
			Description:    atsText(desc.String()),
		}
		if o.EmploymentType == jobs.TypeUnknown {
			o.EmploymentType = atsEmploymentType(p.TypeOfEmployment.ID)
		}
		switch {
		case l.Hybrid != nil && *l.Hybrid:
			o.Remote = jobs.RemoteHybrid
		case l.Remote != nil && *l.Remote:
			o.Remote = jobs.RemoteYes
		case l.Remote != nil && l.Hybrid != nil:
			o.Remote = jobs.RemoteNo
		}
		o, ok := atsOpening(o, source, string(p.ID))
		if !ok {
			continue
		}
		if i, dup := index[o.ID]; dup {
			if p.DefaultJobAd != nil && *p.DefaultJobAd {
				openings[i] = o
			}
			continue
		}
		index[o.ID] = len(openings)
		openings = append(openings, o)
	}
	return openings, nil
}
