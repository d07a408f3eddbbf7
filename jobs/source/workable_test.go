package source

import (
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

func TestParseWorkable(t *testing.T) {
	got := atsParse(t, parseWorkable, "workable-widget.json", "workable", 1)
	atsCompare(t, got, []atsWant{{
		name: "the one posting",
		want: jobs.Opening{
			// The shortcode is the id; the account's name is the company; the date-only
			// published_on (not created_at) is the posting time.
			ID: "workable:401786A940", Title: "Implementation Manager", Company: "Workable",
			Locations: []string{"Boston, Massachusetts, United States"}, Seniority: jobs.SeniorityLead, EmploymentType: jobs.TypeFullTime,
			// "$80,000 – $95,000 USD annually", only in the description's HTML.
			Salary: &jobs.Salary{Min: 80000, Max: 95000, Currency: "USD", Period: jobs.PerYear},
			URL:    "https://apply.workable.com/j/401786A940",
			Posted: time.Date(2026, 6, 22, 0, 0, 0, 0, time.UTC), Source: "workable",
		},
		// Raw UTF-8 (’, —, emoji) kept; the Requirements heading inside the HTML kept as text.
		has:  []string{"Workable is an all-in-one HR platform", "full HR suite — giving", "💰 Competitive salary range: $80,000 – $95,000 USD annually", "Requirements"},
		lack: []string{"<strong>", "<li>"},
	}})
}

func TestParseWorkableShapes(t *testing.T) {
	body := `{"name":"Acme","jobs":[
		{"shortcode":"A1","title":"Remote Writer","telecommuting":true,"experience":"Entry level","employment_type":"Contract",
		 "url":"javascript:alert(1)","shortlink":"https://apply.workable.com/j/A1","published_on":null,"created_at":"2026-03-06",
		 "city":"Lisbon","country":"Portugal","locations":[{"city":"Porto","country":"Portugal","hidden":true}],
		 "description":"<p>Write.</p>","requirements":"<ul><li>Words</li></ul>","benefits":"<p>Visa sponsorship available</p>"},
		{"shortcode":null,"title":"No shortcode"},
		{"shortcode":"A2","title":"","code":""}
	]}`
	got, err := parseWorkable([]byte(body), "w", atsNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("%d openings", len(got))
	}
	o := got[0]
	if o.Remote != jobs.RemoteYes || o.Seniority != jobs.SeniorityJunior || o.EmploymentType != jobs.TypeContract ||
		o.URL != "https://apply.workable.com/j/A1" || !o.Posted.Equal(time.Date(2026, 3, 6, 0, 0, 0, 0, time.UTC)) ||
		strings.Join(o.Locations, "|") != "Lisbon, Portugal" || o.Visa != jobs.VisaYes ||
		o.Description != "Write.\n\nRequirements\n\n- Words\n\nBenefits\n\nVisa sponsorship available" {
		t.Errorf("%+v", o)
	}
	for name, body := range map[string]string{"no jobs": `{"name":"x"}`, "array": `[]`, "not json": "oops"} {
		if _, err := parseWorkable([]byte(body), "w", atsNow); err == nil || !strings.HasPrefix(err.Error(), "workable: the payload is not the widget API's JSON") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func FuzzParseWorkable(f *testing.F) {
	f.Add(atsFixture(f, "workable-widget.json"))
	f.Add([]byte(`{"name":"<b>x","jobs":[{"shortcode":"1","title":"t","locations":[{"city":"\u202e"}]}]}`))
	f.Fuzz(func(t *testing.T, body []byte) { atsFuzz(t, parseWorkable, body) })
}
