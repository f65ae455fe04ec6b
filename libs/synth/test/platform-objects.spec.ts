import {
  CLUSTERS,
  PLATFORM_OBJECTS_IN_APP_NAMESPACE,
  apiGroupOf,
  platformObjectName,
  usesLocalDns,
  type ClusterSpec,
  type ManifestDocument,
  type PlatformObject,
} from '@aks-gitops/cluster-model';
import { synthesize } from '@aks-gitops/synth';
import { EXAMPLE_APPS } from './scratch';

/*
 * What the platform puts into an app's namespace is declared once (PLATFORM_OBJECTS_IN_APP_NAMESPACE
 * in libs/cluster-model/src/tenancy.ts): the baseline names its objects from it and the policy gate
 * allows exactly it there (namespace-owned-by-app). This synthesizes a fleet and holds what synth
 * really writes to the declaration both ways, so a baseline object added without declaring it (or a
 * declared one the baseline no longer writes) fails here, not on the first cluster that happens to
 * render it. A baseline object that appears only on some clusters needs a cluster here that renders it.
 */

/**
 * The example fleet as it is, and again with AKS LocalDNS on every cluster: on Cilium clusters the
 * baseline then adds the node-local DNS egress policy (a CiliumNetworkPolicy).
 */
const FLEETS: readonly (readonly ClusterSpec[])[] = [
  CLUSTERS,
  CLUSTERS.map((cluster) => ({ ...cluster, network: { ...cluster.network, localDns: true } })),
];

const DECLARED: readonly PlatformObject[] = Object.values(PLATFORM_OBJECTS_IN_APP_NAMESPACE);
const APPS: ReadonlySet<string> = new Set(EXAMPLE_APPS.map((app) => app.name));

/** `clusters/<cluster>/<folder>/...` -> `<folder>` (undefined for flux/ and other files). */
function folderOf(file: string): string | undefined {
  const parts = file.split('/');
  return parts[0] === 'clusters' ? parts[2] : undefined;
}

function declares(declared: PlatformObject, document: ManifestDocument, app: string): boolean {
  const { object } = document;
  return (
    declared.group === apiGroupOf(object.apiVersion) &&
    declared.kind === object.kind &&
    platformObjectName(declared, app) === object.metadata.name
  );
}

function describeDocument({ file, object }: ManifestDocument): string {
  return `${object.apiVersion} ${object.kind} ${object.metadata.namespace}/${object.metadata.name} (${file})`;
}

describe("the platform's objects in app namespaces are exactly the declared ones", () => {
  /** Each fleet's documents, with the fleet it came from. */
  const synthesized = FLEETS.map((clusters) => ({
    clusters,
    documents: synthesize({ root: '/nonexistent', clusters, apps: EXAMPLE_APPS }).documents,
  }));
  const documents = synthesized.flatMap((run) => run.documents);
  /** Every object synth writes into an app's namespace from outside the app's own folder. */
  const platformWritten = documents.filter((document) => {
    const namespace = document.object.metadata.namespace;
    return namespace !== undefined && APPS.has(namespace) && folderOf(document.file) !== namespace;
  });

  it('the fleets have app namespaces on every cluster, and a Cilium cluster with LocalDNS', () => {
    for (const cluster of CLUSTERS)
      expect(platformWritten.some((document) => document.file.startsWith(`clusters/${cluster.name}/`))).toBe(true);
    expect(FLEETS.flat().some((cluster) => cluster.networkPolicyEngine === 'cilium' && usesLocalDns(cluster))).toBe(
      true,
    );
  });

  it('every object the platform writes into an app namespace is declared, and comes from the baseline folder', () => {
    const undeclared = platformWritten.filter(
      (document) =>
        !DECLARED.some((declared) => declares(declared, document, document.object.metadata.namespace as string)),
    );
    expect(undeclared.map(describeDocument)).toEqual([]);
    expect(platformWritten.filter((document) => folderOf(document.file) !== 'platform').map(describeDocument)).toEqual(
      [],
    );
  });

  it('every declared object is written by the baseline (into every app namespace, or on the clusters that need it)', () => {
    const neverWritten = DECLARED.filter(
      (declared) =>
        !platformWritten.some((document) => declares(declared, document, document.object.metadata.namespace as string)),
    );
    expect(neverWritten.map((declared) => `${declared.kind} ${declared.name}`)).toEqual([]);
  });

  it('each app namespace gets all of them on every cluster but the LocalDNS policy, which only Cilium with LocalDNS gets', () => {
    for (const { clusters, documents: fleetDocuments } of synthesized) {
      for (const cluster of clusters) {
        const inCluster = fleetDocuments.filter((document) => document.file.startsWith(`clusters/${cluster.name}/`));
        const expected = DECLARED.filter(
          (declared) =>
            declared !== PLATFORM_OBJECTS_IN_APP_NAMESPACE.allowLocalDns ||
            (cluster.networkPolicyEngine === 'cilium' && usesLocalDns(cluster)),
        );
        const apps = new Set(
          inCluster
            .map((document) => folderOf(document.file))
            .filter((folder): folder is string => folder !== undefined && APPS.has(folder)),
        );
        for (const app of apps) {
          const written = inCluster.filter(
            (document) => document.object.metadata.namespace === app && folderOf(document.file) === 'platform',
          );
          const missing = expected.filter((declared) => !written.some((document) => declares(declared, document, app)));
          expect({ cluster: cluster.name, app, missing }).toEqual({ cluster: cluster.name, app, missing: [] });
        }
      }
    }
  });
});
