/**
 * Which built-in API versions a Kubernetes minor serves, for the versions whose status changes
 * between the oldest minor a cluster spec may name (1.28) and the newest: removed ones and those
 * added (GA) since 1.28. The model packages cannot say this: kubernetes-models keeps every version
 * it ever generated (apps/v1beta1 is still in 4.5.1) and has no release per minor. Sources:
 * - removals: the upstream "Deprecated API Migration Guide"
 *   (https://kubernetes.io/docs/reference/using-api/deprecation-guide/, kubernetes/website
 *   content/en/docs/reference/using-api/deprecation-guide.md), the same list the policy gate's
 *   rule api-version-deprecated uses;
 * - flowcontrol.apiserver.k8s.io/v1 "available since v1.29" and v1beta3 "available since v1.26":
 *   the same guide (v1.29 and v1.32 sections);
 * - admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy(Binding): GA in v1.30 (Kubernetes
 *   v1.30 release blog, "ValidatingAdmissionPolicy graduates to GA", KEP-3488);
 * - networking.k8s.io/v1 IPAddress and ServiceCIDR: GA in v1.33 (Kubernetes v1.33 release blog,
 *   "Multiple Service CIDRs", KEP-1880).
 * A version not listed here is served by every minor from 1.28 on.
 */
export interface ServedRange {
  readonly apiVersion: string;
  /** Kinds of `apiVersion` this range covers; every kind of it when absent. */
  readonly kinds?: readonly string[];
  /** First minor that serves it by default (`1.<since>`); absent: before 1.28. */
  readonly since?: number;
  /** First minor that no longer serves it. */
  readonly removedIn?: number;
  /** What to use instead (shown in the message). */
  readonly use?: string;
}

const FLOW_CONTROL = ['FlowSchema', 'PriorityLevelConfiguration'];

export const KUBERNETES_SERVED_RANGES: readonly ServedRange[] = [
  { apiVersion: 'extensions/v1beta1', kinds: ['Ingress'], removedIn: 22, use: 'networking.k8s.io/v1' },
  { apiVersion: 'extensions/v1beta1', removedIn: 16, use: 'apps/v1, networking.k8s.io/v1' },
  { apiVersion: 'apps/v1beta1', removedIn: 16, use: 'apps/v1' },
  { apiVersion: 'apps/v1beta2', removedIn: 16, use: 'apps/v1' },
  { apiVersion: 'admissionregistration.k8s.io/v1beta1', removedIn: 22, use: 'admissionregistration.k8s.io/v1' },
  { apiVersion: 'apiextensions.k8s.io/v1beta1', removedIn: 22, use: 'apiextensions.k8s.io/v1' },
  { apiVersion: 'apiregistration.k8s.io/v1beta1', removedIn: 22, use: 'apiregistration.k8s.io/v1' },
  { apiVersion: 'authentication.k8s.io/v1beta1', removedIn: 22, use: 'authentication.k8s.io/v1' },
  { apiVersion: 'authorization.k8s.io/v1beta1', removedIn: 22, use: 'authorization.k8s.io/v1' },
  { apiVersion: 'certificates.k8s.io/v1beta1', removedIn: 22, use: 'certificates.k8s.io/v1' },
  { apiVersion: 'coordination.k8s.io/v1beta1', removedIn: 22, use: 'coordination.k8s.io/v1' },
  { apiVersion: 'networking.k8s.io/v1beta1', removedIn: 22, use: 'networking.k8s.io/v1' },
  { apiVersion: 'rbac.authorization.k8s.io/v1beta1', removedIn: 22, use: 'rbac.authorization.k8s.io/v1' },
  { apiVersion: 'scheduling.k8s.io/v1beta1', removedIn: 22, use: 'scheduling.k8s.io/v1' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIStorageCapacity'], removedIn: 27, use: 'storage.k8s.io/v1' },
  { apiVersion: 'storage.k8s.io/v1beta1', removedIn: 22, use: 'storage.k8s.io/v1' },
  { apiVersion: 'batch/v1beta1', removedIn: 25, use: 'batch/v1' },
  { apiVersion: 'discovery.k8s.io/v1beta1', removedIn: 25, use: 'discovery.k8s.io/v1' },
  { apiVersion: 'events.k8s.io/v1beta1', removedIn: 25, use: 'events.k8s.io/v1' },
  { apiVersion: 'autoscaling/v2beta1', removedIn: 25, use: 'autoscaling/v2' },
  { apiVersion: 'policy/v1beta1', removedIn: 25, use: 'policy/v1 (PodSecurityPolicy: Pod Security Admission)' },
  { apiVersion: 'node.k8s.io/v1beta1', removedIn: 25, use: 'node.k8s.io/v1' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', removedIn: 26, use: 'flowcontrol.apiserver.k8s.io/v1' },
  { apiVersion: 'autoscaling/v2beta2', removedIn: 26, use: 'autoscaling/v2' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', removedIn: 29, use: 'flowcontrol.apiserver.k8s.io/v1' },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
    kinds: FLOW_CONTROL,
    removedIn: 32,
    use: 'flowcontrol.apiserver.k8s.io/v1',
  },
  {
    apiVersion: 'flowcontrol.apiserver.k8s.io/v1',
    kinds: FLOW_CONTROL,
    since: 29,
    use: 'flowcontrol.apiserver.k8s.io/v1beta3',
  },
  {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kinds: ['ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding'],
    since: 30,
  },
  { apiVersion: 'networking.k8s.io/v1', kinds: ['IPAddress', 'ServiceCIDR'], since: 33 },
];

/** Why `1.<minor>` does not serve apiVersion/kind, or undefined when it does (or the table does not know it). */
export function notServedProblem(apiVersion: string, kind: string, minor: number): string | undefined {
  const range = KUBERNETES_SERVED_RANGES.find(
    (r) => r.apiVersion === apiVersion && (r.kinds === undefined || r.kinds.includes(kind)),
  );
  if (!range) return undefined;
  const what = `${apiVersion} ${kind}`;
  if (range.removedIn !== undefined && minor >= range.removedIn)
    return `${what} is not served by Kubernetes 1.${minor}: it was removed in 1.${range.removedIn}${range.use ? `; use ${range.use}` : ''}`;
  if (range.since !== undefined && minor < range.since)
    return `${what} is not served by Kubernetes 1.${minor}: it is served from 1.${range.since}${range.use ? `; before that use ${range.use}` : ''}, so upgrade the cluster first or keep the object out of this cluster`;
  return undefined;
}
