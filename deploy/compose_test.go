package deploy_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/schema"
	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v3"
)

const composeFile = "docker-compose.yml"

// readCompose returns the compose file as a generic map, as the schema sees it.
func readCompose(t *testing.T) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(composeFile)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("%s: %v", composeFile, err)
	}
	return doc
}

// TestComposeSchema validates the compose file against the Compose specification's JSON schema,
// and shows that the validator refuses what it should.
func TestComposeSchema(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		mutate  func(doc map[string]any)
		wantErr bool
	}{
		{"as committed", func(map[string]any) {}, false},
		{"unknown service attribute", func(doc map[string]any) {
			service(doc, "careerbot")["read-only"] = true
		}, true},
		{"bad depends_on condition", func(doc map[string]any) {
			service(doc, "careerbot")["depends_on"] = map[string]any{"redis": map[string]any{"condition": "healthy"}}
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			doc := readCompose(t)
			tt.mutate(doc)
			if err := schema.Validate(doc); (err != nil) != tt.wantErr {
				t.Errorf("schema.Validate: %v, want error %v", err, tt.wantErr)
			}
		})
	}
}

func service(doc map[string]any, name string) map[string]any {
	return doc["services"].(map[string]any)[name].(map[string]any)
}

// TestComposeProject loads the compose file as `docker compose config` does (validation on,
// interpolation, normalisation) and checks the choices it makes. The operator's .env is not
// read: it is not committed, and its content changes nothing checked here.
func TestComposeProject(t *testing.T) {
	t.Parallel()
	dir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(composeFile)
	if err != nil {
		t.Fatal(err)
	}
	project, err := loader.LoadWithContext(context.Background(), types.ConfigDetails{
		WorkingDir:  dir,
		ConfigFiles: []types.ConfigFile{{Filename: filepath.Join(dir, composeFile), Content: raw}},
		Environment: types.Mapping{},
	}, func(o *loader.Options) { o.SkipResolveEnvironment = true })
	if err != nil {
		t.Fatalf("load %s: %v", composeFile, err)
	}
	bot, err := project.GetService("careerbot")
	if err != nil {
		t.Fatal(err)
	}
	redis, err := project.GetService("redis")
	if err != nil {
		t.Fatal(err)
	}
	env := func(s types.ServiceConfig, key string) string {
		if v := s.Environment[key]; v != nil {
			return *v
		}
		return ""
	}
	mountsVolume := func(s types.ServiceConfig, source, target string) bool {
		for _, v := range s.Volumes {
			if v.Type == types.VolumeTypeVolume && v.Source == source && v.Target == target {
				return true
			}
		}
		return false
	}
	_, namedVolume := project.Volumes["redis-data"]
	checks := []struct {
		name string
		ok   bool
	}{
		{"careerbot built from deploy/Dockerfile", bot.Build != nil && bot.Build.Dockerfile == "deploy/Dockerfile" &&
			bot.Build.Context == filepath.Dir(dir)},
		{"careerbot reads .env", len(bot.EnvFiles) == 1 && bot.EnvFiles[0].Path == filepath.Join(dir, ".env")},
		{"careerbot talks to the redis service", env(bot, "REDIS_URL") == "redis://redis:6379/0"},
		{"careerbot published on loopback only", len(bot.Ports) == 1 && bot.Ports[0].HostIP == "127.0.0.1" &&
			bot.Ports[0].Published == "8080" && bot.Ports[0].Target == 8080},
		{"careerbot read-only root", bot.ReadOnly},
		{"careerbot tmpfs /tmp", len(bot.Tmpfs) == 1 && strings.HasPrefix(bot.Tmpfs[0], "/tmp")},
		{"careerbot non-root", bot.User == "65532:65532"},
		{"careerbot drops capabilities", slices.Equal(bot.CapDrop, []string{"ALL"})},
		{"careerbot no-new-privileges", slices.Contains(bot.SecurityOpt, "no-new-privileges:true")},
		{"careerbot restarts", bot.Restart == types.RestartPolicyUnlessStopped},
		{"careerbot waits for a healthy redis", bot.DependsOn["redis"].Condition == types.ServiceConditionHealthy},
		{"careerbot checks its own health", bot.HealthCheck != nil &&
			slices.Equal(bot.HealthCheck.Test, types.HealthCheckTest{"CMD", "/careerbot", "healthcheck"})},
		{"redis appendonly", strings.Contains(strings.Join(redis.Command, " "), "--appendonly yes")},
		{"redis on the named volume", namedVolume && mountsVolume(redis, "redis-data", "/data")},
		{"redis health-checked", redis.HealthCheck != nil && slices.Contains(redis.HealthCheck.Test, "ping")},
		{"redis restarts", redis.Restart == types.RestartPolicyUnlessStopped},
		{"redis not published", len(redis.Ports) == 0},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s: not so in %s", c.name, composeFile)
		}
	}
}
