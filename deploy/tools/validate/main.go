// Command validate checks Körpü's deployment files offline, with the real libraries of the tools that read them:
//
//	validate manifests FILE   Kubernetes manifests (multi-document YAML, e.g. `helm template` output) decoded strictly
//	                          into the API types of k8s.io/api (client-go's scheme) and Prometheus Operator's
//	                          monitoring/v1: an unknown kind or apiVersion, an unknown or misspelt field, or a value of
//	                          the wrong type is an error. Prints a JSON summary of each object (kind, name, and for
//	                          Deployments what the tests check: probes, resources, security context, volumes).
//	validate compose FILE     a compose file loaded and validated by compose-go (the compose specification's own
//	                          loader and JSON schema, as `docker compose config` uses it), interpolation from the
//	                          environment disabled for unset variables; prints a JSON summary of the services.
//
// Nothing is fetched: no schema download, no cluster, no container engine.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/compose-spec/compose-go/v2/cli"
	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apimeta "k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes/scheme"
)

type container struct {
	Name            string   `json:"name"`
	Image           string   `json:"image"`
	Liveness        string   `json:"liveness,omitempty"`
	Readiness       string   `json:"readiness,omitempty"`
	HasRequests     bool     `json:"hasRequests"`
	HasLimits       bool     `json:"hasLimits"`
	RunAsNonRoot    bool     `json:"runAsNonRoot"`
	ReadOnlyRootFS  bool     `json:"readOnlyRootFilesystem"`
	SecretEnvCount  int      `json:"secretEnv"`
	PlainSecretEnvs []string `json:"plainSecretLikeEnv,omitempty"`
}

type object struct {
	Kind       string      `json:"kind"`
	APIVersion string      `json:"apiVersion"`
	Name       string      `json:"name"`
	Containers []container `json:"containers,omitempty"`
	Volumes    []string    `json:"volumes,omitempty"`
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: validate manifests|compose FILE")
		os.Exit(2)
	}
	var (
		summary any
		err     error
	)
	switch os.Args[1] {
	case "manifests":
		summary, err = manifests(os.Args[2])
	case "compose":
		summary, err = compose(os.Args[2])
	default:
		err = fmt.Errorf("unknown check %q (manifests or compose)", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "invalid:", err)
		os.Exit(1)
	}
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetEscapeHTML(false)
	encoder.SetIndent("", "  ")
	_ = encoder.Encode(summary)
}

func manifests(file string) ([]object, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	types := runtime.NewScheme()
	if err := scheme.AddToScheme(types); err != nil {
		return nil, err
	}
	if err := monitoringv1.AddToScheme(types); err != nil {
		return nil, err
	}
	decoder := serializer.NewCodecFactory(types, serializer.EnableStrict).UniversalDeserializer()
	reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var objects []object
	var problems []error
	for index := 1; ; index++ {
		doc, err := reader.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(bytes.TrimSpace(stripComments(doc))) == 0 {
			continue
		}
		obj, gvk, err := decoder.Decode(doc, nil, nil)
		if err != nil {
			problems = append(problems, fmt.Errorf("document %d: %w", index, err))
			continue
		}
		summary := object{Kind: gvk.Kind, APIVersion: gvk.GroupVersion().String()}
		if named, err := apimeta.Accessor(obj); err == nil {
			summary.Name = named.GetName()
		}
		if summary.Name == "" {
			problems = append(problems, fmt.Errorf("document %d (%s): no metadata.name", index, gvk.Kind))
		}
		if deployment, ok := obj.(*appsv1.Deployment); ok {
			summary.Containers, summary.Volumes = describePod(deployment.Spec.Template.Spec)
			if deployment.Spec.Selector == nil || len(deployment.Spec.Selector.MatchLabels) == 0 {
				problems = append(problems, fmt.Errorf("Deployment %s: no selector", summary.Name))
			}
		}
		objects = append(objects, summary)
	}
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	return objects, nil
}

