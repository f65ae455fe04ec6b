/*
 * Which apiVersion of which kind is deprecated or no longer served, and from which Kubernetes minor
 * (a table, read by api-versions.ts).
 *
 * Kubernetes versions come from the upstream "Deprecated API Migration Guide"
 * (https://kubernetes.io/docs/reference/using-api/deprecation-guide/, kubernetes/website
 * content/en/docs/reference/using-api/deprecation-guide.md: removals up to v1.32). `deprecatedIn`
 * is the first minor whose API server warns about the version (the replacement was available).
 *
 * CRD-served groups are not tied to the Kubernetes version: their beta versions are deprecated by
 * their own projects once v1 exists (Gateway API v1.0 for Gateway, GatewayClass and HTTPRoute;
 * Flux v2.0 for GitRepository and Kustomization; Secrets Store CSI driver v1.0 for
 * SecretProviderClass), so they are reported whatever the cluster's version.
 */

export interface ApiVersionChange {
  apiVersion: string;
  kinds: readonly string[];
  /** Kubernetes minor (e.g. 26) from which the version is deprecated; 0: deprecated by its project, whatever the cluster. */
  deprecatedIn: number;
  /** Kubernetes minor that no longer serves it; undefined when it is still served. */
  removedIn?: number;
  /** The apiVersion to use instead, or what replaces the kind altogether. */
  replacement: string;
}

const WORKLOADS = ['DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'] as const;
const RBAC = ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'] as const;
const FLOW_CONTROL = ['FlowSchema', 'PriorityLevelConfiguration'] as const;
const GATEWAY = ['Gateway', 'GatewayClass', 'HTTPRoute'] as const;

