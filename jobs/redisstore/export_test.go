package redisstore

import "github.com/redis/go-redis/v9"

// NewWithPrefix returns a store whose keys start with prefix instead of "careerbot:", so that
// the tests of one Redis keep apart.
func NewWithPrefix(rdb redis.UniversalClient, prefix string) *Store { return newStore(rdb, prefix) }
