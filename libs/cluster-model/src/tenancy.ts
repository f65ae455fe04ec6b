/**
 * The tenancy contract in one place: which namespaces no app may use, and which kinds an app's
 * folder may contain. Synth, the policy gate and the Flux RBAC the baseline grants each app all read
 * these lists, so widening what an app may do is one reviewed change here, never a side effect.
 */

/**
 * Namespaces that belong to Kubernetes, AKS, its add-ons, Flux or common platform operators. No app
 * and no gateway may claim one: the baseline would put it under default deny and Pod Security
 * `restricted` (cutting off cluster DNS, Flux or system pods), and an app writing there would act
 * with platform rights.
 */
export const RESERVED_NAMESPACES: readonly string[] = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
  // Flux, and the AKS Flux extension's namespace.
  'flux-system',
  // Azure Policy for AKS (Gatekeeper) and the AKS add-ons / managed components.
  'gatekeeper-system',
  'aks-command',
  'app-routing-system',
  'azure-alb-system',
  'aks-istio-system',
  'aks-istio-ingress',
  'aks-istio-egress',
  'dataprotection-microsoft',
  'azure-arc',
  'azure-extensions-usage-system',
  'kube-egress-gateway-system',
  // Network policy engines and common operators.
  'calico-system',
  'calico-apiserver',
  'tigera-operator',
  'cert-manager',
];

/** One kind an app may emit into its own namespace. */
export interface AppKind {
  /** API group ('' for the core group). */
  readonly group: string;
  readonly kind: string;
  /** The lowercase plural resource name, as RBAC rules name it. */
  readonly resource: string;
}

/**
 * Every kind an app's folder may contain, all namespaced and all in the app's own namespace.
 * Anything else (cluster-scoped objects, webhooks, CRDs, Flux objects, Secrets) belongs to the
 * platform baseline or to Key Vault. Add a kind here only together with the construct that needs it.
 */
