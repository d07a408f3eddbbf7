package knowledge

import (
	"fmt"
	"testing"
)

// benchBase returns a base of n topics: the built-in ones plus synthetic copies with their own
// ids, titles and aliases and the same bodies, so the vocabulary and document lengths are real.
// With n 0 it is the built-in base alone.
func benchBase(b *testing.B, n int) *Base {
	b.Helper()
	kb := builtin(b)
	real := kb.Topics()
	if n == 0 {
		return kb
	}
	topics := make([]Topic, 0, n)
	for _, t := range real {
		topics = append(topics, *t)
	}
	for i := 0; len(topics) < n; i++ {
		src := *real[i%len(real)]
		src.ID = fmt.Sprintf("%s-copy-%d", src.ID, i)
		src.Title = fmt.Sprintf("%s, variant %d", src.Title, i)
		src.Aliases = []string{fmt.Sprintf("variant %d", i)}
		topics = append(topics, src)
	}
	return New(topics)
}

func BenchmarkResolve(b *testing.B) {
	for _, size := range []int{0, 500} {
		kb := benchBase(b, size)
		if size == 0 {
			size = kb.Len()
		}
		for _, bc := range []struct{ name, query string }{
			{"id", "raft"},
			{"alias", "k8s"},
			{"normalized", "the Vector-Clocks"},
			{"typo", "kuberentes"},
			{"fulltext", "how does raft elect a leader"},
			{"fulltext-unnamed", "why do sticky sessions cause uneven load"},
			{"weak", "graph databases"},
			{"nomatch", "banana smoothie recipe"},
		} {
			b.Run(fmt.Sprintf("topics=%d/%s", size, bc.name), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r := kb.Resolve(bc.query); r.Topic == nil && bc.name != "nomatch" && bc.name != "weak" {
						b.Fatalf("%q resolved to nothing", bc.query)
					}
				}
			})
		}
	}
}

func BenchmarkSuggest(b *testing.B) {
	kb := benchBase(b, 0)
	b.ReportAllocs()
	for b.Loop() {
		kb.Suggest("consis", 25)
	}
}

func BenchmarkLoadBuiltin(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Builtin(); err != nil {
			b.Fatal(err)
		}
	}
}
