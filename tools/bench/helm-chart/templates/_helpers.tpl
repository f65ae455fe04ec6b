{{/* Labels of a workload's objects (workloadLabels in libs/workloads/src/labels.ts). */}}
{{- define "bench.labels" -}}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/managed-by: aks-gitops
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/part-of: {{ .name }}
{{- end }}

{{/* metadata of an app object: labels, name, namespace. Call with (dict "a" $a "name" $name). */}}
{{- define "bench.meta" -}}
labels:
  {{- include "bench.labels" .a | nindent 2 }}
name: {{ .name }}
namespace: {{ .a.name }}
{{- end }}

{{- define "bench.selector" -}}
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

{{- define "bench.hardening" -}}
allowPrivilegeEscalation: false
capabilities:
  drop:
    - ALL
privileged: false
readOnlyRootFilesystem: true
runAsGroup: 10001
runAsNonRoot: true
runAsUser: 10001
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* The pod template of an app workload. Call with (dict "a" $a "c" $c). */}}
{{- define "bench.podTemplate" -}}
{{- $a := .a -}}
metadata:
  labels:
    {{- include "bench.labels" $a | nindent 4 }}
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
      livenessProbe:
        failureThreshold: 3
        {{- if eq $a.kind "l7" }}
        httpGet:
          path: /livez
          port: {{ $a.port }}
          scheme: {{ $a.scheme }}
        {{- end }}
        periodSeconds: 10
        {{- if eq $a.kind "l4" }}
        tcpSocket:
          port: {{ $a.firstTcp }}
        {{- end }}
        timeoutSeconds: 2
      name: {{ $a.name }}
      ports:
        {{- if eq $a.kind "l7" }}
        - containerPort: {{ $a.port }}
          name: {{ $a.protocol }}
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
        {{- if eq $a.kind "l7" }}
        httpGet:
          path: /readyz
          port: {{ $a.port }}
          scheme: {{ $a.scheme }}
        {{- end }}
        periodSeconds: 5
        {{- if eq $a.kind "l4" }}
        tcpSocket:
          port: {{ $a.firstTcp }}
        {{- end }}
        timeoutSeconds: 2
      resources:
        limits:
          memory: {{ $a.resources.memoryLimit }}
        requests:
          cpu: {{ $a.resources.cpu }}
          memory: {{ $a.resources.memory }}
      securityContext:
        {{- include "bench.hardening" . | nindent 8 }}
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
  topologySpreadConstraints:
    - labelSelector:
        {{- include "bench.selector" $a.name | nindent 8 }}
      maxSkew: 1
      topologyKey: topology.kubernetes.io/zone
      whenUnsatisfiable: ScheduleAnyway
    - labelSelector:
        {{- include "bench.selector" $a.name | nindent 8 }}
      maxSkew: 1
      topologyKey: kubernetes.io/hostname
      whenUnsatisfiable: ScheduleAnyway
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