export const APP_ALLOWED_KINDS: readonly AppKind[] = [
  { group: 'apps', kind: 'Deployment', resource: 'deployments' },
  { group: 'apps', kind: 'StatefulSet', resource: 'statefulsets' },
  { group: '', kind: 'Service', resource: 'services' },
  { group: '', kind: 'ServiceAccount', resource: 'serviceaccounts' },
  { group: '', kind: 'ConfigMap', resource: 'configmaps' },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy', resource: 'networkpolicies' },
  { group: 'networking.k8s.io', kind: 'Ingress', resource: 'ingresses' },
  { group: 'policy', kind: 'PodDisruptionBudget', resource: 'poddisruptionbudgets' },
  { group: 'autoscaling', kind: 'HorizontalPodAutoscaler', resource: 'horizontalpodautoscalers' },
  { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', resource: 'httproutes' },
  { group: 'secrets-store.csi.x-k8s.io', kind: 'SecretProviderClass', resource: 'secretproviderclasses' },
  {
    group: 'alb.networking.azure.io',
    kind: 'WebApplicationFirewallPolicy',
    resource: 'webapplicationfirewallpolicies',
  },
  { group: 'alb.networking.azure.io', kind: 'HealthCheckPolicy', resource: 'healthcheckpolicies' },
  { group: 'alb.networking.azure.io', kind: 'BackendTLSPolicy', resource: 'backendtlspolicies' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role', resource: 'roles' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding', resource: 'rolebindings' },
];

/** The API group of an `apiVersion` ('' for `v1`). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The allowed kind matching an object's apiVersion and kind, if any. */
export function appAllowedKind(apiVersion: string, kind: string): AppKind | undefined {
  const group = apiGroupOf(apiVersion);
  return APP_ALLOWED_KINDS.find((k) => k.group === group && k.kind === kind);
}

/**
 * The folder `flux bootstrap --path=flux/<cluster>` writes (gotk-components.yaml, gotk-sync.yaml,
 * kustomization.yaml) inside each cluster's Flux folder. Synth never writes it and drift and the
 * policy gate leave exactly this one folder alone: it is Flux's own install, owned by bootstrap.
 */
export const FLUX_BOOTSTRAP_FOLDER = 'flux-system';

/**
 * The account Flux impersonates when it applies an app's folder: a ServiceAccount of this name in
 * every app namespace, bound there (RoleBinding of the same name) to APP_APPLIER_CLUSTER_ROLE. The
 * AKS Flux extension impersonates an account of this name by default, so both installs agree.
 */
export const FLUX_APPLIER = 'flux-applier';

/** The fleet repository's GitRepository: the platform's in flux-system, and each app's own in its namespace. */
export const FLUX_SOURCE_NAME = 'aks-gitops';

/** Stands for the app's name in a PlatformObject name (each app's Kustomization is named after the app). */
export const APP_NAME_PLACEHOLDER = '<app>';

/** One object the platform baseline writes into an app's namespace. */
export interface PlatformObject {
  /** API group ('' for the core group). */
  readonly group: string;
  readonly kind: string;
  /** The same in every app namespace, or APP_NAME_PLACEHOLDER for the app's name. */
  readonly name: string;
}

/**
 * Exactly the objects the platform baseline (libs/workloads namespace-baseline.ts and tenant-flux.ts)
 * writes into each app's namespace; everything else there comes from the app's own folder. The
 * baseline names these objects from here and the policy gate allows exactly these
 * (namespace-owned-by-app), so adding one to the baseline means adding it here:
 * libs/synth/test/platform-objects.spec.ts synthesizes a fleet and fails otherwise.
 */
export const PLATFORM_OBJECTS_IN_APP_NAMESPACE = {
  /** Denies all ingress and egress the app's own NetworkPolicies do not allow. */
  defaultDeny: { group: 'networking.k8s.io', kind: 'NetworkPolicy', name: 'default-deny' },
  /** Egress to cluster DNS. */
  allowDns: { group: 'networking.k8s.io', kind: 'NetworkPolicy', name: 'allow-dns' },
  /**
   * Only on Cilium clusters with AKS LocalDNS: egress to the node-local resolver, which a
   * NetworkPolicy ipBlock cannot select there.
   */
  allowLocalDns: { group: 'cilium.io', kind: 'CiliumNetworkPolicy', name: 'allow-localdns' },
  /** The account Flux applies the app's folder as, and its binding to APP_APPLIER_CLUSTER_ROLE. */
  fluxApplier: { group: '', kind: 'ServiceAccount', name: FLUX_APPLIER },
  fluxApplierBinding: { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding', name: FLUX_APPLIER },
  /** The app's own Flux source and Kustomization (the policy checks their fields: flux-generated-only). */
  fluxSource: { group: 'source.toolkit.fluxcd.io', kind: 'GitRepository', name: FLUX_SOURCE_NAME },
  fluxKustomization: { group: 'kustomize.toolkit.fluxcd.io', kind: 'Kustomization', name: APP_NAME_PLACEHOLDER },
} as const satisfies Record<string, PlatformObject>;

/** The name `object` has in `app`'s namespace. */
export function platformObjectName(object: PlatformObject, app: string): string {
  return object.name === APP_NAME_PLACEHOLDER ? app : object.name;
}

/** The one ClusterRole every app's FLUX_APPLIER is bound to, in its own namespace only. */
export const APP_APPLIER_CLUSTER_ROLE = 'aks-gitops-app-applier';

/** What FLUX_APPLIER may do with each allowed kind: enough to apply, prune and health-check. */
export const APP_APPLIER_VERBS: readonly string[] = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/** The RBAC rules of APP_APPLIER_CLUSTER_ROLE: exactly APP_ALLOWED_KINDS, one rule per API group, sorted. */
export function appApplierRules(): Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> {
  const byGroup = new Map<string, string[]>();
  for (const k of APP_ALLOWED_KINDS) byGroup.set(k.group, [...(byGroup.get(k.group) ?? []), k.resource]);
  return [...byGroup.keys()].sort().map((group) => ({
    apiGroups: [group],
    resources: [...new Set(byGroup.get(group))].sort(),
    verbs: [...APP_APPLIER_VERBS],
  }));
}
