import {
  APP_APPLIER_CLUSTER_ROLE,
  FLUX_APPLIER,
  FLUX_SOURCE_NAME,
  PLATFORM_OBJECTS_IN_APP_NAMESPACE as IN_APP_NAMESPACE,
  appApplierRules,
  platformObjectName,
} from '@aks-gitops/cluster-model';
import type { ClusterSpec, KubeObject } from '@aks-gitops/cluster-model';
import { LABEL_MANAGED_BY, MANAGED_BY } from './labels';
import type { FluxHealthCheckExpr } from './flux-health-checks';

/** The namespace of Flux and of the cluster-wide Kustomizations (bootstrap, platform). */
export const FLUX_NAMESPACE = 'flux-system';
/** The GitRepository the platform reads from (flux-system), and each app's own (in its namespace). */
export { FLUX_SOURCE_NAME };
/** The Kustomization that applies the cluster baseline; every app's Kustomization depends on it. */
export const PLATFORM_KUSTOMIZATION = 'platform';

/**
 * Reconcile settings, chosen rather than defaulted:
 * - interval 10m: how often Flux re-applies to undo drift; a new commit is applied at once anyway.
 * - retryInterval 2m: a failed apply (e.g. a webhook not ready yet) is retried soon.
 * - timeout 5m: covers health checks of StatefulSets whose volumes are provisioned on first start.
 * - wait true: an app is Ready only when every object it applied is healthy.
 * - prune true: objects removed from git are removed from the cluster (namespaces and stateful
 *   objects opt out with `kustomize.toolkit.fluxcd.io/prune: disabled`).
 */
export const RECONCILE = { interval: '10m', retryInterval: '2m', timeout: '5m' } as const;
export const SOURCE_INTERVAL = '5m';

const labels = { [LABEL_MANAGED_BY]: MANAGED_BY };

/**
 * A GitRepository of the fleet repository whose artifact holds only `paths` (repository folders
 * such as `clusters/<c>/<app>`): other folders' changes make no new revision, and a Kustomization
 * reading it cannot even see another app's files. gitignore rules cannot re-include below an
 * excluded directory, hence the re-include step per path segment.
 */
export function gitSource(
  cluster: ClusterSpec,
  namespace: string,
  paths: readonly string[],
  exclude: readonly string[] = [],
): KubeObject {
  const ignore = ['/*'];
  const included = new Set<string>(['']);
  for (const p of paths) {
    const parts = p.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (included.has(dir)) continue;
      const parent = parts.slice(0, i - 1).join('/');
      if (parent && !ignore.includes(`/${parent}/*`)) ignore.push(`/${parent}/*`);
      ignore.push(`!/${dir}/`);
      included.add(dir);
    }
  }
  for (const e of exclude) ignore.push(`/${e}/`);
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: FLUX_SOURCE_NAME, namespace, labels },
    spec: {
      interval: SOURCE_INTERVAL,
      timeout: '60s',
      url: cluster.flux.url,
      ref: { branch: cluster.flux.branch },
      ignore: ignore.join('\n') + '\n',
    },
  };
}

/** A Flux Kustomization reading FLUX_SOURCE_NAME in its own namespace (no cross-namespace source). */
export function fluxKustomization(
  cluster: ClusterSpec,
  name: string,
  namespace: string,
  folder: string,
  extra: {
    dependsOn?: ReadonlyArray<{ name: string; namespace?: string }>;
    tenant?: boolean;
    healthCheckExprs?: readonly FluxHealthCheckExpr[];
  } = {},
): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace, labels },
    spec: {
      ...(extra.dependsOn?.length ? { dependsOn: extra.dependsOn.map((d) => ({ ...d })) } : {}),
      interval: RECONCILE.interval,
      retryInterval: RECONCILE.retryInterval,
      timeout: RECONCILE.timeout,
      path: `./clusters/${cluster.name}/${folder}`,
      prune: true,
      wait: true,
      // An app is applied with its own namespace's rights only: everything lands in its namespace,
      // and Flux impersonates FLUX_APPLIER there, which can touch nothing outside it.
      ...(extra.tenant ? { targetNamespace: namespace, serviceAccountName: FLUX_APPLIER } : {}),
      sourceRef: { kind: 'GitRepository', name: FLUX_SOURCE_NAME },
      // How `wait` reads the custom resources kstatus cannot (see appHealthCheckExprs).
      ...(extra.healthCheckExprs?.length ? { healthCheckExprs: extra.healthCheckExprs.map((e) => ({ ...e })) } : {}),
    },
  };
}

/** The ClusterRole every app's Flux account is bound to, one per cluster (see APP_ALLOWED_KINDS). */
export function appApplierClusterRole(): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: APP_APPLIER_CLUSTER_ROLE, labels },
    rules: appApplierRules(),
  };
}

/**
 * What the platform creates in an app's namespace so Flux applies the app with the app's rights
 * only (the flux2-multi-tenancy model, where the platform onboards each tenant): the account Flux
 * impersonates, its RoleBinding to the applier ClusterRole in this namespace only, and the app's
 * own GitRepository and Kustomization. Living in the app's namespace, they need no cross-namespace
 * reference (blocked by `--no-cross-namespace-refs` and by the AKS Flux extension's default).
 */
export function tenantFluxObjects(
  cluster: ClusterSpec,
  app: string,
  healthCheckExprs: readonly FluxHealthCheckExpr[] = [],
): KubeObject[] {
  return [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: IN_APP_NAMESPACE.fluxApplier.name, namespace: app, labels },
      automountServiceAccountToken: false,
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: IN_APP_NAMESPACE.fluxApplierBinding.name, namespace: app, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: APP_APPLIER_CLUSTER_ROLE },
      subjects: [{ kind: 'ServiceAccount', name: FLUX_APPLIER, namespace: app }],
    },
    gitSource(cluster, app, [`clusters/${cluster.name}/${app}`]),
    fluxKustomization(cluster, platformObjectName(IN_APP_NAMESPACE.fluxKustomization, app), app, app, {
      dependsOn: [{ name: PLATFORM_KUSTOMIZATION, namespace: FLUX_NAMESPACE }],
      tenant: true,
      healthCheckExprs,
    }),
  ];
}
