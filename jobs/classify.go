package jobs

import (
	"regexp"
	"strconv"
	"strings"
)

// The classifiers below read a field from the words of a title or a description when a board
// has no structured value for it. They answer "unknown" rather than guess: a wrong "remote" or
// "visa: yes" would send people after jobs that are not for them.

var seniorityWords = []struct {
	re    *regexp.Regexp
	level Seniority
}{
	{regexp.MustCompile(`(?i)\b(intern|internship|werkstudent|praktikum|trainee)\b`), SeniorityIntern},
	{regexp.MustCompile(`(?i)\b(principal|distinguished|fellow)\b`), SeniorityPrincipal},
	{regexp.MustCompile(`(?i)\b(staff)\b`), SeniorityStaff},
	{regexp.MustCompile(`(?i)\b(head of|director|vp|vice president|manager|lead|tech lead|team lead)\b`), SeniorityLead},
	{regexp.MustCompile(`(?i)\b(senior|sr\.?|snr)\b|\b(iii|iv)\b`), SenioritySenior},
	{regexp.MustCompile(`(?i)\b(junior|jr\.?|graduate|entry[- ]level|associate)\b|\bi\b$`), SeniorityJunior},
	{regexp.MustCompile(`(?i)\b(mid[- ]level|intermediate|ii)\b`), SeniorityMid},
}

// SeniorityOf reads the level from a title: "Senior Site Reliability Engineer" is senior,
// "Staff Engineer" staff, "Engineering Manager" lead; a title that names none is unknown.
func SeniorityOf(title string) Seniority {
	for _, w := range seniorityWords {
		if w.re.MatchString(title) {
			return w.level
		}
	}
	return SeniorityUnknown
}

// EmploymentTypeOf reads a board's contract field ("Full-time", "FULL_TIME", "Contractor",
// "Part time", "Internship"), or a title's words.
func EmploymentTypeOf(s string) EmploymentType {
	s = strings.ToLower(strings.NewReplacer("_", " ", "-", " ").Replace(s))
	switch {
	case strings.Contains(s, "intern"), strings.Contains(s, "werkstudent"), strings.Contains(s, "praktikum"):
		return TypeInternship
	case strings.Contains(s, "part time"), strings.Contains(s, "teilzeit"):
		return TypePartTime
	case strings.Contains(s, "contract"), strings.Contains(s, "freelance"), strings.Contains(s, "temporary"):
		return TypeContract
	case strings.Contains(s, "full time"), strings.Contains(s, "permanent"), strings.Contains(s, "vollzeit"):
		return TypeFullTime
	}
	return TypeUnknown
}

var (
	hybridWords = regexp.MustCompile(`(?i)\bhybrid\b`)
	remoteWords = regexp.MustCompile(`(?i)\b(remote|anywhere|work from home|wfh|distributed team|telecommute)\b`)
	onsiteWords = regexp.MustCompile(`(?i)\b(on[- ]?site|in[- ]office|onsite only|no remote)\b`)
)

// RemoteOf reads where the work is done from a location or a short text ("Remote - EU",
// "Hybrid (Berlin)", "ONSITE"); hybrid wins over remote, which wins over on-site.
func RemoteOf(s string) Remote {
	switch {
	case hybridWords.MatchString(s):
		return RemoteHybrid
	case onsiteWords.MatchString(s):
		return RemoteNo
	case remoteWords.MatchString(s):
		return RemoteYes
	}
	return RemoteUnknown
}

var (
	visaNo  = regexp.MustCompile(`(?i)\b(no|not|unable to|cannot|can't|can ?not|do not|don't|without)\b[^.\n]{0,40}\b(visa|sponsor(ship)?)\b|\bmust (already )?(have|hold) (the )?(right|authori[sz]ation) to work\b`)
	visaYes = regexp.MustCompile(`(?i)\b(visa sponsorship (is )?(available|offered|provided)|we (will |can |do )?sponsor (work )?visas?|sponsor(ship)? (is )?available|relocation and visa support|visa support)\b`)
)

// VisaOf reads visa sponsorship from explicit text only: "we sponsor visas" is yes, "we cannot
// sponsor visas" no, anything else unknown.
func VisaOf(text string) Visa {
	// Neither pattern crosses a full stop or a line break, and both start and end at word
	// boundaries, which a full stop or a line break also is: so each runs on the sentences
	// that name a visa, a sponsor or the right to work, not on a whole description.
	var sentences []string
	for s := range strings.FieldsFuncSeq(text, func(r rune) bool { return r == '.' || r == '\n' }) {
		l := strings.ToLower(s)
		if strings.Contains(l, "visa") || strings.Contains(l, "sponsor") || strings.Contains(l, "to work") {
			sentences = append(sentences, s)
		}
	}
	for _, re := range []struct {
		re   *regexp.Regexp
		visa Visa
	}{{visaNo, VisaNo}, {visaYes, VisaYes}} {
		for _, s := range sentences {
			if re.re.MatchString(s) {
				return re.visa
			}
		}
	}
	return VisaUnknown
}

// salaryPattern finds a stated pay range: a currency (symbol or code) before or after, a
// number with thousands separators or a k, an optional second number after a dash or "to", and
// an optional period ("/hr", "per year", "a month").
var salaryPattern = regexp.MustCompile(`(?i)(?:(?P<cur1>[$€£]|usd|eur|gbp|cad|aud|chf)\s?)` +
	`(?P<lo>\d{1,3}(?:[,.]\d{3})+|\d+(?:[.,]\d+)?)\s?(?P<k1>k)?` +
	`(?:\s?(?:-|–|—|to)\s?(?:[$€£]|usd|eur|gbp|cad|aud|chf)?\s?(?P<hi>\d{1,3}(?:[,.]\d{3})+|\d+(?:[.,]\d+)?)\s?(?P<k2>k)?)?` +
	`(?:\s?(?P<cur2>usd|eur|gbp|cad|aud|chf))?` +
	`(?:\s?(?:/|per|an?)\s?(?P<per>hour|hr|h|year|yr|annum|month|mo)\b)?`)

