/** Labels and annotation keys the platform relies on. Selectors use only stable, name-derived labels. */

export const LABEL_NAME = 'app.kubernetes.io/name';
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
export const MANAGED_BY = 'aks-gitops';
/** Namespaces whose HTTPRoutes may attach to the cluster's shared Gateway. */
export const LABEL_GATEWAY_ACCESS = 'aks-gitops.io/gateway-access';
/** Set by Kubernetes on every namespace; the only reliable namespace selector. */
export const LABEL_NAMESPACE_NAME = 'kubernetes.io/metadata.name';
export const WORKLOAD_IDENTITY_USE = 'azure.workload.identity/use';
export const WORKLOAD_IDENTITY_CLIENT_ID = 'azure.workload.identity/client-id';

/** Immutable selector of a workload's pods: never includes anything that may change later. */
export function selectorLabels(workload: string): Record<string, string> {
  return { [LABEL_NAME]: workload };
}

export function workloadLabels(app: string, workload: string, component: string): Record<string, string> {
  return { [LABEL_NAME]: workload, [LABEL_PART_OF]: app, [LABEL_MANAGED_BY]: MANAGED_BY, [LABEL_COMPONENT]: component };
}