func describePod(pod corev1.PodSpec) ([]container, []string) {
	var volumes []string
	for _, volume := range pod.Volumes {
		volumes = append(volumes, volume.Name)
	}
	podNonRoot := pod.SecurityContext != nil && pod.SecurityContext.RunAsNonRoot != nil && *pod.SecurityContext.RunAsNonRoot
	var containers []container
	for _, c := range pod.Containers {
		summary := container{
			Name:        c.Name,
			Image:       c.Image,
			Liveness:    probePath(c.LivenessProbe),
			Readiness:   probePath(c.ReadinessProbe),
			HasRequests: len(c.Resources.Requests) > 0,
			HasLimits:   len(c.Resources.Limits) > 0,
		}
		summary.RunAsNonRoot = podNonRoot || (c.SecurityContext != nil && c.SecurityContext.RunAsNonRoot != nil && *c.SecurityContext.RunAsNonRoot)
		summary.ReadOnlyRootFS = c.SecurityContext != nil && c.SecurityContext.ReadOnlyRootFilesystem != nil && *c.SecurityContext.ReadOnlyRootFilesystem
		for _, env := range c.Env {
			if env.ValueFrom != nil && env.ValueFrom.SecretKeyRef != nil {
				summary.SecretEnvCount++
			} else if looksSecret(env.Name) && env.Value != "" {
				summary.PlainSecretEnvs = append(summary.PlainSecretEnvs, env.Name)
			}
		}
		containers = append(containers, summary)
	}
	return containers, volumes
}

func probePath(probe *corev1.Probe) string {
	if probe == nil || probe.HTTPGet == nil {
		return ""
	}
	return probe.HTTPGet.Path
}

// A variable that holds a secret itself (not the path of a mounted secret file).
func looksSecret(name string) bool {
	for _, exact := range []string{"KAFKA_SASL_PASSWORD", "DATA_KEYS", "MESSAGE_LOG_KEYS", "ADMIN_OPERATORS", "DATABASE_URL"} {
		if name == exact {
			return true
		}
	}
	return false
}

func stripComments(doc []byte) []byte {
	var out [][]byte
	for _, line := range bytes.Split(doc, []byte("\n")) {
		if trimmed := bytes.TrimSpace(line); len(trimmed) > 0 && trimmed[0] != '#' {
			out = append(out, line)
		}
	}
	return bytes.Join(out, []byte("\n"))
}

type service struct {
	Name        string   `json:"name"`
	Image       string   `json:"image,omitempty"`
	Dockerfile  string   `json:"dockerfile,omitempty"`
	User        string   `json:"user,omitempty"`
	Healthcheck bool     `json:"healthcheck"`
	DependsOn   []string `json:"dependsOn,omitempty"`
	Secrets     []string `json:"secrets,omitempty"`
	Ports       []string `json:"ports,omitempty"`
}

func compose(file string) (map[string]any, error) {
	absolute, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	options, err := cli.NewProjectOptions([]string{absolute},
		cli.WithWorkingDirectory(filepath.Dir(absolute)),
		cli.WithName("korpu"),
		cli.WithResolvedPaths(false),
		cli.WithInterpolation(true),
		cli.WithoutEnvironmentResolution,
		cli.WithEnv([]string{"KORPU_VERSION=validate"}),
	)
	if err != nil {
		return nil, err
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		return nil, err
	}
	var services []service
	for name, s := range project.Services {
		summary := service{Name: name, Image: s.Image, User: s.User, Healthcheck: s.HealthCheck != nil && !s.HealthCheck.Disable}
		if s.Build != nil {
			summary.Dockerfile = s.Build.Dockerfile
		}
		for dependency := range s.DependsOn {
			summary.DependsOn = append(summary.DependsOn, dependency)
		}
		sort.Strings(summary.DependsOn)
		for _, secret := range s.Secrets {
			summary.Secrets = append(summary.Secrets, secret.Source)
		}
		for _, port := range s.Ports {
			summary.Ports = append(summary.Ports, fmt.Sprintf("%s:%s->%d", port.HostIP, port.Published, port.Target))
		}
		services = append(services, summary)
	}
	sort.Slice(services, func(i, j int) bool { return services[i].Name < services[j].Name })
	var secrets []string
	for name := range project.Secrets {
		secrets = append(secrets, name)
	}
	sort.Strings(secrets)
	if _, err := project.MarshalYAML(); err != nil {
		return nil, err
	}
	return map[string]any{"services": services, "secrets": secrets, "networks": len(project.Networks), "volumes": len(project.Volumes)}, nil
}
