import { App } from 'cdk8s';
import type { ApiObject } from 'cdk8s';
import type { ClusterSpec, KubeObject, ManifestDocument } from '@aks-gitops/cluster-model';
import {
  ALLOCATIONS_FILE,
  BASELINE_FOLDER,
  ClusterBaseline,
  EMPTY_ALLOCATIONS,
  allocationsJson,
} from '@aks-gitops/workloads';
import type { AppClaims, AppDefinition, ClusterRegistry } from '@aks-gitops/workloads';
import { FLUX_BOOTSTRAP_FOLDER } from '@aks-gitops/cluster-model';
import type { Unit } from '../output-unit';
import { azureEdgeFiles, AZURE_FOLDER } from './azure/azure-edge-files';
import { frontDoorFiles } from './azure/front-door-files';
import { TOPOLOGY_PAGE_FILE, topologyPage } from './azure/topology-page';
import { trafficMap } from './azure/traffic-diagram';
import { fluxFiles } from './flux/flux-wiring';
import type { FluxFile } from './flux/flux-wiring';
import { fluxNotificationsFile } from './flux/flux-notifications';
import { MANIFEST_FILE, manifestText, renderUnit } from './manifest-file';
import { renderChart } from './render-object';
import { kustomizationYaml, sortKeys } from './yaml-output';

/**
 * A cluster's cluster-wide units: `clusters/<c>/platform` (the baseline: every app's namespace,
 * default-deny and Flux tenancy, the shared Gateway), `clusters/<c>/azure` (the edge, diagrams,
 * allocations) and `flux/<c>`. They are a function of the fleet, the libraries and every app's
 * claims on the cluster (the registry), never of an app's objects: so `synth --changed` keeps them
 * when no declared app's claims changed (see SynthRequest.lastWrite), and gates the rendered apps
 * against their namespaces' part only (clusterWideContext).
 */
export interface ClusterWideInput {
  readonly cluster: ClusterSpec;
  /** Finalized: every app of the fleet declared or replayed. */
  readonly registry: ClusterRegistry;
  /** The apps deployed on this cluster (they get a namespace and a Flux Kustomization). */
  readonly deployed: readonly string[];
  readonly render: (o: ApiObject) => KubeObject;
  /** flux/<cluster>/flux-system exists (`flux bootstrap`): flux/<cluster>/kustomization.yaml lists it. */
  readonly bootstrapped: boolean;
}

/**
 * What the cluster-wide units on disk were last written from (`synth --changed`, from the rendered
 * record and the claims cache). A cluster's units are kept, not rendered, when they are as written
 * and every app declared this run makes the same claims there as when they were written: they are
 * a function of the claims (see ClusterWideInput), so rendering them again would give the same bytes.
 */
export interface LastWrite {
  /** clusters/<c>/platform, clusters/<c>/azure and flux/<c> are as written, bootstrapped as then. */
  clusterWideAsWritten(cluster: string, bootstrapped: boolean): boolean;
  codeownersAsWritten(): boolean;
  /** An app's claims per cluster and its owners when they were written; undefined if unknown. */
  recorded(
    app: string,
  ): { readonly clusters: Readonly<Record<string, AppClaims>>; readonly owners: readonly string[] } | undefined;
}

/**
 * Whether a cluster's cluster-wide units can stay as written: they are as written, and every app
 * declared this run (`declared`, with their fresh `claims`) claims there what it claimed then.
 */
export function keepsClusterWide(
  lastWrite: LastWrite,
  input: ClusterWideInput,
  declared: readonly string[],
  claims: ReadonlyMap<string, Readonly<Record<string, AppClaims>>>,
): boolean {
  const cluster = input.cluster.name;
  return (
    lastWrite.clusterWideAsWritten(cluster, input.bootstrapped) &&
    declared.every((app) => sameJson(claims.get(app)?.[cluster], lastWrite.recorded(app)?.clusters[cluster]))
  );
}

/** Whether `.github/CODEOWNERS` can stay as written: as written, and no declared app's owners changed. */
export function keepsCodeowners(
  lastWrite: LastWrite,
  declared: readonly Pick<AppDefinition, 'name' | 'owners'>[],
): boolean {
  return (
    lastWrite.codeownersAsWritten() &&
    declared.every((app) => sameJson(app.owners ?? [], lastWrite.recorded(app.name)?.owners))
  );
}

