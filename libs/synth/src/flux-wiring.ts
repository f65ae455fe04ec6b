import type { ClusterSpec, KubeObject } from '@aks-gitops/cluster-model';
import { BASELINE_FOLDER } from '@aks-gitops/workloads';

/** The GitRepository every Kustomization of a cluster reads from. */
export const FLUX_SOURCE_NAME = 'aks-gitops';
export const FLUX_NAMESPACE = 'flux-system';

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
const SOURCE_INTERVAL = '5m';

export interface FluxFile {
  /** Path relative to `flux/<cluster>/`. */
  readonly file: string;
  readonly objects: readonly KubeObject[];
}

export function fluxSource(cluster: ClusterSpec): KubeObject {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: FLUX_SOURCE_NAME, namespace: FLUX_NAMESPACE },
    spec: {
      interval: SOURCE_INTERVAL,
      timeout: '60s',
      url: cluster.flux.url,
      ref: { branch: cluster.flux.branch },
      // Only this cluster's folders end up in the artifact: smaller, and other clusters' changes
      // produce no new revision here. Azure edge files (JSON) are never applied by Flux.
      // gitignore rules cannot re-include below an excluded directory, hence the re-include steps.
      ignore: ['/*', '!/clusters/', '/clusters/*', `!/clusters/${cluster.name}/`, `/clusters/${cluster.name}/azure/`, '!/flux/', '/flux/*', `!/flux/${cluster.name}/`].join('\n') + '\n',
    },
  };
}

function kustomization(cluster: ClusterSpec, name: string, folder: string, dependsOn: string[]): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: FLUX_NAMESPACE },
    spec: {
      ...(dependsOn.length ? { dependsOn: dependsOn.map((d) => ({ name: d })) } : {}),
      interval: RECONCILE.interval,
      retryInterval: RECONCILE.retryInterval,
      timeout: RECONCILE.timeout,
      path: `./clusters/${cluster.name}/${folder}`,
      prune: true,
      wait: true,
      sourceRef: { kind: 'GitRepository', name: FLUX_SOURCE_NAME },
    },
  };
}

/**
 * Everything under `flux/<cluster>/`: the source, the baseline, and one Kustomization per app
 * (all in apps.yaml, sorted by name).
 */
export function fluxFiles(cluster: ClusterSpec, apps: readonly string[]): FluxFile[] {
  const files: FluxFile[] = [
    { file: 'source.yaml', objects: [fluxSource(cluster)] },
    { file: `${BASELINE_FOLDER}.yaml`, objects: [kustomization(cluster, BASELINE_FOLDER, BASELINE_FOLDER, [])] },
  ];
  if (apps.length) files.push({ file: 'apps.yaml', objects: [...apps].sort().map((app) => kustomization(cluster, app, app, [BASELINE_FOLDER])) });
  return files;
}
