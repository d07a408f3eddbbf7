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

// TestContractOnCluster runs the same contract on a three-node Redis Cluster: every key of a
// workspace shares its hash tag, so the Lua scripts' keys live on one slot.
func TestContractOnCluster(t *testing.T) {
	rdb := redistest.StartCluster(t).Client(t)
	storetest.Run(t, func(*testing.T) knowledge.MaterialStore { return redisstore.New(rdb) })
}

func TestQuizContract(t *testing.T) {
	rdb := redistest.Client(t)
	storetest.RunQuiz(t, func(*testing.T) knowledge.QuizStore { return redisstore.New(rdb) })
}

func TestQuizContractOnCluster(t *testing.T) {
	rdb := redistest.StartCluster(t).Client(t)
	storetest.RunQuiz(t, func(*testing.T) knowledge.QuizStore { return redisstore.New(rdb) })
}