/** Same claims: compared as canonical JSON (key order is not part of a claim). */
function sameJson(a: unknown, b: unknown): boolean {
  return b !== undefined && canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** cdk8s Apps need an outdir; synth never lets cdk8s write (it renders to memory). */
const OUTDIR_UNUSED = '/dev/null';

interface ClusterWideObjects {
  readonly baseline: KubeObject[];
  readonly flux: FluxFile[];
}

function clusterWideObjects(
  { cluster, registry, deployed, render }: ClusterWideInput,
  includeNamespace?: (namespace: string) => boolean,
): ClusterWideObjects {
  const chart = new ClusterBaseline(new App({ outdir: OUTDIR_UNUSED }), {
    cluster,
    registry,
    apps: [...deployed],
    includeNamespace,
  });
  const baseline = [...renderChart(chart, render), ...chart.namespaceManifests];
  const flux = fluxFiles(cluster);
  // Alerts over the platform's Kustomization and every app's (in the app's namespace, from the baseline).
  flux.push(
    fluxNotificationsFile(cluster, [
      ...flux.flatMap((f) => f.objects),
      ...baseline.filter((o) => o.kind === 'Kustomization'),
    ]),
  );
  return { baseline, flux };
}

/** Renders the three units, hands each to `emit`, adds their objects to `documents`; returns the object count. */
export function renderClusterWide(
  input: ClusterWideInput,
  emit: (unitPath: string, unit: Unit) => void,
  documents: ManifestDocument[],
): number {
  const { cluster, registry } = input;
  const { baseline, flux } = clusterWideObjects(input);
  const platform = `clusters/${cluster.name}/${BASELINE_FOLDER}`;
  emit(platform, renderUnit(baseline, platform, `the cluster baseline (libs/workloads ClusterBaseline)`, documents));

  const edge = azureEdgeFiles(cluster, registry);
  for (const [file, text] of trafficMap(cluster, registry)) edge.set(file, text);
  for (const [file, text] of frontDoorFiles(cluster, registry)) edge.set(file, text);
  edge.set(TOPOLOGY_PAGE_FILE, topologyPage(cluster, registry));
  edge.set(ALLOCATIONS_FILE, allocationsJson(cluster, registry.allocations ?? EMPTY_ALLOCATIONS));
  emit(`clusters/${cluster.name}/${AZURE_FOLDER}`, edge);

  const fluxUnit: Unit = new Map();
  const header = `Generated by aks-gitops (npm run synth) for cluster ${cluster.name}. Do not edit.`;
  for (const f of flux) {
    fluxUnit.set(f.file, manifestText(header, f.objects.map(sortKeys)));
    for (const obj of f.objects) documents.push({ file: `flux/${cluster.name}/${f.file}`, object: obj });
  }
  const bootstrap = input.bootstrapped ? [FLUX_BOOTSTRAP_FOLDER] : [];
  fluxUnit.set('kustomization.yaml', kustomizationYaml([...flux.map((f) => f.file), ...bootstrap], header));
  emit(`flux/${cluster.name}`, fluxUnit);
  return baseline.length + flux.reduce((n, f) => n + f.objects.length, 0);
}

/**
 * What the policy gate needs beside the rendered apps when the cluster-wide units are kept: their
 * objects, except those that belong to an app not rendered this run (its namespace, and what lives
 * in it). The rendered apps are then judged with everything around them (their namespace, its
 * default-deny, their Flux tenancy, the shared Gateway, cluster-scoped objects), as a full synth
 * judges them; the kept units were judged when they were written, from the same claims.
 */
export function clusterWideContext(
  input: ClusterWideInput,
  rendered: ReadonlySet<string>,
  documents: ManifestDocument[],
): void {
  const { cluster, registry, deployed } = input;
  const renderedNamespaces = new Set<string>();
  for (const app of rendered) {
    renderedNamespaces.add(app);
    for (const w of registry.workloadsOf(app)) renderedNamespaces.add(w.namespace);
  }
  const others = new Set<string>();
  for (const app of deployed) {
    if (rendered.has(app)) continue;
    for (const ns of [app, ...registry.workloadsOf(app).map((w) => w.namespace)])
      if (!renderedNamespaces.has(ns)) others.add(ns);
  }
  // Built without the other apps' namespaces, so their Flux objects and alerts are left out too.
  const { baseline, flux } = clusterWideObjects(input, (ns) => !others.has(ns));
  const platformFile = `clusters/${cluster.name}/${BASELINE_FOLDER}/${MANIFEST_FILE}`;
  for (const object of baseline) documents.push({ file: platformFile, object });
  for (const f of flux) {
    for (const object of f.objects) documents.push({ file: `flux/${cluster.name}/${f.file}`, object });
  }
}
