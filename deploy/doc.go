// Package deploy holds no code: its directory carries careerbot's deployment files (the
// Dockerfile, docker-compose.yml, the Kubernetes kustomize base and overlays, the Slack app
// manifest), and its tests check them: the overlays build with kustomize and decode strictly
// into the Kubernetes API types, and the Compose file passes the Compose specification's schema.
// The modules those tests use (kustomize, k8s.io/api, compose-go) are imported by tests only,
// so no binary links them.
package deploy
