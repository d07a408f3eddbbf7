package redisstore_test

import (
	"testing"

	"github.com/careerbot/careerbot/internal/redistest"
	"github.com/careerbot/careerbot/knowledge"
	"github.com/careerbot/careerbot/knowledge/redisstore"
	"github.com/careerbot/careerbot/knowledge/storetest"
)

func TestContract(t *testing.T) {
	rdb := redistest.Client(t)
	storetest.Run(t, func(*testing.T) knowledge.MaterialStore { return redisstore.New(rdb) })
}
