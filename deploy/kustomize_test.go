package deploy_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/careerbot/careerbot/jobs/source"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// placeholder is the mark every value of a committed Secret carries.
const placeholder = "REPLACE-ME"

// manifests is what one `kustomize build` yields, each object decoded into its API type.
type manifests struct {
	deployments     []appsv1.Deployment
	statefulSets    []appsv1.StatefulSet
	services        []corev1.Service
	configMaps      []corev1.ConfigMap
	secrets         []corev1.Secret
	serviceAccounts []corev1.ServiceAccount
	pdbs            []policyv1.PodDisruptionBudget
}

// build runs kustomize on dir as `kustomize build dir` does and decodes every object strictly:
// a field the Kubernetes API does not know (a typo, a wrong indentation) fails the test, as the
// API server would refuse it on apply.
func build(t *testing.T, dir string) manifests {
	t.Helper()
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	var m manifests
	for _, r := range resources.Resources() {
		raw, err := r.MarshalJSON()
		if err != nil {
			t.Fatalf("%s %s: %v", r.GetKind(), r.GetName(), err)
		}
		if err := m.add(r.GetKind(), raw); err != nil {
			t.Errorf("%s %s does not decode strictly: %v", r.GetKind(), r.GetName(), err)
		}
	}
	return m
}

// add decodes raw into the API type of kind and keeps it.
func (m *manifests) add(kind string, raw []byte) error {
	switch kind {
	case "Deployment":
		return decodeInto(raw, &m.deployments)
	case "StatefulSet":
		return decodeInto(raw, &m.statefulSets)
	case "Service":
		return decodeInto(raw, &m.services)
	case "ConfigMap":
		return decodeInto(raw, &m.configMaps)
	case "Secret":
		return decodeInto(raw, &m.secrets)
	case "ServiceAccount":
		return decodeInto(raw, &m.serviceAccounts)
	case "PodDisruptionBudget":
		return decodeInto(raw, &m.pdbs)
	}
	return fmt.Errorf("kind %s is not expected here; teach the test its API type", kind)
}

// decodeInto decodes one JSON object, refusing unknown fields, and appends it to list.
func decodeInto[T any](raw []byte, list *[]T) error {
	var v T
	if err := decodeStrict(raw, &v); err != nil {
		return err
	}
	*list = append(*list, v)
	return nil
}

func decodeStrict(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("data after the object")
	}
	return nil
}

