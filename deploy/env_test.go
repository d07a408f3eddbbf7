package deploy_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// envName is what an environment variable's name looks like.
var envName = regexp.MustCompile(`^[A-Z][A-Z0-9_]+$`)

// readByProgram derives the variables careerbot reads from its code: every string literal
// passed to a getenv-like call (getenv, os.Getenv, os.LookupEnv) in the non-test files of the
// packages the binary links.
func readByProgram(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", `{{if not .Standard}}{{.Dir}}{{range .GoFiles}} {{.}}{{end}}{{end}}`, "../cmd/careerbot").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := map[string]bool{}
	fset := token.NewFileSet()
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 || !strings.Contains(fields[0], string(filepath.Separator)+"careerbot") {
			continue
		}
		for _, name := range fields[1:] {
			f, err := parser.ParseFile(fset, filepath.Join(fields[0], name), nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || len(call.Args) != 1 {
					return true
				}
				var fn string
				switch f := call.Fun.(type) {
				case *ast.Ident:
					fn = f.Name
				case *ast.SelectorExpr:
					fn = f.Sel.Name
				}
				if fn != "getenv" && fn != "Getenv" && fn != "LookupEnv" {
					return true
				}
				if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if v, err := strconv.Unquote(lit.Value); err == nil && envName.MatchString(v) {
						seen[v] = true
					}
				}
				return true
			})
		}
	}
	var names []string
	for n := range seen {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// TestEnvExample: deploy/.env.example names every variable the program reads, and none it
// does not; no value in it is a real secret.
func TestEnvExample(t *testing.T) {
	code := readByProgram(t)
	if len(code) < 20 {
		t.Fatalf("found only %v in the code", code)
	}
	b, err := os.ReadFile(".env.example")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimPrefix(strings.TrimSpace(line), "#")
		if k, v, ok := strings.Cut(line, "="); ok && envName.MatchString(k) {
			listed[k] = v
		}
	}
	for _, name := range code {
		if _, ok := listed[name]; !ok {
			t.Errorf("the program reads %s, which .env.example does not list", name)
		}
	}
	for name, v := range listed {
		if !slices.Contains(code, name) {
			t.Errorf(".env.example lists %s, which the program never reads", name)
		}
		secret := strings.Contains(name, "TOKEN") || strings.Contains(name, "SECRET") || strings.HasSuffix(name, "_KEY")
		if secret && v != "" && !strings.Contains(v, "REPLACE-ME") {
			t.Errorf("%s has a value that is not a placeholder", name)
		}
	}
}
