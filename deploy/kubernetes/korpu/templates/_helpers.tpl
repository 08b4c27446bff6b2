{{/* Names and labels shared by every object of the release. */}}
{{- define "korpu.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 40 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{/* kebab-case of an app key: partnerEndpoint → partner-endpoint */}}
{{- define "korpu.appName" -}}
{{- regexReplaceAll "([a-z])([A-Z])" . "${1}-${2}" | lower -}}
{{- end -}}

{{- define "korpu.labels" -}}
app.kubernetes.io/part-of: korpu
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one app: call with (dict "root" $ "app" "gateway") */}}
{{- define "korpu.selector" -}}
app.kubernetes.io/name: {{ include "korpu.appName" .app }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end -}}

{{/* ConfigMap data from a folder of the chart's files/, one key per file, "/" written "__" (keys may not hold "/"). */}}
{{- define "korpu.folderData" -}}
{{- $root := .root -}}
{{- range $path, $_ := $root.Files.Glob (printf "files/%s/**" .folder) }}
{{- $relative := trimPrefix (printf "files/%s/" $.folder) $path }}
{{- if not (hasSuffix ".md" $relative) }}
{{ $relative | replace "/" "__" | quote }}: {{ $root.Files.Get $path | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Volume items that put each "__" key back at its path. */}}
{{- define "korpu.folderItems" -}}
{{- range $path, $_ := .root.Files.Glob (printf "files/%s/**" .folder) }}
{{- $relative := trimPrefix (printf "files/%s/" $.folder) $path }}
{{- if not (hasSuffix ".md" $relative) }}
- key: {{ $relative | replace "/" "__" | quote }}
  path: {{ $relative | quote }}
{{- end }}
{{- end }}
{{- end -}}

{{/* HTTP or HTTPS of an app's probe port: the dispatcher and a partner endpoint without TLS speak plain HTTP. */}}
{{- define "korpu.scheme" -}}
{{- if or (eq .key "dispatcher") (and (eq .key "partnerEndpoint") (eq (.app.env.PARTNER_ENDPOINT_TLS | default "off") "off")) -}}HTTP{{- else -}}HTTPS{{- end -}}
{{- end -}}

{{/*
TLS to the brokers (values kafka.tls): the apps' KAFKA_SSL* variables, ConfigMap data. Production without TLS is
refused here as the apps would refuse it at boot, unless kafka.tls.allowPlaintext says the transport is encrypted below.
*/}}
{{- define "korpu.kafkaTlsEnv" -}}
{{- $tls := .Values.kafka.tls -}}
{{- if $tls.enabled -}}
{{- if $tls.allowPlaintext }}{{ fail "kafka.tls.allowPlaintext contradicts kafka.tls.enabled: set only one" }}{{ end -}}
KAFKA_SSL: "true"
KAFKA_SSL_CA_FILE: /etc/korpu/kafka-ca/ca.crt
{{- if $tls.serverName }}
KAFKA_SSL_SERVERNAME: {{ $tls.serverName | quote }}
{{- end }}
{{- if $tls.clientCertificates }}
KAFKA_SSL_CERT_FILE: /etc/korpu/pki/kafka/client.chain.crt
KAFKA_SSL_KEY_FILE: /etc/korpu/pki/kafka/client.key
{{- end }}
{{- else if $tls.allowPlaintext -}}
KAFKA_ALLOW_PLAINTEXT: "true"
{{- else if eq .Values.kafka.profile "production" -}}
{{- fail "kafka.tls.enabled=false with kafka.profile=production: the brokers are reached over a network and need SASL_SSL (set kafka.tls.allowPlaintext=true only when the transport is encrypted below Kafka)" -}}
{{- end -}}
{{- end -}}
