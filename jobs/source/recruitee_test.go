package source

import (
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

func TestParseRecruitee(t *testing.T) {
	got := atsParse(t, parseRecruitee, "recruitee-offers.json", "aikido", 3)
	atsCompare(t, got, []atsWant{
		{
			// location says "Remote job"; the places come from the locations list.
			name: "remote offer with a city",
			want: jobs.Opening{
				ID: "aikido:2707521", Title: "Customer Success Engineer Tel Aviv", Company: "Aikido Security",
				Locations: []string{"Tel Aviv, Israel"}, Remote: jobs.RemoteYes, Seniority: jobs.SeniorityMid, EmploymentType: jobs.TypeFullTime,
				URL:    "https://aikidosecurity.recruitee.com/o/customer-success-engineer-tel-aviv",
				Posted: time.Date(2026, 8, 11, 20, 45, 29, 0, time.UTC), Source: "aikido",
			},
			// The description was cut mid-word with tags left open; the emoji survives.
			has:  []string{"🌍 We’re making security suck less for developers.", "Requirements\n\n- Medior/Senior profile"},
			lack: []string{"<p", "<strong"},
		},
		{
			name: "remote offer in Dubai",
			want: jobs.Opening{
				ID: "aikido:2707517", Title: "Customer Success Engineer Dubai", Company: "Aikido Security",
				Locations: []string{"Dubai, United Arab Emirates"}, Remote: jobs.RemoteYes, Seniority: jobs.SeniorityMid, EmploymentType: jobs.TypeFullTime,
				URL:    "https://aikidosecurity.recruitee.com/o/customer-success-engineer-dubai",
				Posted: time.Date(2026, 8, 11, 20, 42, 44, 0, time.UTC), Source: "aikido",
			},
		},
		{
			// Salary as stated: 75 to 95 USD a year, string numbers. "experienced" leaves the
			// title to decide, and "Manager" reads as lead.
			name: "on-site offer with a salary",
			want: jobs.Opening{
				ID: "aikido:2705729", Title: "Office Manager Chicago", Company: "Aikido Security",
				Locations: []string{"Chicago, Illinois, United States"}, Remote: jobs.RemoteNo, Seniority: jobs.SeniorityLead,
				EmploymentType: jobs.TypeFullTime, Salary: &jobs.Salary{Min: 75, Max: 95, Currency: "USD", Period: jobs.PerYear},
				URL:    "https://aikidosecurity.recruitee.com/o/office-manager-chicago",
				Posted: time.Date(2026, 8, 10, 15, 13, 59, 0, time.UTC), Source: "aikido",
			},
		},
	})
}

func TestParseRecruiteeShapes(t *testing.T) {
	body := `{"offers":[
		{"id":1,"title":"Hybrid Werkstudent","hybrid":true,"remote":true,"employment_type_code":"parttime_fixed_term",
		 "experience_code":"student_college","location":"Berlin, Germany","locations":[],"city":"Berlin","country":"Germany",
		 "salary":{"min":"1,200","max":null,"period":"month","currency":"EUR"},"close_at":"2027-01-31 23:59:59 UTC",
		 "published_at":null,"created_at":"2026-05-01 10:00:00 UTC"},
		{"id":2,"title":"Somewhere","location":"On-site in Lyon","salary":{"min":null,"max":null,"period":null,"currency":null}},
		{"id":null,"title":"no id"}
	]}`
	got, err := parseRecruitee([]byte(body), "r", atsNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d openings", len(got))
	}
	o := got[0]
	if o.Remote != jobs.RemoteHybrid || o.Seniority != jobs.SeniorityIntern || o.EmploymentType != jobs.TypePartTime ||
		o.Salary == nil || *o.Salary != (jobs.Salary{Min: 1200, Max: 1200, Currency: "EUR", Period: jobs.PerMonth}) ||
		!o.Closes.Equal(time.Date(2027, 1, 31, 23, 59, 59, 0, time.UTC)) || o.Posted.Month() != time.May ||
		strings.Join(o.Locations, "|") != "Berlin, Germany" {
		t.Errorf("%+v %+v", o, o.Salary)
	}
	if o := got[1]; o.Remote != jobs.RemoteNo || o.Salary != nil || o.Locations != nil {
		t.Errorf("no flags, null salary: %+v", o)
	}
	for name, body := range map[string]string{"no offers": `{"error":"x"}`, "offers null": `{"offers":null}`, "not json": "}"} {
		if _, err := parseRecruitee([]byte(body), "r", atsNow); err == nil || !strings.HasPrefix(err.Error(), "recruitee: the payload is not the offers API's JSON") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func FuzzParseRecruitee(f *testing.F) {
	f.Add(atsFixture(f, "recruitee-offers.json"))
	f.Add([]byte(`{"offers":[{"id":"1","title":"x","salary":{"min":"NaN","max":"1e400","period":"year","currency":"usd"}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) { atsFuzz(t, parseRecruitee, body) })
}