var currencyOf = map[string]string{"$": "USD", "€": "EUR", "£": "GBP", "usd": "USD", "eur": "EUR", "gbp": "GBP",
	"cad": "CAD", "aud": "AUD", "chf": "CHF"}

// SalaryOf finds the first pay range stated in text ("$120,000 - $150,000", "€80k–95k",
// "$18 - $22/hr", "USD 80,000 – 95,000 per year"), or nil. Amounts below 1,000 with no k
// and no period are read as hourly when at most 500, and otherwise ignored as not pay.
func SalaryOf(text string) *Salary {
	// A match starts with a currency: run the pattern, anchored, where one stands, on a
	// window that holds any match, rather than over the whole description. The first 8
	// matches are tried, as FindAllStringSubmatch(text, 8) would find them.
	lower := strings.ToLower(text)
	for i, tried := 0, 0; tried < 8; {
		at := nextCurrency(lower, i)
		if at < 0 {
			return nil
		}
		m := salaryAt.FindStringSubmatch(lower[at:min(len(lower), at+salaryWindow)])
		if m == nil {
			i = at + 1
			continue
		}
		tried++
		i = at + max(len(m[0]), 1)
		if s := salaryOf(m); s != nil {
			return s
		}
	}
	return nil
}

// salaryAt is salaryPattern anchored at the start, for lower-case text.
var salaryAt = regexp.MustCompile(`^` + strings.TrimPrefix(salaryPattern.String(), "(?i)"))

// salaryWindow is more than the longest pay range the pattern reads.
const salaryWindow = 160

// nextCurrency is the index of the first currency symbol or code at or after i in lower-case
// text, or -1.
func nextCurrency(lower string, i int) int {
	best := -1
	for _, c := range []string{"$", "€", "£", "usd", "eur", "gbp", "cad", "aud", "chf"} {
		end := len(lower)
		if best >= 0 {
			end = best
		}
		if j := strings.Index(lower[i:end], c); j >= 0 {
			best = i + j
		}
	}
	return best
}

// salaryOf reads one match of salaryPattern, or nil when it states no pay.
func salaryOf(m []string) *Salary {
	get := func(name string) string { return m[salaryPattern.SubexpIndex(name)] }
	lo, ok := amount(get("lo"), get("k1") != "" || get("k2") != "")
	if !ok {
		return nil
	}
	hi := lo
	if h := get("hi"); h != "" {
		if hi, ok = amount(h, get("k2") != ""); !ok {
			return nil
		}
		if get("k1") == "" && get("k2") != "" && lo < 1000 {
			lo *= 1000 // "$31.2k-$52k" and "80-95k": the k covers both
		}
	}
	if hi < lo {
		lo, hi = hi, lo
	}
	s := &Salary{Min: lo, Max: hi, Currency: currencyOf[strings.ToLower(get("cur1"))], Period: PerYear}
	if c := get("cur2"); c != "" && s.Currency == "" {
		s.Currency = currencyOf[strings.ToLower(c)]
	}
	switch strings.ToLower(get("per")) {
	case "hour", "hr", "h":
		s.Period = PerHour
	case "month", "mo":
		s.Period = PerMonth
	case "":
		if hi < 1000 {
			if hi > 500 {
				return nil // "$12" or "€ 900": not a salary anyone states this way
			}
			s.Period = PerHour
		}
	}
	return s
}

var groupedNumber = regexp.MustCompile(`^\d{1,3}(?:[,.]\d{3})+$`)

// amount reads "120,000", "120.000", "31,2" (with k: 31,200), "95.00".
func amount(s string, k bool) (int64, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if groupedNumber.MatchString(s) && !k {
		n, err := strconv.ParseInt(strings.NewReplacer(",", "", ".", "").Replace(s), 10, 64)
		return n, err == nil && n > 0
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", "."), 64)
	if err != nil {
		return 0, false
	}
	if k {
		f *= 1000
	}
	n := int64(f + 0.5)
	return n, n > 0 // "$0,1" states no pay
}

var (
	engineeringTitle = regexp.MustCompile(`(?i)\b(engineer|engineering|engineers|developer|programmer|sre|devops|devsecops|mlops|` +
		`architect|sysadmin|administrator|site reliability|infrastructure|platform|backend|back-end|frontend|front-end|` +
		`full[- ]?stack|software|firmware|cloud|kubernetes|data scientist|machine learning|security analyst|` +
		`penetration tester|qa|sdet|cto|technical lead|tech lead|database|dba|network|reliability)\b`)
	notEngineeringTitle = regexp.MustCompile(`(?i)\b(sales|account executive|account manager|marketing|recruiter|recruiting|` +
		`talent|customer success|business development|copywriter)\b`)
)

// IsEngineering says whether a title is an engineering role (software, infrastructure, SRE,
// DevOps, data, security): what the built-in sources keep, since aggregators list every kind
// of job. A sales or recruiting title that mentions engineering ("Sales Engineer", "Technical
// Recruiter") is not one.
func IsEngineering(title string) bool {
	return engineeringTitle.MatchString(title) && !notEngineeringTitle.MatchString(title)
}
