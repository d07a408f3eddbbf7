// Package jobs is careerbot's job half: one clean model of a job opening, whatever board it
// came from, and (in later files) the skills and knowledge topics an opening asks for, the
// query language of /jobs and subscriptions, the opening store and the poller. It imports
// nothing of the bot core; the sources that read real boards live in jobs/source.
package jobs

import (
	"fmt"
	"time"
)

// Remote says where the work is done.
type Remote string

// Remote values. Unknown is the zero value: a board that does not say is not guessed at.
const (
	RemoteUnknown Remote = ""
	RemoteYes     Remote = "remote"
	RemoteHybrid  Remote = "hybrid"
	RemoteNo      Remote = "onsite"
)

// Seniority is the level an opening is for.
type Seniority string

// Seniority levels, from the title or the board's own field.
const (
	SeniorityUnknown   Seniority = ""
	SeniorityIntern    Seniority = "intern"
	SeniorityJunior    Seniority = "junior"
	SeniorityMid       Seniority = "mid"
	SenioritySenior    Seniority = "senior"
	SeniorityStaff     Seniority = "staff"
	SeniorityPrincipal Seniority = "principal"
	SeniorityLead      Seniority = "lead" // lead and manager roles
)

// EmploymentType is the kind of contract.
type EmploymentType string

// Employment types.
const (
	TypeUnknown    EmploymentType = ""
	TypeFullTime   EmploymentType = "full-time"
	TypePartTime   EmploymentType = "part-time"
	TypeContract   EmploymentType = "contract"
	TypeInternship EmploymentType = "internship"
)

// Visa says whether an opening sponsors a work visa, from explicit text only.
type Visa string

// Visa values.
const (
	VisaUnknown Visa = ""
	VisaYes     Visa = "yes"
	VisaNo      Visa = "no"
)

// Period is what a salary amount is paid for.
type Period string

// Salary periods.
const (
	PerYear  Period = "year"
	PerMonth Period = "month"
	PerHour  Period = "hour"
)

// Salary is pay as the opening states it; absent when the opening states none. Min and Max
// are whole currency units (a range of one amount has Min == Max).
type Salary struct {
	Min, Max int64
	Currency string // ISO 4217, upper case: "USD", "EUR"
	Period   Period
}

// Yearly returns the salary's bounds per year (hours at 2,080 a year, months at 12), for
// comparing salaries stated per hour, month or year.
func (s Salary) Yearly() (lo, hi int64) {
	switch s.Period {
	case PerHour:
		return s.Min * 2080, s.Max * 2080
	case PerMonth:
		return s.Min * 12, s.Max * 12
	}
	return s.Min, s.Max
}

// MaxDescription is the longest description kept, in bytes: enough for skills and search, far
// less than some boards send.
const MaxDescription = 16 << 10

// Opening is one job opening, from any board.
type Opening struct {
	// ID is stable across fetches: the source's name and the board's own id ("remoteok:1234").
	ID             string
	Title          string
	Company        string
	Locations      []string
	Remote         Remote
	Seniority      Seniority
	EmploymentType EmploymentType
	Salary         *Salary // nil when the opening states none
	Visa           Visa
	URL            string    // http or https only; empty when the board gave no usable one
	Posted         time.Time // UTC; zero when unknown
	Closes         time.Time // UTC; zero when not given
	Description    string    // plain text, at most MaxDescription bytes
	Source         string    // the source's name, as the sources file names it
	FirstSeen      time.Time // UTC: the first successful fetch that listed it
	LastSeen       time.Time // UTC: the last successful fetch that listed it

	// Closed is when the opening was found gone from its board for good (see Poller); zero
	// while it is open. MissingSince and Misses count the successful fetches that no longer
	// listed it, so that one odd answer of a board closes nothing.
	Closed       time.Time
	MissingSince time.Time
	Misses       int
}

// Open says whether the opening is still listed by its board.
func (o *Opening) Open() bool { return o.Closed.IsZero() }

// MakeID is the id of an opening from source with the board's own id.
func MakeID(source, boardID string) string { return fmt.Sprintf("%s:%s", source, boardID) }
