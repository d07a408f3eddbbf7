package source

import (
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

func TestParseSmartRecruiters(t *testing.T) {
	got := atsParse(t, parseSmartRecruiters, "smartrecruiters-postings.json", "vitol", 5)
	opening := func(id, title, location string, level jobs.Seniority, posted time.Time) jobs.Opening {
		return jobs.Opening{
			ID: "vitol:" + id, Title: title, Company: "Vitol", Locations: []string{location},
			Remote: jobs.RemoteNo, Seniority: level, EmploymentType: jobs.TypeFullTime,
			URL:    "https://jobs.smartrecruiters.com/Vitol/" + id,
			Posted: posted, Source: "vitol",
		}
	}
	atsCompare(t, got, []atsWant{
		{name: "empty region", want: opening("744000133666057", "Platform Engineer", "Singapore", jobs.SeniorityMid,
			time.Date(2026, 6, 23, 17, 40, 25, 923e6, time.UTC))},
		{name: "associate", want: opening("744000133449673", "Project Accounting Analyst", "Houston, TX, United States", jobs.SeniorityJunior,
			time.Date(2026, 6, 22, 20, 26, 42, 504e6, time.UTC))},
		{name: "not the default job ad", want: opening("744000133312429", "Software Engineer", "Geneva, GE, Switzerland", jobs.SeniorityMid,
			time.Date(2026, 6, 22, 9, 38, 53, 368e6, time.UTC))},
		{name: "raw ampersand, title names the level", want: opening("744000132586410",
			"Senior Messaging & Core Infrastructure Engineer (Exchange and Messaging Specialist)", "London, England, United Kingdom",
			jobs.SenioritySenior, time.Date(2026, 6, 17, 8, 42, 27, 726e6, time.UTC))},
		{name: "executive", want: opening("744000132552099", "Futures Execution Specialist", "Shanghai, China", jobs.SeniorityLead,
			time.Date(2026, 6, 17, 3, 16, 14, 33e6, time.UTC))},
	})
	for _, o := range got {
		if o.Description != "" || o.Salary != nil {
			t.Errorf("%s: the list has no description or pay: %q %+v", o.ID, o.Description, o.Salary)
		}
	}
}

func TestParseSmartRecruitersShapes(t *testing.T) {
	body := `{"content":[
		{"id":"1","name":"Remote Support","defaultJobAd":false,"company":{"identifier":"Acme Co","name":"Acme"},
		 "location":{"city":"Austin","remote":true}},
		{"id":"1","name":"Remote Support","defaultJobAd":true,"company":{"identifier":"acme","name":"Acme"},
		 "location":{"city":"Austin","region":"TX","country":"us","remote":true,"hybrid":false},
		 "typeOfEmployment":{"id":"part_time"},"experienceLevel":{"id":"internship"},
		 "postingUrl":"https://jobs.smartrecruiters.com/acme/1-remote-support",
		 "jobAd":{"sections":{"jobDescription":{"title":"Job","text":"<p>Help.</p>"},"companyDescription":{"title":"Us","text":"<p>We.</p>"},
		   "additionalInformation":{"title":"More","text":"<p>$50,000 - $60,000 a year</p>"}}}},
		{"id":"2","name":"Hybrid","location":{"fullLocation":"Paris, , France","hybrid":true}},
		{"id":"3","name":"Unknown","location":{}},
		{"id":"","name":"no id"}
	]}`
	got, err := parseSmartRecruiters([]byte(body), "s", atsNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d openings", len(got))
	}
	o := got[0]
	if o.Remote != jobs.RemoteYes || o.Seniority != jobs.SeniorityIntern || o.EmploymentType != jobs.TypePartTime ||
		o.URL != "https://jobs.smartrecruiters.com/acme/1-remote-support" || o.Description != "Us\n\nWe.\n\nJob\n\nHelp.\n\nMore\n\n$50,000 - $60,000 a year" ||
		o.Salary == nil || o.Salary.Max != 60000 || strings.Join(o.Locations, "|") != "Austin, TX, us" {
		t.Errorf("the default job ad of a posting listed twice: %+v", o)
	}
	if o := got[1]; o.Remote != jobs.RemoteHybrid || o.Locations[0] != "Paris, France" || o.URL != "" {
		t.Errorf("hybrid, no company identifier: %+v", o)
	}
	if o := got[2]; o.Remote != jobs.RemoteUnknown || o.Locations != nil {
		t.Errorf("no flags: %+v", o)
	}
	for name, body := range map[string]string{"no content": `{"totalFound":0}`, "content an object": `{"content":{}}`, "not json": "<"} {
		if _, err := parseSmartRecruiters([]byte(body), "s", atsNow); err == nil || !strings.HasPrefix(err.Error(), "smartrecruiters: the payload is not the posting API's JSON") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func FuzzParseSmartRecruiters(f *testing.F) {
	f.Add(atsFixture(f, "smartrecruiters-postings.json"))
	f.Add([]byte(`{"content":[{"id":"1","name":"x","company":{"identifier":"a/b"},"location":{"remote":false,"hybrid":false}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) { atsFuzz(t, parseSmartRecruiters, body) })
}
