import { imageLocation, allowingRegistry } from '@aks-gitops/cluster-model';
import type { RuleContext } from '../rule-context';
import { show } from '../unknown-value';

/*
 * A tag or digest says which build runs; the registry says whose build it is and who could have
 * pushed it. Each cluster names the registries it trusts (ClusterSpec.allowedRegistries); the
 * matching (host equal, path prefix by whole segments, Docker Hub normalization) lives in
 * cluster-model's registry-pattern.ts so the spec validation and this rule read entries the same way.
 * Outside prod an unknown registry is a warning, so trying an image in dev stays possible and visible.
 */

export function checkImageRegistries({ cluster, report }: RuleContext): void {
  const allowed = cluster.spec?.allowedRegistries;
  if (allowed === undefined) return;
  for (const { document, pod } of cluster.workloads) {
    for (const container of pod.containers) {
      const image = container.spec.image;
      // A missing or empty image is already `image-tag`'s finding.
      if (typeof image !== 'string' || image.trim() === '') continue;
      if (allowingRegistry(image, allowed) !== undefined) continue;
      const location = imageLocation(image);
      report(
        'image-registry',
        document,
        `${container.label}: image ${show(image)} comes from registry ${location.host} (repository ${location.path}), which is not in cluster ${cluster.name}'s allowedRegistries ${show(allowed)}`,
        `Push the image to an allowed registry (e.g. import it into ${allowed[0] ?? 'the team ACR'}) and reference it there, add "${location.host}/${location.path}" to allowedRegistries in the cluster spec after review, or waive it with the reason.`,
      );
    }
  }
}
