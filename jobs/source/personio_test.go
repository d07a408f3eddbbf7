package source

import (
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/jobs"
)

func TestParsePersonio(t *testing.T) {
	got := atsParse(t, parsePersonio, "personio-positions.xml", "ottonova", 3)
	atsCompare(t, got, []atsWant{
		{
			// The legal entity without its code; offices and additional offices as places;
			// "full-or-part-time" is no one contract type. The feed has no links: Fetch adds
			// them from the board name (TestATSFetch).
			name: "two offices",
			want: jobs.Opening{
				ID: "ottonova:2573573", Title: "(Senior) Aktuar (m/w/d) mit Schwerpunkt Solvency II (20h) (m/w/d)",
				Company: "ottonova Krankenversicherung AG", Locations: []string{"München", "Köln"}, Seniority: jobs.SenioritySenior,
				Posted: time.Date(2026, 3, 23, 15, 24, 29, 0, time.UTC), Source: "ottonova",
			},
			// Section headings kept, CDATA and indentation gone, the URL slug section left out.
			has:  []string{"DEIN TEAM\n\nottonova ist eine rein digitale private Krankenversicherung", "DEIN WIRKUNGSBEREICH", "- Berechnungen Solvency II:", "WORAUF DU DICH FREUEN DARFST"},
			lack: []string{"rma-solvency", "URL", "font-family", "CDATA"},
		},
		{
			name: "entity in the title",
			want: jobs.Opening{
				ID: "ottonova:2807356", Title: "Head of Finance & Controlling (m/w/d)", Company: "ottonova Holding AG",
				Locations: []string{"München"}, Seniority: jobs.SeniorityLead, EmploymentType: jobs.TypeFullTime,
				Posted: time.Date(2026, 9, 22, 11, 3, 32, 0, time.UTC), Source: "ottonova",
			},
		},
		{
			name: "unsolicited application",
			want: jobs.Opening{
				ID: "ottonova:2547139", Title: "Initiativ bewerben (m/w/d)", Company: "ottonova Holding AG",
				Locations: []string{"München"}, Posted: time.Date(2026, 2, 27, 7, 52, 26, 0, time.UTC), Source: "ottonova",
			},
			has: []string{"Haben wir Dein Interesse geweckt?"},
		},
	})
}

func TestParsePersonioShapes(t *testing.T) {
	body := `<?xml version="1.0" encoding="UTF-8"?><workzag-jobs>
		<position><id>1</id><name>Werkstudent Data</name><office>Remote</office><employmentType>working_student</employmentType>
		 <seniority>student</seniority><schedule>part-time</schedule></position>
		<position><id>2</id><name>Freelance Designer</name><employmentType>freelance</employmentType><seniority>entry-level</seniority>
		 <createdAt>not a date</createdAt></position>
		<position><id>3</id><name>Teilzeit</name><schedule>part-time</schedule><seniority>executive</seniority></position>
		<position><id></id><name>no id</name></position>
		<position><id>5</id></position>
	</workzag-jobs>`
	got, err := parsePersonio([]byte(body), "p", atsNow)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d openings", len(got))
	}
	if o := got[0]; o.Remote != jobs.RemoteYes || o.Seniority != jobs.SeniorityIntern || o.EmploymentType != jobs.TypeInternship {
		t.Errorf("%+v", o)
	}
	if o := got[1]; o.Seniority != jobs.SeniorityJunior || o.EmploymentType != jobs.TypeContract || !o.Posted.IsZero() || o.Locations != nil {
		t.Errorf("%+v", o)
	}
	if o := got[2]; o.Seniority != jobs.SeniorityLead || o.EmploymentType != jobs.TypePartTime {
		t.Errorf("%+v", o)
	}
	for name, body := range map[string]string{
		"json":         `{"jobs":[]}`,
		"other root":   `<rss><channel/></rss>`,
		"not closed":   `<workzag-jobs><position><id>1</id>`,
		"latin-1 feed": `<?xml version="1.0" encoding="ISO-8859-1"?><workzag-jobs></workzag-jobs>`,
	} {
		if _, err := parsePersonio([]byte(body), "p", atsNow); err == nil || !strings.HasPrefix(err.Error(), "personio: the payload is not the XML feed") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func FuzzParsePersonio(f *testing.F) {
	f.Add(atsFixture(f, "personio-positions.xml"))
	f.Add([]byte(`<workzag-jobs><position><id>1</id><name>x &amp; y</name><jobDescriptions><jobDescription><name>a</name><value><![CDATA[<p>b]]></value></jobDescription></jobDescriptions></position></workzag-jobs>`))
	f.Fuzz(func(t *testing.T, body []byte) { atsFuzz(t, parsePersonio, body) })
}
