import type { RuleContext } from '../rule-context';
import { API_VERSION_CHANGES, type ApiVersionChange } from './api-version-changes';

/*
 * An object in an API version the cluster no longer serves fails to apply, and Flux then stalls the
 * whole Kustomization it belongs to; one that is only deprecated applies today and breaks at the next
 * AKS minor upgrade, which AKS may perform automatically. Both are errors naming the replacement.
 */

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
