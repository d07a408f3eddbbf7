package source

import (
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

func TestParseAshby(t *testing.T) {
	got := atsParse(t, parseAshby, "ashby-jobs.json", "lightdash", 2)
	atsCompare(t, got, []atsWant{
		{
			name: "salary beside equity",
			want: jobs.Opening{
				ID: "lightdash:309706bc-1081-48b6-89dc-f769bbe17e6d", Title: "Analytics Engineering Advocate",
				Locations: []string{"Remote"}, Remote: jobs.RemoteYes, EmploymentType: jobs.TypeFullTime,
				Salary: &jobs.Salary{Min: 60000, Max: 95000, Currency: "GBP", Period: jobs.PerYear},
				URL:    "https://jobs.ashbyhq.com/lightdash/309706bc-1081-48b6-89dc-f769bbe17e6d",
				Posted: time.Date(2024, 7, 15, 16, 45, 14, 721e6, time.UTC), Source: "lightdash",
			},
			has:  []string{"About Lightdash\n\nLightdash is an open source BI tool", "We’re building"},
			lack: []string{"style=", "min-height"},
		},
		{
			name: "equity listed first in the summary",
			want: jobs.Opening{
				ID: "lightdash:9efa292a-cc34-4388-90a2-2bed5126ace4", Title: "Full Stack Engineer",
				Locations: []string{"Remote"}, Remote: jobs.RemoteYes, EmploymentType: jobs.TypeFullTime,
				Salary: &jobs.Salary{Min: 60000, Max: 110000, Currency: "GBP", Period: jobs.PerYear},
				URL:    "https://jobs.ashbyhq.com/lightdash/9efa292a-cc34-4388-90a2-2bed5126ace4",
				Posted: time.Date(2024, 2, 28, 12, 2, 30, 31e6, time.UTC), Source: "lightdash",
			},
		},
	})
}

func TestParseAshbyShapes(t *testing.T) {
	body := `{"jobs":[
		{"id":"h","title":"Hybrid Designer","workplaceType":"Hybrid","isRemote":true,"location":"Berlin",
		 "secondaryLocations":[{"location":"Hamburg"},{"location":"Berlin"}],"employmentType":"PartTime",
		 "compensation":{"summaryComponents":[],"compensationTiers":[
		   {"components":[{"compensationType":"Salary","interval":"1 YEAR","currencyCode":"EUR","minValue":50000,"maxValue":60000}]},
		   {"components":[{"compensationType":"Salary","interval":"1 YEAR","currencyCode":"EUR","minValue":45000,"maxValue":70000},
		                  {"compensationType":"Bonus","interval":"1 YEAR","currencyCode":"EUR","minValue":9000000,"maxValue":null}]}]},
		 "descriptionPlain":"Plain only. Visa sponsorship available."},
		{"id":"o","title":"On-site","workplaceType":"OnSite","isRemote":null,"location":"Paris","compensation":null,"publishedAt":null},
		{"id":"u","title":"Unlisted","isListed":false},
		{"id":"e","title":"Equity only","isRemote":false,"location":"London",
		 "compensation":{"summaryComponents":[{"compensationType":"EquityPercentage","interval":"NONE","currencyCode":null,"minValue":0.1,"maxValue":0.3}]},
		 "descriptionHtml":"<p>Pay: £70,000 - £80,000</p>"}
	]}`
	got, err := parseAshby([]byte(body), "a", atsNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d openings", len(got))
	}
	if o := got[0]; o.Remote != jobs.RemoteHybrid || strings.Join(o.Locations, "|") != "Berlin|Hamburg" || o.EmploymentType != jobs.TypePartTime ||
		o.Salary == nil || *o.Salary != (jobs.Salary{Min: 45000, Max: 70000, Currency: "EUR", Period: jobs.PerYear}) ||
		o.Description != "Plain only. Visa sponsorship available." || o.Visa != jobs.VisaYes {
		t.Errorf("workplace type before isRemote, tiers merged, bonus ignored: %+v %+v", o, o.Salary)
	}
	if o := got[1]; o.Remote != jobs.RemoteNo || o.Salary != nil || !o.Posted.IsZero() {
		t.Errorf("on-site with null fields: %+v", o)
	}
	if o := got[2]; o.Remote != jobs.RemoteUnknown || o.Salary == nil || o.Salary.Min != 70000 || o.Salary.Currency != "GBP" {
		t.Errorf("equity only: pay read from the description: %+v %+v", o, o.Salary)
	}
	for name, body := range map[string]string{"no jobs": `{"apiVersion":"1"}`, "jobs a string": `{"jobs":"x"}`, "truncated": `{"jobs":[{"id":"x"`} {
		if _, err := parseAshby([]byte(body), "a", atsNow); err == nil || !strings.HasPrefix(err.Error(), "ashby: the payload is not the posting API's JSON") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func FuzzParseAshby(f *testing.F) {
	f.Add(atsFixture(f, "ashby-jobs.json"))
	f.Add([]byte(`{"jobs":[{"id":"x","title":"y","compensation":{"summaryComponents":[{"compensationType":"Salary","interval":"1 YEAR","currencyCode":"USD","minValue":1e300}]}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) { atsFuzz(t, parseAshby, body) })
}
