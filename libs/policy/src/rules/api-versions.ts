import type { RuleContext } from '../rule-context';

/*
 * An object in an API version the cluster no longer serves fails to apply, and Flux then stalls the
 * whole Kustomization it belongs to; one that is only deprecated applies today and breaks at the next
 * AKS minor upgrade, which AKS may perform automatically. Both are errors naming the replacement.
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

interface ApiVersionChange {
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

const CHANGES_BY_OBJECT: ReadonlyMap<string, ApiVersionChange> = new Map(
  API_VERSION_CHANGES.flatMap((change) =>
    change.kinds.map((kind) => [`${change.apiVersion} ${kind}`, change] as const),
  ),
);

/** The minor of `1.30` (30), or undefined for anything that is not a `1.<minor>` version. */
export function kubernetesMinor(version: string | undefined): number | undefined {
  const match = /^v?1\.(\d+)(?:\.\d+)?$/.exec(version ?? '');
  return match ? Number(match[1]) : undefined;
}

export function checkApiVersions({ cluster, report }: RuleContext): void {
  const minor = kubernetesMinor(cluster.spec?.kubernetesVersion);
  if (minor === undefined) return;
  for (const document of cluster.documents) {
    const change = CHANGES_BY_OBJECT.get(`${document.object.apiVersion} ${document.object.kind}`);
    if (!change || change.deprecatedIn > minor) continue;
    const status =
      change.deprecatedIn === 0
        ? 'is deprecated by its project now that v1 exists'
        : change.removedIn !== undefined && change.removedIn <= minor
          ? `is no longer served since Kubernetes 1.${change.removedIn} (cluster ${cluster.name} runs 1.${minor}), so the object cannot be applied`
          : `is deprecated since Kubernetes 1.${change.deprecatedIn}${change.removedIn !== undefined ? ` and removed in 1.${change.removedIn}` : ''} (cluster ${cluster.name} runs 1.${minor})`;
    const fix =
      change.replacement.includes('/') && !change.replacement.includes(' ')
        ? `Use apiVersion: ${change.replacement} (see the Kubernetes deprecated API migration guide for field changes).`
        : `Remove the ${document.object.kind}: ${change.replacement}.`;
    report(
      'api-version-deprecated',
      document,
      `apiVersion ${document.object.apiVersion} of ${document.object.kind} ${status}; use ${change.replacement}`,
      fix,
    );
  }
}
