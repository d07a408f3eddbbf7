package jobs

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// The stored form of an opening, of a source's status, of a subscription and of a delivery: JSON with field names fixed here, so
// that the wire format does not follow a rename of a Go field, and one codec for every store, so
// that a record means the same in Redis and in the embedded file. Times are stored in UTC with
// nanoseconds; zero times and empty fields are left out.

type openingRecord struct {
	ID             string        `json:"id"`
	Title          string        `json:"title,omitempty"`
	Company        string        `json:"company,omitempty"`
	Locations      []string      `json:"locations,omitempty"`
	Remote         string        `json:"remote,omitempty"`
	Seniority      string        `json:"seniority,omitempty"`
	EmploymentType string        `json:"employment_type,omitempty"`
	Salary         *salaryRecord `json:"salary,omitempty"`
	Visa           string        `json:"visa,omitempty"`
	URL            string        `json:"url,omitempty"`
	Posted         time.Time     `json:"posted,omitzero"`
	Closes         time.Time     `json:"closes,omitzero"`
	Description    string        `json:"description,omitempty"`
	Source         string        `json:"source,omitempty"`
	FirstSeen      time.Time     `json:"first_seen,omitzero"`
	LastSeen       time.Time     `json:"last_seen,omitzero"`
	Closed         time.Time     `json:"closed,omitzero"`
	MissingSince   time.Time     `json:"missing_since,omitzero"`
	Misses         int           `json:"misses,omitempty"`
}

type salaryRecord struct {
	Min      int64  `json:"min"`
	Max      int64  `json:"max"`
	Currency string `json:"currency,omitempty"`
	Period   string `json:"period,omitempty"`
}

