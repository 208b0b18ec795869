{{/*
Names are fixed, as in deploy/: existing RBAC, SPIRE entries (k8s:sa:spire-k8s-registrar) and the leader election
Lease refer to them.
*/}}
{{- define "spire-k8s-operator.name" -}}spire-k8s-registrar{{- end }}

{{/* Labels of every object deploy/ labels (and of the pod template). */}}
{{- define "spire-k8s-operator.appLabels" -}}
app.kubernetes.io/name: spire-k8s-operator
app.kubernetes.io/component: workload-registrar
app.kubernetes.io/part-of: spire
{{- end }}

{{/* What Helm adds to the labels of the objects it owns (not to selectors or the pod template). */}}
{{- define "spire-k8s-operator.helmLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}

{{- define "spire-k8s-operator.labels" -}}
{{ include "spire-k8s-operator.appLabels" . }}
{{ include "spire-k8s-operator.helmLabels" . }}
{{- end }}

{{/* The Deployment's selector (immutable: never change it). */}}
{{- define "spire-k8s-operator.selectorLabels" -}}
app.kubernetes.io/name: spire-k8s-operator
app.kubernetes.io/component: workload-registrar
{{- end }}

{{- define "spire-k8s-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion | toString) }}
{{- end }}

{{- define "spire-k8s-operator.configFile" -}}k8s-workload-registrar.conf{{- end }}

{{/* One HCL value: a string (Go-quoted, which HCL reads back), a number, a boolean or a list of them. */}}
{{- define "spire-k8s-operator.hclValue" -}}
{{- if kindIs "string" . -}}
{{ quote . }}
{{- else if kindIs "slice" . -}}
[{{ range $i, $item := . }}{{ if $i }}, {{ end }}{{ include "spire-k8s-operator.hclValue" $item }}{{ end }}]
{{- else if kindIs "bool" . -}}
{{ . }}
{{- else if kindIs "float64" . -}}
{{ if eq . (floor .) }}{{ int64 . }}{{ else }}{{ . }}{{ end }}
{{- else if or (kindIs "int" .) (kindIs "int64" .) -}}
{{ . }}
{{- else -}}
{{ fail (printf "config: cannot write %v (%s) as an HCL value" . (kindOf .)) }}
{{- end -}}
{{- end }}

{{/* HCL lines of a map (keys sorted), maps as blocks: (dict "values" <map> "indent" <string>). */}}
{{- define "spire-k8s-operator.hcl" -}}
{{- $indent := .indent -}}
{{- range $key, $value := .values }}
{{- if not (regexMatch "^[A-Za-z_][A-Za-z0-9_-]*$" $key) }}
{{- fail (printf "config: %q is not an HCL key" $key) }}
{{- end }}
{{- if kindIs "map" $value }}
{{ $indent }}{{ $key }} {
{{- include "spire-k8s-operator.hcl" (dict "values" $value "indent" (printf "%s  " $indent)) }}
{{ $indent }}}
{{- else if not (kindIs "invalid" $value) }}
{{ $indent }}{{ $key }} = {{ include "spire-k8s-operator.hclValue" $value }}
{{- end }}
{{- end }}
{{- end }}

{{/* Keys of the configuration the chart writes from its own values. */}}
{{- define "spire-k8s-operator.chartKeys" -}}
trust_domain cluster node_attestor parent_mode agent_namespace agent_pod_selector leader_election leader_election_namespace server_socket_path server_address agent_socket_path metrics_addr health_addr
{{- end }}

{{/* Checks of the values that the schema cannot express; one line each. */}}
{{- define "spire-k8s-operator.validate" -}}
{{- range $key := splitList " " (include "spire-k8s-operator.chartKeys" .) }}
{{- if hasKey $.Values.config $key }}
{{- fail (printf "config.%s: the chart writes %s itself; set it with the chart's own value (see values.yaml)" $key $key) }}
{{- end }}
{{- end }}
{{- if and .Values.podDisruptionBudget.enabled (lt (int .Values.replicaCount) (add 1 (int .Values.podDisruptionBudget.minAvailable) | int)) }}
{{- fail (printf "podDisruptionBudget.minAvailable=%v with replicaCount=%v would block every node drain; raise replicaCount or set podDisruptionBudget.enabled=false" .Values.podDisruptionBudget.minAvailable .Values.replicaCount) }}
{{- end }}
{{- end }}

{{/* The HCL configuration file. */}}
{{- define "spire-k8s-operator.configuration" -}}
# Must match the SPIRE server's trust domain and the cluster name of its node attestor.
trust_domain = {{ .Values.trustDomain | quote }}
cluster      = {{ .Values.cluster | quote }}
{{ if .Values.tcp.enabled }}
# The SPIRE server's TCP endpoint and the SPIRE agent Workload API socket that provides the operator's admin
# X509-SVID and the trust bundle.
server_address    = {{ .Values.tcp.serverAddress | quote }}
agent_socket_path = {{ printf "%s/%s" .Values.tcp.agentSocketDir .Values.tcp.agentSocketName | quote }}
{{- else }}
# The SPIRE server's admin API over its unix socket, mounted read-only from the host.
server_socket_path = {{ printf "%s/%s" .Values.spireServer.socketDir .Values.spireServer.socketName | quote }}
{{- end }}

leader_election = {{ .Values.leaderElection }}
{{- if .Values.leaderElection }}
# The Role grants leases in the release namespace only.
leader_election_namespace = {{ .Release.Namespace | quote }}
{{- end }}

node_attestor      = {{ .Values.nodeAttestor | quote }}
parent_mode        = {{ .Values.parentMode | quote }}
agent_namespace    = {{ .Values.agents.namespace | quote }}
agent_pod_selector = {{ .Values.agents.podSelector | quote }}

metrics_addr = {{ printf ":%v" .Values.metrics.port | quote }}
health_addr  = {{ printf ":%v" .Values.health.port | quote }}
{{- with .Values.config }}

# config:
{{- include "spire-k8s-operator.hcl" (dict "values" . "indent" "") }}
{{- end }}
{{- end }}
