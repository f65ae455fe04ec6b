import type { ClusterSpec, KubeObject } from '@aks-gitops/cluster-model';
import {
  BASELINE_FOLDER,
  FLUX_NAMESPACE,
  FLUX_SOURCE_NAME,
  PLATFORM_KUSTOMIZATION,
  RECONCILE,
  fluxKustomization,
  gitSource,
} from '@aks-gitops/workloads';

export { FLUX_NAMESPACE, FLUX_SOURCE_NAME, RECONCILE };

export interface FluxFile {
  /** Path relative to `flux/<cluster>/`. */
  readonly file: string;
  readonly objects: readonly KubeObject[];
}

/** The platform's GitRepository: its artifact holds only this cluster's platform folder. */
export function fluxSource(cluster: ClusterSpec): KubeObject {
  return gitSource(cluster, FLUX_NAMESPACE, [`clusters/${cluster.name}/${BASELINE_FOLDER}`]);
}

/**
 * Everything under `flux/<cluster>/` (what `flux bootstrap --path=flux/<cluster>` applies): the
 * platform's source and Kustomization, the only ones that run with cluster rights. Each app's
 * GitRepository and Kustomization live in the app's namespace and come with the baseline
 * (`clusters/<cluster>/platform/`), which creates that namespace first: Flux cannot apply an object
 * into a namespace that does not exist yet, so listing them here would stall the first bootstrap.
 */
export function fluxFiles(cluster: ClusterSpec): FluxFile[] {
  return [
    { file: 'source.yaml', objects: [fluxSource(cluster)] },
    {
      file: `${PLATFORM_KUSTOMIZATION}.yaml`,
      objects: [fluxKustomization(cluster, PLATFORM_KUSTOMIZATION, FLUX_NAMESPACE, BASELINE_FOLDER)],
    },
  ];
}
