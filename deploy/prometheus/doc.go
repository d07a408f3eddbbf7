// Package prometheus holds careerbot's example Prometheus alerting rules (alerts.yml) and the
// test that keeps them loadable and true to the metrics careerbot exports. It has no code of
// its own: the rules are read by Prometheus, not by careerbot.
package prometheus