export const API_VERSION_CHANGES: readonly ApiVersionChange[] = [
  // v1.16
  {
    apiVersion: 'extensions/v1beta1',
    kinds: [...WORKLOADS.filter((kind) => kind !== 'StatefulSet')],
    deprecatedIn: 9,
    removedIn: 16,
    replacement: 'apps/v1',
  },
  { apiVersion: 'apps/v1beta1', kinds: [...WORKLOADS], deprecatedIn: 9, removedIn: 16, replacement: 'apps/v1' },
  { apiVersion: 'apps/v1beta2', kinds: [...WORKLOADS], deprecatedIn: 9, removedIn: 16, replacement: 'apps/v1' },
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['NetworkPolicy'],
    deprecatedIn: 9,
    removedIn: 16,
    replacement: 'networking.k8s.io/v1',
  },
  // v1.22
  {
    apiVersion: 'admissionregistration.k8s.io/v1beta1',
    kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
    deprecatedIn: 16,
    removedIn: 22,
    replacement: 'admissionregistration.k8s.io/v1',
  },
  {
    apiVersion: 'apiextensions.k8s.io/v1beta1',
    kinds: ['CustomResourceDefinition'],
    deprecatedIn: 16,
    removedIn: 22,
    replacement: 'apiextensions.k8s.io/v1',
  },
  {
    apiVersion: 'apiregistration.k8s.io/v1beta1',
    kinds: ['APIService'],
    deprecatedIn: 19,
    removedIn: 22,
    replacement: 'apiregistration.k8s.io/v1',
  },
  {
    apiVersion: 'authentication.k8s.io/v1beta1',
    kinds: ['TokenReview'],
    deprecatedIn: 19,
    removedIn: 22,
    replacement: 'authentication.k8s.io/v1',
  },
  {
    apiVersion: 'authorization.k8s.io/v1beta1',
    kinds: ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SubjectAccessReview'],
    deprecatedIn: 19,
    removedIn: 22,
    replacement: 'authorization.k8s.io/v1',
  },
  {
    apiVersion: 'certificates.k8s.io/v1beta1',
    kinds: ['CertificateSigningRequest'],
    deprecatedIn: 19,
    removedIn: 22,
    replacement: 'certificates.k8s.io/v1',
  },
  {
    apiVersion: 'coordination.k8s.io/v1beta1',
    kinds: ['Lease'],
    deprecatedIn: 19,
    removedIn: 22,
    replacement: 'coordination.k8s.io/v1',
  },
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['Ingress'],
    deprecatedIn: 14,
    removedIn: 22,
    replacement: 'networking.k8s.io/v1',
  },
  {
    apiVersion: 'networking.k8s.io/v1beta1',
    kinds: ['Ingress', 'IngressClass'],
    deprecatedIn: 19,
    removedIn: 22,
    replacement: 'networking.k8s.io/v1',
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1beta1',
    kinds: [...RBAC],
    deprecatedIn: 17,
    removedIn: 22,
    replacement: 'rbac.authorization.k8s.io/v1',
  },
  {
    apiVersion: 'scheduling.k8s.io/v1beta1',
    kinds: ['PriorityClass'],
    deprecatedIn: 14,
    removedIn: 22,
    replacement: 'scheduling.k8s.io/v1',
  },
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'],
    deprecatedIn: 19,
    removedIn: 22,
    replacement: 'storage.k8s.io/v1',
  },
  // v1.25
  { apiVersion: 'batch/v1beta1', kinds: ['CronJob'], deprecatedIn: 21, removedIn: 25, replacement: 'batch/v1' },
  {
    apiVersion: 'discovery.k8s.io/v1beta1',
    kinds: ['EndpointSlice'],
    deprecatedIn: 21,
    removedIn: 25,
    replacement: 'discovery.k8s.io/v1',
  },
  {
    apiVersion: 'events.k8s.io/v1beta1',
    kinds: ['Event'],
    deprecatedIn: 19,
    removedIn: 25,
    replacement: 'events.k8s.io/v1',
  },
  {
    apiVersion: 'autoscaling/v2beta1',
    kinds: ['HorizontalPodAutoscaler'],
    deprecatedIn: 22,
    removedIn: 25,
    replacement: 'autoscaling/v2',
  },
  {
    apiVersion: 'policy/v1beta1',
    kinds: ['PodDisruptionBudget'],
    deprecatedIn: 21,
    removedIn: 25,
    replacement: 'policy/v1',
  },
  {
    apiVersion: 'policy/v1beta1',
    kinds: ['PodSecurityPolicy'],
    deprecatedIn: 21,
    removedIn: 25,
    replacement: 'no replacement API: Pod Security Admission namespace labels',
  },
  {
    apiVersion: 'extensions/v1beta1',
    kinds: ['PodSecurityPolicy'],
    deprecatedIn: 10,
    removedIn: 16,
    replacement: 'no replacement API: Pod Security Admission namespace labels',
  },
  {
    apiVersion: 'node.k8s.io/v1beta1',
    kinds: ['RuntimeClass'],
    deprecatedIn: 20,
    removedIn: 25,
    replacement: 'node.k8s.io/v1',
  },
  // v1.26
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1',
    kinds: [...FLOW_CONTROL],
    deprecatedIn: 23,
    removedIn: 26,
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
  },
  {
    apiVersion: 'autoscaling/v2beta2',
    kinds: ['HorizontalPodAutoscaler'],
    deprecatedIn: 23,
    removedIn: 26,
    replacement: 'autoscaling/v2',
  },
  // v1.27
  {
    apiVersion: 'storage.k8s.io/v1beta1',
    kinds: ['CSIStorageCapacity'],
    deprecatedIn: 24,
    removedIn: 27,
    replacement: 'storage.k8s.io/v1',
  },
  // v1.29 and v1.32
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2',
    kinds: [...FLOW_CONTROL],
    deprecatedIn: 26,
    removedIn: 29,
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
  },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
    kinds: [...FLOW_CONTROL],
    deprecatedIn: 29,
    removedIn: 32,
    replacement: 'flowcontrol.apiserver.k8s.io/v1',
  },
  // CRD-served groups, deprecated by their projects once v1 exists.
  {
    apiVersion: 'gateway.networking.k8s.io/v1beta1',
    kinds: [...GATEWAY],
    deprecatedIn: 0,
    replacement: 'gateway.networking.k8s.io/v1',
  },
  {
    apiVersion: 'gateway.networking.k8s.io/v1alpha2',
    kinds: [...GATEWAY],
    deprecatedIn: 0,
    replacement: 'gateway.networking.k8s.io/v1',
  },
  {
    apiVersion: 'source.toolkit.fluxcd.io/v1beta1',
    kinds: ['GitRepository'],
    deprecatedIn: 0,
    replacement: 'source.toolkit.fluxcd.io/v1',
  },
  {
    apiVersion: 'source.toolkit.fluxcd.io/v1beta2',
    kinds: ['GitRepository'],
    deprecatedIn: 0,
    replacement: 'source.toolkit.fluxcd.io/v1',
  },
  {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta1',
    kinds: ['Kustomization'],
    deprecatedIn: 0,
    replacement: 'kustomize.toolkit.fluxcd.io/v1',
  },
  {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
    kinds: ['Kustomization'],
    deprecatedIn: 0,
    replacement: 'kustomize.toolkit.fluxcd.io/v1',
  },
  {
    apiVersion: 'secrets-store.csi.x-k8s.io/v1alpha1',
    kinds: ['SecretProviderClass'],
    deprecatedIn: 0,
    replacement: 'secrets-store.csi.x-k8s.io/v1',
  },
];
