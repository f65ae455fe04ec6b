{{/* Labels of a workload's objects (workloadLabels in libs/workloads/src/labels.ts). Call with (list app workload component). */}}
{{- define "bench.labels" -}}
app.kubernetes.io/component: {{ index . 2 }}
app.kubernetes.io/managed-by: aks-gitops
app.kubernetes.io/name: {{ index . 1 }}
app.kubernetes.io/part-of: {{ index . 0 }}
{{- end }}

{{/* The immutable selector of a workload's pods. Call with the workload name. */}}
{{- define "bench.selector" -}}
matchLabels:
  app.kubernetes.io/name: {{ . }}
{{- end }}

{{/* A peer: the pods of workload `name` in namespace `name` (each app is its own namespace). */}}
{{- define "bench.appPeer" -}}
- namespaceSelector:
    matchLabels:
      kubernetes.io/metadata.name: {{ . }}
  podSelector:
    matchLabels:
      app.kubernetes.io/name: {{ . }}
{{- end }}

{{/* Egress to kube-dns over UDP and TCP 53. */}}
{{- define "bench.dnsEgress" -}}
- ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
  to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: kube-system
      podSelector:
        matchLabels:
          k8s-app: kube-dns
{{- end }}

{{/* Container hardening (Pod Security restricted). Call with the UID. */}}
{{- define "bench.hardening" -}}
allowPrivilegeEscalation: false
capabilities:
  drop:
    - ALL
privileged: false
readOnlyRootFilesystem: true
runAsGroup: {{ . }}
runAsNonRoot: true
runAsUser: {{ . }}
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Spread over zones, then nodes, never blocking scheduling. Call with the workload name. */}}
{{- define "bench.spread" -}}
- labelSelector:
    {{- include "bench.selector" . | nindent 4 }}
  maxSkew: 1
  topologyKey: topology.kubernetes.io/zone
  whenUnsatisfiable: ScheduleAnyway
- labelSelector:
    {{- include "bench.selector" . | nindent 4 }}
  maxSkew: 1
  topologyKey: kubernetes.io/hostname
  whenUnsatisfiable: ScheduleAnyway
{{- end }}

{{/*
The pod template of an app workload (pod-template.ts). Call with a dict: a (the app), labels (its
labels, rendered), l7 (bool), protocol and scheme (l7), firstTcp (l4), preStop (seconds; 0 for none),
grace (terminationGracePeriodSeconds).
*/}}
{{- define "bench.podTemplate" -}}
{{- $a := .a -}}
metadata:
  labels:
    {{- .labels | nindent 4 }}
    {{- if $a.keyVault }}
    azure.workload.identity/use: "true"
    {{- end }}
spec:
  automountServiceAccountToken: false
  containers:
    - {{- if $a.config }}
      envFrom:
        - configMapRef:
            name: {{ $a.name }}-config
      {{- end }}
      image: {{ $a.image }}
      imagePullPolicy: IfNotPresent
      {{- if .preStop }}
      lifecycle:
        preStop:
          sleep:
            seconds: {{ .preStop }}
      {{- end }}
      livenessProbe:
        failureThreshold: 3
        {{- if .l7 }}
        httpGet:
          path: /livez
          port: {{ $a.port }}
          scheme: {{ .scheme }}
        {{- end }}
        periodSeconds: 10
        {{- if not .l7 }}
        tcpSocket:
          port: {{ .firstTcp }}
        {{- end }}
        timeoutSeconds: 2
      name: {{ $a.name }}
      ports:
        {{- if .l7 }}
        - containerPort: {{ $a.port }}
          name: {{ .protocol }}
          protocol: TCP
        {{- else }}
        {{- range $p := $a.ports }}
        - containerPort: {{ $p.targetPort }}
          name: {{ $p.name }}
          protocol: {{ $p.protocol }}
        {{- end }}
        {{- end }}
      readinessProbe:
        failureThreshold: 3
        {{- if .l7 }}
        httpGet:
          path: /readyz
          port: {{ $a.port }}
          scheme: {{ .scheme }}
        {{- end }}
        periodSeconds: 5
        {{- if not .l7 }}
        tcpSocket:
          port: {{ .firstTcp }}
        {{- end }}
        timeoutSeconds: 2
      resources:
        limits:
          memory: {{ $a.resources.memoryLimit }}
        requests:
          cpu: {{ $a.resources.cpu }}
          memory: {{ $a.resources.memory }}
      securityContext:
        {{- include "bench.hardening" 10001 | nindent 8 }}
      volumeMounts:
        - mountPath: /tmp
          name: tmp
        {{- if $a.keyVault }}
        - mountPath: /mnt/secrets-store
          name: keyvault-secrets
          readOnly: true
        {{- end }}
        {{- if $a.volume }}
        - mountPath: {{ $a.volume.mountPath }}
          name: {{ $a.volume.name }}
        {{- end }}
  enableServiceLinks: false
  securityContext:
    fsGroup: 10001
    runAsGroup: 10001
    runAsNonRoot: true
    runAsUser: 10001
    seccompProfile:
      type: RuntimeDefault
  serviceAccountName: {{ $a.name }}
  terminationGracePeriodSeconds: {{ .grace }}
  topologySpreadConstraints:
    {{- include "bench.spread" $a.name | nindent 4 }}
  volumes:
    - emptyDir:
        sizeLimit: 64Mi
      name: tmp
    {{- if $a.keyVault }}
    - csi:
        driver: secrets-store.csi.k8s.io
        readOnly: true
        volumeAttributes:
          secretProviderClass: {{ $a.name }}-keyvault
      name: keyvault-secrets
    {{- end }}
{{- end }}