// one returns the only object of list named name.
func one[T any](t *testing.T, list []T, name string, nameOf func(T) string) T {
	t.Helper()
	var found []T
	for _, v := range list {
		if nameOf(v) == name {
			found = append(found, v)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d objects named %s, want 1", len(found), name)
	}
	return found[0]
}

func (m manifests) deployment(t *testing.T) appsv1.Deployment {
	t.Helper()
	return one(t, m.deployments, "careerbot", func(d appsv1.Deployment) string { return d.Name })
}

func (m manifests) secret(t *testing.T) corev1.Secret {
	t.Helper()
	return one(t, m.secrets, "careerbot-secrets", func(s corev1.Secret) string { return s.Name })
}

// settings returns the ConfigMap the careerbot container reads through envFrom; its name
// carries the generator's hash, so it is found through the Deployment.
func (m manifests) settings(t *testing.T) corev1.ConfigMap {
	t.Helper()
	for _, from := range container(t, m.deployment(t)).EnvFrom {
		if from.ConfigMapRef != nil {
			return one(t, m.configMaps, from.ConfigMapRef.Name, func(c corev1.ConfigMap) string { return c.Name })
		}
	}
	t.Fatal("the careerbot container reads no ConfigMap through envFrom")
	return corev1.ConfigMap{}
}

func container(t *testing.T, d appsv1.Deployment) corev1.Container {
	t.Helper()
	for _, c := range d.Spec.Template.Spec.Containers {
		if c.Name == "careerbot" {
			return c
		}
	}
	t.Fatalf("deployment %s has no container careerbot", d.Name)
	return corev1.Container{}
}

func TestKustomizeOverlays(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		dir      string
		replicas int32
		check    func(t *testing.T, m manifests)
	}{
		{
			name:     "dev",
			dir:      "kubernetes/overlays/dev",
			replicas: 1,
			check: func(t *testing.T, m manifests) {
				redis := one(t, m.statefulSets, "redis", func(s appsv1.StatefulSet) string { return s.Name })
				if len(redis.Spec.VolumeClaimTemplates) != 1 {
					t.Errorf("redis has %d volumeClaimTemplates, want 1", len(redis.Spec.VolumeClaimTemplates))
				}
				svc := one(t, m.services, "redis", func(s corev1.Service) string { return s.Name })
				if svc.Spec.ClusterIP != corev1.ClusterIPNone || redis.Spec.ServiceName != svc.Name {
					t.Errorf("redis Service: clusterIP %q, StatefulSet serviceName %q; want a headless governing Service",
						svc.Spec.ClusterIP, redis.Spec.ServiceName)
				}
				rc := redis.Spec.Template.Spec.Containers[0]
				if !strings.Contains(strings.Join(rc.Args, " "), "--appendonly yes") {
					t.Errorf("redis args %q do not turn on the append-only file", rc.Args)
				}
				if rc.LivenessProbe == nil || rc.ReadinessProbe == nil || rc.LivenessProbe.Exec == nil {
					t.Error("redis lacks its exec liveness and readiness probes")
				}
				if ctx := redis.Spec.Template.Spec.SecurityContext; ctx == nil || ctx.RunAsUser == nil || *ctx.RunAsUser != 999 {
					t.Error("redis does not run as its own user 999")
				}
				if got := m.settings(t).Data["REDIS_URL"]; got != "redis://redis:6379/0" {
					t.Errorf("dev REDIS_URL = %q, want the in-cluster redis", got)
				}
				if _, ok := m.secret(t).StringData["REDIS_URL"]; ok {
					t.Error("dev's Secret still sets REDIS_URL; it would override the in-cluster one")
				}
			},
		},
		{
			name:     "prod",
			dir:      "kubernetes/overlays/prod",
			replicas: 3,
			check: func(t *testing.T, m manifests) {
				if len(m.statefulSets) != 0 {
					t.Errorf("prod runs %d StatefulSets, want none: its Redis is external", len(m.statefulSets))
				}
				if _, ok := m.settings(t).Data["REDIS_URL"]; ok {
					t.Error("prod's ConfigMap sets REDIS_URL; it belongs in the Secret")
				}
				if _, ok := m.secret(t).StringData["REDIS_URL"]; !ok {
					t.Error("prod's Secret does not carry REDIS_URL")
				}
				c := container(t, m.deployment(t))
				if strings.HasSuffix(c.Image, ":latest") || !strings.Contains(c.Image, ":") {
					t.Errorf("prod image %q is not pinned to a tag", c.Image)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := build(t, tt.dir)
			d := m.deployment(t)
			if d.Spec.Replicas == nil || *d.Spec.Replicas != tt.replicas {
				t.Errorf("replicas = %v, want %d", d.Spec.Replicas, tt.replicas)
			}
			checkDeployment(t, d)
			checkReferences(t, m, d)
			checkService(t, m)
			checkSecrets(t, m)
			checkCommon(t, m)
			tt.check(t, m)
		})
	}
}

// checkDeployment asserts what every environment's careerbot pod must have.
func checkDeployment(t *testing.T, d appsv1.Deployment) {
	t.Helper()
	pod := d.Spec.Template.Spec
	c := container(t, d)
	probes := []struct {
		name  string
		probe *corev1.Probe
		path  string
	}{
		{"liveness", c.LivenessProbe, "/healthz"},
		{"readiness", c.ReadinessProbe, "/readyz"},
		{"startup", c.StartupProbe, "/healthz"},
	}
	for _, p := range probes {
		if p.probe == nil || p.probe.HTTPGet == nil {
			t.Errorf("%s probe: missing or not an HTTP GET", p.name)
			continue
		}
		if p.probe.HTTPGet.Path != p.path || p.probe.HTTPGet.Port.String() != "http" {
			t.Errorf("%s probe: GET %s on port %s, want %s on http", p.name, p.probe.HTTPGet.Path, p.probe.HTTPGet.Port.String(), p.path)
		}
	}
	if s := c.StartupProbe; s != nil {
		if budget := s.PeriodSeconds * s.FailureThreshold; budget < 50 || budget > 120 {
			t.Errorf("startup probe allows %d s, want about 60", budget)
		}
	}

	ps := pod.SecurityContext
	cs := c.SecurityContext
	flags := []struct {
		name string
		ok   bool
	}{
		{"pod runAsNonRoot", ps != nil && ps.RunAsNonRoot != nil && *ps.RunAsNonRoot},
		{"pod runAsUser 65532", ps != nil && ps.RunAsUser != nil && *ps.RunAsUser == 65532},
		{"pod seccomp RuntimeDefault", ps != nil && ps.SeccompProfile != nil && ps.SeccompProfile.Type == corev1.SeccompProfileTypeRuntimeDefault},
		{"readOnlyRootFilesystem", cs != nil && cs.ReadOnlyRootFilesystem != nil && *cs.ReadOnlyRootFilesystem},
		{"allowPrivilegeEscalation false", cs != nil && cs.AllowPrivilegeEscalation != nil && !*cs.AllowPrivilegeEscalation},
		{"capabilities drop ALL", cs != nil && cs.Capabilities != nil && len(cs.Capabilities.Drop) == 1 && cs.Capabilities.Drop[0] == "ALL"},
		{"no service account token", pod.AutomountServiceAccountToken != nil && !*pod.AutomountServiceAccountToken},
		{"cpu and memory requested", !c.Resources.Requests.Cpu().IsZero() && !c.Resources.Requests.Memory().IsZero()},
		{"memory limited", !c.Resources.Limits.Memory().IsZero()},
		{"grace period 30 s", pod.TerminationGracePeriodSeconds != nil && *pod.TerminationGracePeriodSeconds == 30},
	}
	for _, f := range flags {
		if !f.ok {
			t.Errorf("deployment lacks %s", f.name)
		}
	}

	keys := map[string]bool{}
	for _, c := range pod.TopologySpreadConstraints {
		keys[c.TopologyKey] = true
	}
	for _, key := range []string{"topology.kubernetes.io/zone", "kubernetes.io/hostname"} {
		if !keys[key] {
			t.Errorf("no topology spread across %s", key)
		}
	}
}

// checkReferences asserts that every ConfigMap, Secret and ServiceAccount the pod names is in the
// build (a generated name's hash must have been carried into the Deployment), and that
// CAREERBOT_SOURCES names the file the sources ConfigMap is mounted as, a file careerbot parses.
func checkReferences(t *testing.T, m manifests, d appsv1.Deployment) {
	t.Helper()
	has := func(kind, name string) bool {
		switch kind {
		case "ConfigMap":
			for _, c := range m.configMaps {
				if c.Name == name {
					return true
				}
			}
		case "Secret":
			for _, s := range m.secrets {
				if s.Name == name {
					return true
				}
			}
		case "ServiceAccount":
			for _, s := range m.serviceAccounts {
				if s.Name == name {
					return true
				}
			}
		}
		return false
	}
	pod := d.Spec.Template.Spec
	if !has("ServiceAccount", pod.ServiceAccountName) {
		t.Errorf("service account %q is not in the build", pod.ServiceAccountName)
	}
	c := container(t, d)
	for _, from := range c.EnvFrom {
		switch {
		case from.ConfigMapRef != nil && !has("ConfigMap", from.ConfigMapRef.Name):
			t.Errorf("envFrom ConfigMap %q is not in the build", from.ConfigMapRef.Name)
		case from.SecretRef != nil && !has("Secret", from.SecretRef.Name):
			t.Errorf("envFrom Secret %q is not in the build", from.SecretRef.Name)
		}
	}
	mounts := map[string]string{}
	for _, vm := range c.VolumeMounts {
		mounts[vm.Name] = vm.MountPath
	}
	sources := m.settings(t).Data["CAREERBOT_SOURCES"]
	found := false
	for _, v := range pod.Volumes {
		if v.ConfigMap == nil {
			continue
		}
		if !has("ConfigMap", v.ConfigMap.Name) {
			t.Errorf("volume %s: ConfigMap %q is not in the build", v.Name, v.ConfigMap.Name)
		}
		cm := one(t, m.configMaps, v.ConfigMap.Name, func(c corev1.ConfigMap) string { return c.Name })
		for _, item := range v.ConfigMap.Items {
			if mounts[v.Name]+"/"+item.Path != sources {
				continue
			}
			found = true
			// careerbot refuses to start on a sources file it cannot read; so does the test.
			if _, err := source.Parse(strings.NewReader(cm.Data[item.Key])); err != nil {
				t.Errorf("the sources file in ConfigMap %s: %v", cm.Name, err)
			}
		}
	}
	if !found {
		t.Errorf("CAREERBOT_SOURCES=%q is no file mounted from a ConfigMap", sources)
	}
	if mounts["tmp"] != "/tmp" {
		t.Error("no writable /tmp beside the read-only root filesystem")
	}
}

// checkService asserts the Service offers the http port and the metrics port a ServiceMonitor
// selects, both reaching the container's http port.
func checkService(t *testing.T, m manifests) {
	t.Helper()
	svc := one(t, m.services, "careerbot", func(s corev1.Service) string { return s.Name })
	if svc.Spec.Type != corev1.ServiceTypeClusterIP {
		t.Errorf("service type %q, want ClusterIP", svc.Spec.Type)
	}
	ports := map[string]string{}
	for _, p := range svc.Spec.Ports {
		ports[p.Name] = p.TargetPort.String()
	}
	for _, name := range []string{"http", "metrics"} {
		if ports[name] != "http" {
			t.Errorf("service port %s targets %q, want the container's http port", name, ports[name])
		}
	}
}

// checkSecrets asserts no committed Secret holds anything but placeholders.
func checkSecrets(t *testing.T, m manifests) {
	t.Helper()
	for _, s := range m.secrets {
		for k, v := range s.StringData {
			if !strings.Contains(v, placeholder) {
				t.Errorf("Secret %s: %s holds a value, not a %s placeholder", s.Name, k, placeholder)
			}
		}
		for k, v := range s.Data {
			if !strings.Contains(string(v), placeholder) {
				t.Errorf("Secret %s: %s holds a value, not a %s placeholder", s.Name, k, placeholder)
			}
		}
	}
	if len(m.secret(t).StringData) == 0 {
		t.Error("the Secret template is empty")
	}
}

// checkCommon asserts the ServiceAccount and the PodDisruptionBudget.
func checkCommon(t *testing.T, m manifests) {
	t.Helper()
	sa := one(t, m.serviceAccounts, "careerbot", func(s corev1.ServiceAccount) string { return s.Name })
	if sa.AutomountServiceAccountToken == nil || *sa.AutomountServiceAccountToken {
		t.Error("ServiceAccount careerbot mounts an API token")
	}
	pdb := one(t, m.pdbs, "careerbot", func(p policyv1.PodDisruptionBudget) string { return p.Name })
	if pdb.Spec.MaxUnavailable == nil || pdb.Spec.MaxUnavailable.IntValue() != 1 {
		t.Errorf("PodDisruptionBudget maxUnavailable = %v, want 1", pdb.Spec.MaxUnavailable)
	}
}

// TestDecodeStrictRefusesUnknownFields shows the decoding above would catch a misspelt field.
func TestDecodeStrictRefusesUnknownFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		kind    string
		raw     string
		wantErr bool
	}{
		{"known fields", "Deployment", `{"apiVersion":"apps/v1","kind":"Deployment","spec":{"replicas":1}}`, false},
		{"misspelt field", "Deployment", `{"apiVersion":"apps/v1","kind":"Deployment","spec":{"replica":1}}`, true},
		{"field at the wrong level", "Service", `{"apiVersion":"v1","kind":"Service","ports":[]}`, true},
		{"unexpected kind", "Ingress", `{"apiVersion":"networking.k8s.io/v1","kind":"Ingress"}`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var m manifests
			if err := m.add(tt.kind, []byte(tt.raw)); (err != nil) != tt.wantErr {
				t.Errorf("add(%s) error = %v, want error %v", tt.raw, err, tt.wantErr)
			}
		})
	}
}
