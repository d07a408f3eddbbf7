// Package kv is a small key-value store with expiry, on Redis or on the embedded bbolt file: what
// platform adapters need to remember across requests and replicas (Slack installations,
// processed event ids, used OAuth states). Domain data lives in the domain packages' own stores;
// this is for adapters' bookkeeping.
//
// Keys are chosen by the caller and must follow the project's layout,
// careerbot:{platform:workspace}:..., so that Redis Cluster keeps a workspace on one slot.
package kv

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned by Get for a key that does not exist or has expired.
var ErrNotFound = errors.New("kv: not found")

// Store is the contract both backends implement. A ttl of zero means the key never expires.
type Store interface {
	// Get returns the value of key, or ErrNotFound.
	Get(ctx context.Context, key string) ([]byte, error)
	// Set stores value under key, replacing any value.
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
	// SetNX stores value under key only if the key does not exist (or has expired), and reports
	// whether it did: the primitive for "first time" checks across replicas.
	SetNX(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error)
	// Delete removes key; removing a missing key is not an error.
	Delete(ctx context.Context, key string) error
}
