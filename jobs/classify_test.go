package jobs

import (
	"reflect"
	"strings"
	"testing"
)

func TestSeniorityOf(t *testing.T) {
	for title, want := range map[string]Seniority{
		"Senior Site Reliability Engineer":     SenioritySenior,
		"Sr. Backend Engineer":                 SenioritySenior,
		"Staff Software Engineer, Storage":     SeniorityStaff,
		"Principal Engineer":                   SeniorityPrincipal,
		"Engineering Manager, Platform":        SeniorityLead,
		"Junior DevOps Engineer":               SeniorityJunior,
		"Software Engineer Intern (Summer)":    SeniorityIntern,
		"Software Engineer II":                 SeniorityMid,
		"Software Engineer":                    SeniorityUnknown,
		"Seniority-free title about Staffing?": SeniorityUnknown,
	} {
		if got := SeniorityOf(title); got != want {
			t.Errorf("SeniorityOf(%q) = %q, want %q", title, got, want)
		}
	}
}

func TestRemoteAndVisa(t *testing.T) {
	for s, want := range map[string]Remote{"Remote - EU": RemoteYes, "Hybrid (Berlin)": RemoteHybrid, "ONSITE": RemoteNo,
		"Berlin, Germany": RemoteUnknown, "Remote or hybrid": RemoteHybrid, "Anywhere": RemoteYes} {
		if got := RemoteOf(s); got != want {
			t.Errorf("RemoteOf(%q) = %q, want %q", s, got, want)
		}
	}
	for s, want := range map[string]Visa{
		"We sponsor visas for this role.":                   VisaYes,
		"Visa sponsorship is available.":                    VisaYes,
		"We are unable to sponsor visas.":                   VisaNo,
		"No visa sponsorship.":                              VisaNo,
		"You must already have the right to work in the UK": VisaNo,
		"Great team, visas are a topic we discuss.":         VisaUnknown,
	} {
		if got := VisaOf(s); got != want {
			t.Errorf("VisaOf(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestSalaryOf(t *testing.T) {
	tests := []struct {
		in   string
		want *Salary
	}{
		{"$120,000 - $150,000", &Salary{120000, 150000, "USD", PerYear}},
		{"Pay: €80k–95k", &Salary{80000, 95000, "EUR", PerYear}},
		{"$18 - $22/hr", &Salary{18, 22, "USD", PerHour}},
		{"$31,2k- $52k", &Salary{31200, 52000, "USD", PerYear}},
		{"$12K", &Salary{12000, 12000, "USD", PerYear}},
		{"USD 80,000 – 95,000 per year", &Salary{80000, 95000, "USD", PerYear}},
		{"$80,000 – $95,000 USD", &Salary{80000, 95000, "USD", PerYear}},
		{"£5,000 a month", &Salary{5000, 5000, "GBP", PerMonth}},
		{"30 $/h", nil},
		{"$0,1", nil},
		{"$0 - $0", nil},
		{"We have 3 offices and 200 engineers", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := SalaryOf(tt.in)
		switch {
		case got == nil && tt.want == nil:
		case got == nil || tt.want == nil || *got != *tt.want:
			t.Errorf("SalaryOf(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestEmploymentTypeOf(t *testing.T) {
	for s, want := range map[string]EmploymentType{"Full-time": TypeFullTime, "FULL_TIME": TypeFullTime, "Contractor": TypeContract,
		"Part time": TypePartTime, "Internship": TypeInternship, "": TypeUnknown} {
		if got := EmploymentTypeOf(s); got != want {
			t.Errorf("EmploymentTypeOf(%q) = %q, want %q", s, got, want)
		}
	}
}

// salaryOfWhole and visaOfWhole are SalaryOf and VisaOf as plain runs of their patterns over
// the whole text: the fast versions must answer exactly as they do.
func salaryOfWhole(text string) *Salary {
	for _, m := range salaryPattern.FindAllStringSubmatch(text, 8) {
		for i := range m {
			m[i] = strings.ToLower(m[i])
		}
		if s := salaryOf(m); s != nil {
			return s
		}
	}
	return nil
}

func visaOfWhole(text string) Visa {
	switch {
	case visaNo.MatchString(text):
		return VisaNo
	case visaYes.MatchString(text):
		return VisaYes
	}
	return VisaUnknown
}

func checkClassifiers(t *testing.T, text string) {
	t.Helper()
	if got, want := SalaryOf(text), salaryOfWhole(text); !reflect.DeepEqual(got, want) {
		t.Errorf("SalaryOf(%.200q) = %+v, the whole-text pattern says %+v", text, got, want)
	}
	if got, want := VisaOf(text), visaOfWhole(text); got != want {
		t.Errorf("VisaOf(%.200q) = %q, the whole-text pattern says %q", text, got, want)
	}
}

func TestClassifiersMatchWholeTextPatterns(t *testing.T) {
	t.Parallel()
	corpus, err := loadCorpus()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range corpus.sentences {
		checkClassifiers(t, s)
	}
	for _, s := range []string{
		"Pay: $120,000 - $150,000 a year. We sponsor visas.", "USD 80,000 – 95,000 per year", "€80k–95k",
		"$18 - $22/hr", "busd 5", "$ $ $ 12", "We cannot sponsor a visa. Visa sponsorship is available.",
		"You must already have the right to work in the UK", "no\nvisa", "not. visa", "CHF 120'000",
	} {
		checkClassifiers(t, s)
	}
}

func FuzzClassifiers(f *testing.F) {
	f.Add("Pay: $120,000 - $150,000 a year. We sponsor visas.")
	f.Add("€80k–95k; we cannot offer visa sponsorship")
	f.Fuzz(func(t *testing.T, text string) { checkClassifiers(t, text) })
}