{{/*
A GitRepository of the fleet repository whose artifact holds only clusters/<cluster>/<folder>
(gitSource in tenant-flux.ts: gitignore cannot re-include below an excluded directory, hence one
re-include per level). Call with (dict "c" cluster "ns" namespace "folder" folder "flux" .Values.flux).
*/}}
{{- define "bench.gitSource" -}}
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  labels:
    app.kubernetes.io/managed-by: aks-gitops
  name: {{ .flux.source }}
  namespace: {{ .ns }}
spec:
  ignore: |
    /*
    !/clusters/
    /clusters/*
    !/clusters/{{ .c.name }}/
    /clusters/{{ .c.name }}/*
    !/clusters/{{ .c.name }}/{{ .folder }}/
  interval: 5m
  ref:
    branch: {{ .c.flux.branch }}
  timeout: 60s
  url: {{ .c.flux.url }}
{{- end }}

{{/* A CEL condition of `list` with `status` for the object's current generation (flux-health-checks.ts). Call with (list list type status extra). */}}
{{- define "bench.celCondition" -}}
{{ index . 0 }}.exists(c, c.type == '{{ index . 1 }}' && c.status == '{{ index . 2 }}'{{ index . 3 }} && (!has(c.observedGeneration) || c.observedGeneration == metadata.generation))
{{- end }}

{{/*
healthCheckExprs of an app Kustomization on a gateway-api cluster (appHealthCheckExprs): its
HTTPRoute, and on AGC its policies; sorted by apiVersion and kind. Call with (dict "agc" bool).
*/}}
{{- define "bench.healthCheckExprs" -}}
{{- if .agc }}
{{- $current := include "bench.celCondition" (list "status.conditions" "Accepted" "True" "") }}
{{- $failed := include "bench.celCondition" (list "status.conditions" "Accepted" "False" " && c.reason != 'TargetNotFound'") }}
{{- range $kind := list "BackendTLSPolicy" "HealthCheckPolicy" "WebApplicationFirewallPolicy" }}
- apiVersion: alb.networking.azure.io/v1
  current: {{ $current | quote }}
  failed: {{ $failed | quote }}
  kind: {{ $kind }}
{{- end }}
{{- end }}
- apiVersion: gateway.networking.k8s.io/v1
  current: {{ printf "status.parents.size() > 0 && status.parents.all(p, %s && !%s)" (include "bench.celCondition" (list "p.conditions" "Accepted" "True" "")) (include "bench.celCondition" (list "p.conditions" "ResolvedRefs" "False" "")) | quote }}
  failed: {{ printf "status.parents.exists(p, %s)" (include "bench.celCondition" (list "p.conditions" "Accepted" "False" "")) | quote }}
  kind: HTTPRoute
{{- end }}

{{/* A baseline Namespace: Pod Security restricted at a pinned version, never pruned. Call with (list name pssVersion gatewayAccess). */}}
{{- define "bench.namespace" -}}
apiVersion: v1
kind: Namespace
metadata:
  annotations:
    kustomize.toolkit.fluxcd.io/prune: disabled
  labels:
    {{- if index . 2 }}
    aks-gitops.io/gateway-access: "true"
    {{- end }}
    app.kubernetes.io/managed-by: aks-gitops
    pod-security.kubernetes.io/audit: restricted
    pod-security.kubernetes.io/audit-version: {{ index . 1 }}
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: {{ index . 1 }}
    pod-security.kubernetes.io/warn: restricted
    pod-security.kubernetes.io/warn-version: {{ index . 1 }}
  name: {{ index . 0 }}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  labels:
    app.kubernetes.io/managed-by: aks-gitops
  name: default-deny
  namespace: {{ index . 0 }}
spec:
  podSelector: {}
  policyTypes:
    - Ingress
    - Egress
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  labels:
    app.kubernetes.io/managed-by: aks-gitops
  name: allow-dns
  namespace: {{ index . 0 }}
spec:
  egress:
    {{- include "bench.dnsEgress" . | nindent 4 }}
  podSelector: {}
  policyTypes:
    - Egress
{{- end }}

{{/* The address `offset` places after the base of an IPv4 CIDR (resolveAddress). Call with (list cidr offset). */}}
{{- define "bench.ipPlus" -}}
{{- $o := splitList "." (first (splitList "/" (index . 0))) -}}
{{- $n := add (mul (atoi (index $o 0)) 16777216) (mul (atoi (index $o 1)) 65536) (mul (atoi (index $o 2)) 256) (atoi (index $o 3)) (index . 1) -}}
{{- printf "%d.%d.%d.%d" (div $n 16777216) (mod (div $n 65536) 256) (mod (div $n 256) 256) (mod $n 256) -}}
{{- end }}
