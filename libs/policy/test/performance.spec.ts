import type { ManifestDocument } from '@aks-gitops/cluster-model';
import { evaluate, type PolicyInput } from '@aks-gitops/policy';
import { Fixture } from './fixtures';

/*
 * The gate runs on every pull request over the whole fleet, so it must stay linear. 3,500 objects
 * is the size the toolchain notes benchmark synth at (1,000 workloads).
 */

/** Many small app namespaces: the normal shape of the fleet. */
function manyNamespaces(objectTarget: number): PolicyInput {
  const documents: ManifestDocument[] = [];
  const existingPaths = new Set<string>();
  for (let index = 0; documents.length < objectTarget; index++) {
    const fixture = new Fixture({ app: `app-${index}` });
    // One cluster has one GitRepository and one platform Kustomization, however many apps it has.
    const shared = (document: ManifestDocument): boolean =>
      document.object.kind === 'GitRepository' || document.object.metadata.name === 'platform';
    documents.push(...fixture.documents.filter((document) => index === 0 || !shared(document)));
    fixture.existingPaths.forEach((folder) => existingPaths.add(folder));
  }
  // The cluster facts of a fixture (Kubernetes version, registries, L7 class), so every rule runs.
  return { documents, clusters: new Fixture().input().clusters, existingPaths };
}

/**
 * One crowded namespace: the case where pairing every pod with every policy would be quadratic.
 * Every selector also shares a label (`aaa.example/shared`, sorting first) to defeat naive bucketing.
 */
function oneCrowdedNamespace(objectTarget: number): PolicyInput {
  const base = new Fixture();
  const template = base.documents.filter(
    (document) =>
      ['Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy'].includes(document.object.kind) &&
      document.object.metadata.name === base.app,
  );
  const documents: ManifestDocument[] = [...base.documents];
  for (let index = 0; documents.length < objectTarget; index++) {
    for (const document of template) {
      const copy = JSON.parse(
        JSON.stringify(document).replaceAll(
          '"app.kubernetes.io/name":"orders-api"',
          `"aaa.example/shared":"yes","app.kubernetes.io/name":"worker-${index}"`,
        ),
      ) as ManifestDocument;
      copy.object.metadata.name = `worker-${index}`;
      copy.file = document.file.replace('orders-api.yaml', `worker-${index}.yaml`);
      documents.push(copy);
    }
  }
  return base.input({ documents });
}

// Speed is measured by `npm run bench` (BENCHMARKS.md), not asserted here: a timed test fails on a
// busy CI machine and proves nothing. These cases keep the fleet-sized inputs correct.
describe('fleet-sized inputs', () => {
  it('evaluates 3,500 objects across many namespaces with no finding', () => {
    const input = manyNamespaces(3500);
    expect(input.documents.length).toBeGreaterThanOrEqual(3500);
    expect(evaluate(input).findings).toEqual([]);
  });

  it('evaluates 3,500 objects in one crowded namespace with no finding', () => {
    expect(evaluate(oneCrowdedNamespace(3500)).findings).toEqual([]);
  });
});
