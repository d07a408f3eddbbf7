package knowledge_test

import (
	"testing"

	"github.com/careerbot/careerbot/knowledge"
	"github.com/careerbot/careerbot/knowledge/storetest"
)

func TestMemoryQuizStore(t *testing.T) {
	storetest.RunQuiz(t, func(t *testing.T) knowledge.QuizStore { return knowledge.NewMemoryQuizStore() })
}
