/*
 * The rule catalog: every rule's id, severity, family and one-line description, in one table.
 * Kept whole although it is over 300 lines, because it is read as a whole: it is the list a reviewer
 * checks a waiver annotation or a new rule against, its ids are a contract (waiver annotations and CI
 * dashboards name them), and its order is output (the SARIF rules array and the JUnit test cases
 * follow it), so it cannot be spread over the rule files without a second list saying the order.
 * Waivability and lookups derived from it are in rule-definitions.ts.
 */
import type { Severity } from './model';

/** The families rules belong to; used for grouping in docs and for readers scanning the catalog. */
export type RuleCategory =
  | 'pod-security'
  | 'network-policy'
  | 'service'
  | 'tls'
  | 'secrets'
  | 'images'
  | 'workload'
  | 'namespace'
  | 'flux'
  | 'tenancy'
  | 'rbac'
  | 'ingress'
  | 'api'
  | 'gate';

/**
 * Every rule the gate applies, keyed by id. Ids are stable: waiver annotations and CI dashboards refer to them,
 * so renaming one silently un-waives findings. Add new rules; do not rename old ones.
 */
export const CATALOG = {
  // Pod Security Standards "restricted" (kubernetes/pod-security-admission policy/check_*.go), evaluated
  // before admission so a bad template fails in CI instead of as a stuck ReplicaSet in the cluster.
  'pss-restricted-volume-types': {
    severity: 'error',
    category: 'pod-security',
    description:
      'Pod volumes use only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected or secret.',
  },
  'pss-host-path': { severity: 'error', category: 'pod-security', description: 'No hostPath volumes.' },
  'pss-allow-privilege-escalation': {
    severity: 'error',
    category: 'pod-security',
    description: 'Every container sets securityContext.allowPrivilegeEscalation: false.',
  },
  'pss-run-as-non-root': {
    severity: 'error',
    category: 'pod-security',
    description: 'runAsNonRoot is true on the pod or on every container, and false nowhere.',
  },
  'pss-run-as-user': {
    severity: 'error',
    category: 'pod-security',
    description: 'runAsUser is never 0 (pod or container).',
  },
  'pss-seccomp-profile': {
    severity: 'error',
    category: 'pod-security',
    description: 'seccompProfile.type is RuntimeDefault or Localhost, set on the pod or on every container.',
  },
  'pss-capabilities-drop-all': {
    severity: 'error',
    category: 'pod-security',
    description: 'Every container drops ALL capabilities.',
  },
  'pss-capabilities-add': {
    severity: 'error',
    category: 'pod-security',
    description: 'Containers add no capability other than NET_BIND_SERVICE.',
  },
  'pss-host-namespaces': {
    severity: 'error',
    category: 'pod-security',
    description: 'hostNetwork, hostPID and hostIPC are false or unset.',
  },
  'pss-host-ports': { severity: 'error', category: 'pod-security', description: 'No container port sets hostPort.' },
  'pss-privileged': { severity: 'error', category: 'pod-security', description: 'No container is privileged.' },
  'pss-proc-mount': { severity: 'error', category: 'pod-security', description: 'procMount is unset or Default.' },
  'pss-sysctls': {
    severity: 'error',
    category: 'pod-security',
    description: 'Pod sysctls use only the PSS safe list.',
  },
  'pss-apparmor': {
    severity: 'error',
    category: 'pod-security',
    description: 'AppArmor profile (field or annotation) is RuntimeDefault or Localhost.',
  },
  'pss-selinux': {
    severity: 'error',
    category: 'pod-security',
    description: 'seLinuxOptions type is container_t/container_init_t/container_kvm_t and user/role are unset.',
  },
  'pss-host-process': {
    severity: 'error',
    category: 'pod-security',
    description: 'windowsOptions.hostProcess is not true.',
  },
  'pss-probe-host': {
    severity: 'error',
    category: 'pod-security',
    description: 'Probes and lifecycle handlers do not set a host.',
  },
  'pod-high-uid-gid': {
    severity: 'error',
    category: 'pod-security',
    description: 'Every container runs with runAsUser and runAsGroup >= 10000 (pod or container level).',
  },
  'automount-service-account-token': {
    severity: 'error',
    category: 'pod-security',
    description: 'Pods set automountServiceAccountToken: false unless they use Azure Workload Identity.',
  },

  'netpol-default-deny': {
    severity: 'error',
    category: 'network-policy',
    description: 'Every app namespace has a default-deny NetworkPolicy for Ingress and Egress.',
  },
  'netpol-workload-coverage': {
    severity: 'error',
    category: 'network-policy',
    description: "A workload-specific NetworkPolicy selects each workload's pods with Ingress and Egress rules.",
  },
  'netpol-allow-from-anywhere': {
    severity: 'error',
    category: 'network-policy',
    description: 'No ingress rule admits every source (missing from, 0.0.0.0/0, or all namespaces).',
  },
  'netpol-allow-to-anywhere': {
    severity: 'error',
    category: 'network-policy',
    description:
      'No egress rule allows every destination (missing to, 0.0.0.0/0 even with exceptions, or all namespaces).',
  },

  'service-lb-internal': {
    severity: 'error',
    category: 'service',
    description: 'LoadBalancer Services are internal (azure-load-balancer-internal: "true").',
  },
  'service-lb-external-traffic-policy': {
    severity: 'error',
    category: 'service',
    description: 'LoadBalancer Services set externalTrafficPolicy: Local.',
  },
  'service-lb-ip-field': {
    severity: 'error',
    category: 'service',
    description: 'No spec.loadBalancerIP; use the azure-load-balancer-ipv4 annotation.',
  },
  'service-no-node-port': { severity: 'error', category: 'service', description: 'No NodePort Services.' },
  'service-no-external-ips': { severity: 'error', category: 'service', description: 'No spec.externalIPs.' },

  'ingress-tls': {
    severity: 'error',
    category: 'tls',
    description: 'Every Ingress terminates TLS (spec.tls or the appgw-ssl-certificate annotation).',
  },
  'gateway-listener-tls': {
    severity: 'error',
    category: 'tls',
    description: 'Gateway listeners are HTTPS/TLS with certificateRefs (plain HTTP only for redirect-only routes).',
  },
  'httproute-section-name': {
    severity: 'error',
    category: 'tls',
    description: 'HTTPRoute parentRefs name a listener (sectionName).',
  },
  'l7-waf': {
    severity: 'warning',
    category: 'tls',
    description:
      'Outside prod, every Ingress and HTTPRoute is behind a WAF policy (AGIC waf-policy-for-path, or an AGC WebApplicationFirewallPolicy on the route or its Gateway).',
  },
  'l7-waf-in-prod': {
    severity: 'error',
    category: 'tls',
    description:
      'In prod clusters, every Ingress and HTTPRoute is behind a WAF policy (AGIC waf-policy-for-path, or an AGC WebApplicationFirewallPolicy on the route or its Gateway).',
  },
  'no-secret-data': {
    severity: 'error',
    category: 'secrets',
    description: 'No Secret with data or stringData in git.',
  },

  'image-tag': {
    severity: 'error',
    category: 'images',
    description: 'Images carry a tag other than latest, or a digest.',
  },
  'image-digest-in-prod': {
    severity: 'error',
    category: 'images',
    description: 'In prod clusters images are pinned by @sha256 digest.',
  },

  'container-resources': {
    severity: 'error',
    category: 'workload',
    description: 'Containers request CPU and memory and limit memory.',
  },
  'readiness-probe': {
    severity: 'error',
    category: 'workload',
    description:
      'Every container of a long-running pod (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, bare Pod) has a readinessProbe; run-to-completion pods (Job, CronJob, Pod with restartPolicy Never/OnFailure) are exempt.',
  },
  'liveness-probe': {
    severity: 'error',
    category: 'workload',
    description:
      'Every container of a long-running pod has a livenessProbe (same kinds and exemptions as readiness-probe).',
  },
  'read-only-root-filesystem': {
    severity: 'error',
    category: 'pod-security',
    description: 'Containers run with readOnlyRootFilesystem: true (writable paths are emptyDir volumes).',
  },
  'pdb-for-replicated-workload': {
    severity: 'error',
    category: 'workload',
    description: 'Workloads with replicas > 1 or an HPA are selected by a PodDisruptionBudget.',
  },
  'pdb-allows-eviction': {
    severity: 'warning',
    category: 'workload',
    description: 'PodDisruptionBudgets allow at least one eviction (node upgrades must be able to drain).',
  },
  'hpa-owns-replicas': {
    severity: 'error',
    category: 'workload',
    description: 'A workload targeted by an HPA does not set spec.replicas.',
  },

  'namespace-required': {
    severity: 'error',
    category: 'namespace',
    description: 'Namespaced objects set metadata.namespace.',
  },
  'no-default-namespace': {
    severity: 'error',
    category: 'namespace',
    description: 'Nothing is placed in the default namespace.',
  },
  'namespace-declared': {
    severity: 'error',
    category: 'namespace',
    description: 'Every namespace that runs workloads is declared by a Namespace object in the cluster.',
  },
  'namespace-pss-restricted': {
    severity: 'error',
    category: 'namespace',
    description: 'Namespaces label pod-security enforce, audit and warn as restricted.',
  },
  'namespace-pss-version-pinned': {
    severity: 'warning',
    category: 'namespace',
    description: 'Namespaces pin the pod-security enforce/audit/warn versions (not latest).',
  },
  'namespace-prune-disabled': {
    severity: 'warning',
    category: 'namespace',
    description: 'Namespaces carry kustomize.toolkit.fluxcd.io/prune: disabled.',
  },

  'flux-path-exists': {
    severity: 'error',
    category: 'flux',
    description: 'Each Flux Kustomization spec.path exists in the repository.',
  },
  'flux-prune-enabled': {
    severity: 'error',
    category: 'flux',
    description: 'Flux Kustomizations set spec.prune: true.',
  },
  'flux-depends-on-platform': {
    severity: 'error',
    category: 'flux',
    description: 'App Kustomizations depend on the platform Kustomization.',
  },
  'flux-interval-set': {
    severity: 'error',
    category: 'flux',
    description: 'GitRepository and Kustomization objects set a valid spec.interval.',
  },

  // Issue 18: Ingress and route hygiene (rules/ingress-hygiene.ts).
  'ingress-ssl-redirect': {
    severity: 'error',
    category: 'tls',
    description:
      'An Ingress with a certificate redirects plain HTTP (appgw.ingress.kubernetes.io/ssl-redirect: "true").',
  },
  'ingress-tls-covers-hosts': {
    severity: 'error',
    category: 'tls',
    description: 'Every host an Ingress routes is covered by its spec.tls hosts.',
  },
  'ingress-explicit-host': {
    severity: 'error',
    category: 'ingress',
    description: 'Ingress rules and HTTPRoutes name explicit hosts: no empty, missing or wildcard host.',
  },
  'ingress-default-backend': {
    severity: 'error',
    category: 'ingress',
    description: 'No Ingress sends traffic through spec.defaultBackend (a catch-all for every host and path).',
  },
  'ingress-class': {
    severity: 'error',
    category: 'ingress',
    description: "Ingresses use the cluster's own IngressClass (AGIC); gateway-api clusters have none.",
  },
  'gateway-class': {
    severity: 'error',
    category: 'ingress',
    description: "Gateways use the cluster's own GatewayClass; agic clusters have none.",
  },

  // Issue 18: secrets and tokens (rules/secret-handling.ts).
  'env-from-secret': {
    severity: 'error',
    category: 'secrets',
    description:
      'No container reads a Secret into env (secretKeyRef, envFrom.secretRef); secrets are Key Vault CSI mounted files.',
  },
  'no-service-account-token-secret': {
    severity: 'error',
    category: 'secrets',
    description: 'No legacy Secret of type kubernetes.io/service-account-token.',
  },
  'service-account-automount': {
    severity: 'error',
    category: 'secrets',
    description: 'ServiceAccounts set automountServiceAccountToken: false themselves.',
  },
  'service-account-secrets-list': {
    severity: 'error',
    category: 'secrets',
    description: 'No ServiceAccount lists secrets.',
  },

  // Issue 18: trusted registries, API versions, Service exposure.
  'image-registry': {
    severity: 'error',
    severityOutsideProd: 'warning',
    category: 'images',
    description: "Images come from the cluster's allowedRegistries (error in prod, warning elsewhere).",
  },
  'api-version-deprecated': {
    severity: 'error',
    category: 'api',
    description: "No object uses an apiVersion that is deprecated or removed in the cluster's Kubernetes version.",
  },
  'service-external-name': {
    severity: 'error',
    category: 'service',
    description: 'No ExternalName Services (an in-cluster name for an outside host bypasses egress policy).',
  },
  'service-lb-source-ranges': {
    severity: 'error',
    category: 'service',
    description:
      'LoadBalancer Services restrict sources (loadBalancerSourceRanges or azure-allowed-ip-ranges/-service-tags, enforced on internal LBs).',
  },

  // Tenancy (libs/cluster-model/src/tenancy.ts holds the contract): an app's folder holds only its own
  // namespace's objects of the kinds its constructs make; nothing extends or reconfigures the cluster.
  'app-namespaced': {
    severity: 'error',
    category: 'tenancy',
    description:
      "Every object in an app's folder is namespaced (cluster-scoped objects belong in the cluster baseline).",
  },
  'app-own-namespace': {
    severity: 'error',
    category: 'tenancy',
    description: "Every object in an app's folder is in the app's own namespace (the folder name).",
  },
  'app-allowed-kind': {
    severity: 'error',
    category: 'tenancy',
    description:
      "Every object in an app's folder is of a kind in APP_ALLOWED_KINDS (libs/cluster-model/src/tenancy.ts).",
  },
  'reserved-namespace': {
    severity: 'error',
    category: 'tenancy',
    description: 'No app folder puts an object into a reserved system or add-on namespace (RESERVED_NAMESPACES).',
  },
  'namespace-owned-by-app': {
    severity: 'error',
    category: 'tenancy',
    description:
      "Objects in an app's namespace (NetworkPolicies included) come from that app's folder; the platform baseline adds exactly the objects in PLATFORM_OBJECTS_IN_APP_NAMESPACE (libs/cluster-model/src/tenancy.ts).",
  },
  'object-single-owner': {
    severity: 'error',
    category: 'tenancy',
    description: 'No object (group, kind, namespace, name) is written by two folders, or twice.',
  },
  'no-admission-webhooks': {
    severity: 'error',
    category: 'tenancy',
    description:
      'No ValidatingWebhookConfiguration, MutatingWebhookConfiguration, ValidatingAdmissionPolicy, MutatingAdmissionPolicy or their bindings.',
  },
  'no-custom-resource-definitions': {
    severity: 'error',
    category: 'tenancy',
    description: 'No CustomResourceDefinition.',
  },
  'no-api-services': { severity: 'error', category: 'tenancy', description: 'No APIService (aggregated API servers).' },
  'flux-generated-only': {
    severity: 'error',
    category: 'tenancy',
    description:
      "The only Flux (toolkit.fluxcd.io) objects are the generated ones, with the generated fields: in flux/<cluster>/ the GitRepository aks-gitops and Kustomizations of generated folders; in the platform baseline each app's GitRepository aks-gitops and Kustomization <app> in its namespace, applying into it as flux-applier; none anywhere else.",
  },

  'rbac-no-wildcards': {
    severity: 'error',
    category: 'rbac',
    description:
      'Roles and ClusterRoles name verbs, apiGroups, resources and nonResourceURLs without *, and use no aggregationRule.',
  },
  'rbac-no-privileged-binding': {
    severity: 'error',
    category: 'rbac',
    description: 'No RoleBinding or ClusterRoleBinding refers to cluster-admin, admin or edit.',
  },
  'rbac-no-broad-subjects': {
    severity: 'error',
    category: 'rbac',
    description:
      'No binding names system:anonymous, system:unauthenticated, system:authenticated, system:serviceaccounts or system:serviceaccounts:<namespace>.',
  },
  'rbac-no-escalation-verbs': {
    severity: 'error',
    category: 'rbac',
    description: 'No role grants the escalate, bind or impersonate verbs.',
  },
  'rbac-app-role-scope': {
    severity: 'error',
    category: 'rbac',
    description:
      "An app's Role grants only kinds in APP_ALLOWED_KINDS (no secrets, no subresources such as pods/exec), and its RoleBindings refer to a Role of the app.",
  },

  'cluster-environment-known': {
    severity: 'warning',
    category: 'gate',
    description: 'Every cluster with manifests has a known environment.',
  },
  'waiver-without-reason': {
    severity: 'error',
    category: 'gate',
    description:
      'Waiver annotations carry a real reason: printable, at least 3 words and 15 characters, not a placeholder (n/a, todo, tbd, ...).',
  },
  'waiver-unknown-rule': {
    severity: 'warning',
    category: 'gate',
    description: 'Waiver annotations name an existing rule.',
  },
  'waiver-not-waivable': {
    severity: 'error',
    category: 'gate',
    description: 'Waiver annotations name a waivable rule.',
  },
  'waiver-wildcard': {
    severity: 'error',
    category: 'gate',
    description: 'Waiver annotation keys name one rule, never a wildcard or pattern.',
  },
  'waiver-foreign-object': {
    severity: 'error',
    category: 'gate',
    description:
      "Waivers sit on objects their folder owns: an app's folder waives only objects in its own namespace, and no folder waives objects in an app's namespace.",
  },
  'manifest-readable': {
    severity: 'error',
    category: 'gate',
    description: 'Every manifest file parses into Kubernetes objects (Lists are unwrapped).',
  },
  'file-generated': {
    severity: 'error',
    category: 'gate',
    description:
      'Every file under clusters/ and flux/ is one synth writes (or, in flux/<cluster>/flux-system/, one flux bootstrap writes).',
  },
  'kustomization-local-resources': {
    severity: 'error',
    category: 'gate',
    description:
      'kustomization.yaml only lists files of its own folder under resources (no generators, patches, transforms, components, remote or parent resources).',
  },
} as const satisfies Record<
  string,
  { severity: Severity; severityOutsideProd?: Severity; category: RuleCategory; description: string }
>;

/** Rule ids as a type, so a rule implementation cannot report under a misspelled id. */
export type RuleId = keyof typeof CATALOG;