type sourceRecord struct {
	Name         string    `json:"name"`
	Type         string    `json:"type,omitempty"`
	EveryNS      int64     `json:"every_ns,omitempty"` // the poll interval in nanoseconds
	LastAttempt  time.Time `json:"last_attempt,omitzero"`
	LastSuccess  time.Time `json:"last_success,omitzero"`
	LastError    string    `json:"last_error,omitempty"`
	LastErrorAt  time.Time `json:"last_error_at,omitzero"`
	Failures     int       `json:"failures,omitempty"`
	Successes    int       `json:"successes,omitempty"`
	Listed       int       `json:"listed,omitempty"`
	Open         int       `json:"open,omitempty"`
	NextPoll     time.Time `json:"next_poll,omitzero"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
}

// subscriptionRecord keeps "id" first: jobs/redisstore gives the id inside a Lua script and
// writes it in front of the rest of the record MarshalSubscription made without one.
type subscriptionRecord struct {
	ID             int64     `json:"id,omitempty"`
	Workspace      string    `json:"workspace"`
	Channel        string    `json:"channel"`
	Query          string    `json:"query"`
	Creator        string    `json:"creator,omitempty"`
	CreatorName    string    `json:"creator_name,omitempty"`
	Created        time.Time `json:"created,omitzero"`
	Digest         bool      `json:"digest,omitempty"`
	Posts          int64     `json:"posts,omitempty"`
	Disabled       time.Time `json:"disabled,omitzero"`
	DisabledReason string    `json:"disabled_reason,omitempty"`
}

// deliveryRecord is a delivery as stored, its Receipt excepted: that names a copy, not the
// delivery.
type deliveryRecord struct {
	Workspace    string    `json:"workspace"`
	Channel      string    `json:"channel"`
	Key          string    `json:"key"`
	Subscription int64     `json:"subscription,omitempty"`
	Openings     []string  `json:"openings,omitempty"`
	Enqueued     time.Time `json:"enqueued,omitzero"`
	State        string    `json:"state,omitempty"`
	Attempts     int       `json:"attempts,omitempty"`
	ClaimedAt    time.Time `json:"claimed_at,omitzero"`
	Consumer     string    `json:"consumer,omitempty"`
	NotBefore    time.Time `json:"not_before,omitzero"`
	MessageID    string    `json:"message_id,omitempty"`
	LastError    string    `json:"last_error,omitempty"`
	Done         time.Time `json:"done,omitzero"`
}

var (
	errNoID    = errors.New("jobs: opening has no ID")
	errNoName  = errors.New("jobs: source status has no name")
	errNoSubID = errors.New("jobs: subscription has no ID")
)

// utc returns t in UTC, and the zero time for any zero time whatever its location.
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// MarshalOpening returns an opening's stored form. An opening with an empty ID is an error:
// a store could not find it again.
func MarshalOpening(o Opening) ([]byte, error) {
	if o.ID == "" {
		return nil, errNoID
	}
	r := openingRecord{
		ID: o.ID, Title: o.Title, Company: o.Company, Locations: o.Locations,
		Remote: string(o.Remote), Seniority: string(o.Seniority), EmploymentType: string(o.EmploymentType),
		Visa: string(o.Visa), URL: o.URL, Posted: utc(o.Posted), Closes: utc(o.Closes),
		Description: o.Description, Source: o.Source, FirstSeen: utc(o.FirstSeen), LastSeen: utc(o.LastSeen),
		Closed: utc(o.Closed), MissingSince: utc(o.MissingSince), Misses: o.Misses,
	}
	if s := o.Salary; s != nil {
		r.Salary = &salaryRecord{Min: s.Min, Max: s.Max, Currency: s.Currency, Period: string(s.Period)}
	}
	return json.Marshal(r)
}

// MarshalOpenings returns the stored forms of a batch, or the first error: a store encodes the
// whole batch before it writes any of it.
func MarshalOpenings(openings []Opening) ([][]byte, error) {
	records := make([][]byte, len(openings))
	for i, o := range openings {
		data, err := MarshalOpening(o)
		if err != nil {
			return nil, fmt.Errorf("opening %d of %d: %w", i+1, len(openings), err)
		}
		records[i] = data
	}
	return records, nil
}

// UnmarshalOpening decodes what MarshalOpening returned. Its times are in UTC; empty
// Locations are nil.
func UnmarshalOpening(data []byte) (Opening, error) {
	var r openingRecord
	if err := json.Unmarshal(data, &r); err != nil {
		return Opening{}, fmt.Errorf("jobs: decode opening: %w", err)
	}
	if r.ID == "" {
		return Opening{}, fmt.Errorf("jobs: decode opening: %w", errNoID)
	}
	o := Opening{
		ID: r.ID, Title: r.Title, Company: r.Company, Locations: r.Locations,
		Remote: Remote(r.Remote), Seniority: Seniority(r.Seniority), EmploymentType: EmploymentType(r.EmploymentType),
		Visa: Visa(r.Visa), URL: r.URL, Posted: utc(r.Posted), Closes: utc(r.Closes),
		Description: r.Description, Source: r.Source, FirstSeen: utc(r.FirstSeen), LastSeen: utc(r.LastSeen),
		Closed: utc(r.Closed), MissingSince: utc(r.MissingSince), Misses: r.Misses,
	}
	if s := r.Salary; s != nil {
		o.Salary = &Salary{Min: s.Min, Max: s.Max, Currency: s.Currency, Period: Period(s.Period)}
	}
	return o, nil
}

// MarshalSource returns a source status's stored form. A status with an empty name is an
// error.
func MarshalSource(s SourceStatus) ([]byte, error) {
	if s.Name == "" {
		return nil, errNoName
	}
	return json.Marshal(sourceRecord{
		Name: s.Name, Type: s.Type, EveryNS: int64(s.Every),
		LastAttempt: utc(s.LastAttempt), LastSuccess: utc(s.LastSuccess),
		LastError: s.LastError, LastErrorAt: utc(s.LastErrorAt),
		Failures: s.Failures, Successes: s.Successes, Listed: s.Listed, Open: s.Open,
		NextPoll: utc(s.NextPoll), ETag: s.ETag, LastModified: s.LastModified,
	})
}

// UnmarshalSource decodes what MarshalSource returned. Its times are in UTC.
func UnmarshalSource(data []byte) (SourceStatus, error) {
	var r sourceRecord
	if err := json.Unmarshal(data, &r); err != nil {
		return SourceStatus{}, fmt.Errorf("jobs: decode source status: %w", err)
	}
	if r.Name == "" {
		return SourceStatus{}, fmt.Errorf("jobs: decode source status: %w", errNoName)
	}
	return SourceStatus{
		Name: r.Name, Type: r.Type, Every: time.Duration(r.EveryNS),
		LastAttempt: utc(r.LastAttempt), LastSuccess: utc(r.LastSuccess),
		LastError: r.LastError, LastErrorAt: utc(r.LastErrorAt),
		Failures: r.Failures, Successes: r.Successes, Listed: r.Listed, Open: r.Open,
		NextPoll: utc(r.NextPoll), ETag: r.ETag, LastModified: r.LastModified,
	}, nil
}

// MarshalSubscription returns a subscription's stored form. One without a workspace, a
// channel or a query is an error (CheckNew); one without an ID is not, so that a store that
// gives the ID while it writes can encode the rest first.
func MarshalSubscription(s Subscription) ([]byte, error) {
	if err := CheckNew(s); err != nil {
		return nil, err
	}
	return json.Marshal(subscriptionRecord{
		ID: s.ID, Workspace: s.Workspace, Channel: s.Channel, Query: s.Query,
		Creator: s.Creator, CreatorName: s.CreatorName, Created: utc(s.Created), Digest: s.Digest, Posts: s.Posts,
		Disabled: utc(s.Disabled), DisabledReason: s.DisabledReason,
	})
}

// UnmarshalSubscription decodes what MarshalSubscription returned for a stored subscription,
// which has an ID. Its times are in UTC.
func UnmarshalSubscription(data []byte) (Subscription, error) {
	var r subscriptionRecord
	if err := json.Unmarshal(data, &r); err != nil {
		return Subscription{}, fmt.Errorf("jobs: decode subscription: %w", err)
	}
	s := Subscription{
		ID: r.ID, Workspace: r.Workspace, Channel: r.Channel, Query: r.Query,
		Creator: r.Creator, CreatorName: r.CreatorName, Created: utc(r.Created), Digest: r.Digest, Posts: r.Posts,
		Disabled: utc(r.Disabled), DisabledReason: r.DisabledReason,
	}
	err := CheckNew(s)
	if err == nil && s.ID <= 0 {
		err = errNoSubID
	}
	if err != nil {
		return Subscription{}, fmt.Errorf("jobs: decode subscription: %w", err)
	}
	return s, nil
}

// MarshalDelivery returns a delivery's stored form, without its Receipt. One that
// CheckDelivery refuses is an error.
func MarshalDelivery(d Delivery) ([]byte, error) {
	if err := CheckDelivery(d); err != nil {
		return nil, err
	}
	return json.Marshal(deliveryRecord{
		Workspace: d.Workspace, Channel: d.Channel, Key: d.Key, Subscription: d.Subscription, Openings: d.Openings,
		Enqueued: utc(d.Enqueued), State: string(d.State), Attempts: d.Attempts, ClaimedAt: utc(d.ClaimedAt),
		Consumer: d.Consumer, NotBefore: utc(d.NotBefore), MessageID: d.MessageID, LastError: d.LastError, Done: utc(d.Done),
	})
}

// UnmarshalDelivery decodes what MarshalDelivery returned. Its times are in UTC; empty
// Openings are nil.
func UnmarshalDelivery(data []byte) (Delivery, error) {
	var r deliveryRecord
	if err := json.Unmarshal(data, &r); err != nil {
		return Delivery{}, fmt.Errorf("jobs: decode delivery: %w", err)
	}
	d := Delivery{
		Workspace: r.Workspace, Channel: r.Channel, Key: r.Key, Subscription: r.Subscription, Openings: r.Openings,
		Enqueued: utc(r.Enqueued), State: DeliveryState(r.State), Attempts: r.Attempts, ClaimedAt: utc(r.ClaimedAt),
		Consumer: r.Consumer, NotBefore: utc(r.NotBefore), MessageID: r.MessageID, LastError: r.LastError, Done: utc(r.Done),
	}
	if err := CheckDelivery(d); err != nil {
		return Delivery{}, fmt.Errorf("jobs: decode delivery: %w", err)
	}
	return d, nil
}
