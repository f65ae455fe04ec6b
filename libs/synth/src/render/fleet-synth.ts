import { App } from 'cdk8s';
import type { ApiObject } from 'cdk8s';
import { ConfigError, RESERVED_NAMESPACES } from '@aks-gitops/cluster-model';
import type { ClusterSpec, KubeObject, ManifestDocument } from '@aks-gitops/cluster-model';
import { AppChart, BASELINE_FOLDER, ClusterRegistry, parseAllocations } from '@aks-gitops/workloads';
import type { AppClaims, AppDefinition } from '@aks-gitops/workloads';
import { enforceAppContract } from './app-output-contract';
import { AZURE_FOLDER } from './azure/azure-edge-files';
import { clusterWideContext, keepsClusterWide, keepsCodeowners, renderClusterWide } from './cluster-wide';
import type { LastWrite } from './cluster-wide';

export type { LastWrite } from './cluster-wide';
import { CODEOWNERS_FILE, codeownersFor } from './codeowners';
import { renderChart, renderObject } from './render-object';
import { FILE_UNIT } from '../output-unit';
import type { RenderedUnits, Unit } from '../output-unit';
import { renderUnit } from './manifest-file';

export interface SynthRequest {
  /** The validated fleet. */
  readonly clusters: readonly ClusterSpec[];
  /** Apps to declare. With `replayed`, together they are every app in the repository, so cross-app checks always see the whole fleet. */
  readonly apps: readonly AppDefinition[];
  /**
   * Apps not declared this run, by name: their claims per cluster from an earlier declaration
   * (see ClaimsCache). Their folders are not rendered; an app whose folder must be rendered
   * (requested, or calling a requested app) has to be in `apps`.
   */
  readonly replayed?: ReadonlyMap<string, Readonly<Record<string, AppClaims>>>;
  /**
   * The `owners` of replayed apps, cached with their claims: with every replayed app's owners known,
   * `.github/CODEOWNERS` is written exactly as a full synth writes it (see codeownersFor).
   */
  readonly replayedOwners?: ReadonlyMap<string, readonly string[]>;
  /** Limit output to these clusters. */
  readonly onlyClusters?: readonly string[];
  /** Render only these apps (plus the apps that call them, whose folders hold the callee's ingress). */
  readonly onlyApps?: readonly string[];
  /** Called with each unit as soon as it is rendered (synth stages it while rendering goes on). */
  readonly onUnit?: (unitPath: string, unit: Unit) => void;
  /**
   * How an ApiObject becomes plain data.
   * @default renderObject (cdk8s' own rules in one pass); tests pass `(o) => o.toJson()` to prove both write the same bytes
   */
  readonly renderObject?: (o: ApiObject) => KubeObject;
  /**
   * Clusters bootstrapped with `flux bootstrap --path=flux/<cluster>` (their `flux/<cluster>/flux-system/`
   * exists): their flux/<cluster>/kustomization.yaml lists that folder, so Flux keeps managing itself.
   */
  readonly fluxBootstrapped?: ReadonlySet<string>;
  /**
   * Each cluster's allocations.json as committed (`address: 'auto'`): read back so allocated
   * addresses never move. Absent, or undefined for a cluster: nothing allocated yet.
   */
  readonly allocations?: (cluster: string) => string | undefined;
  /** With `onlyApps`: keep the cluster-wide units where nothing they depend on changed (see LastWrite). */
  readonly lastWrite?: LastWrite;
}

/** What rendering produced: the output tree as units (for writing), and what the checks and caches need. */
export interface SynthOutput extends RenderedUnits {
  readonly units: Map<string, Unit>;
  /** Every generated Kubernetes object, for the policy gate. */
  readonly documents: ManifestDocument[];
  /** The whole fleet (not only the selected clusters): the gate needs every cluster's environment. */
  readonly fleet: readonly ClusterSpec[];
  readonly stats: { readonly clusters: number; readonly apps: number; readonly objects: number };
  /** The claims of every declared app on every synthesized cluster, for ClaimsCache. */
  readonly claims: Map<string, Record<string, AppClaims>>;
  /** Clusters whose cluster-wide units were kept as written, not rendered (see LastWrite). */
  readonly kept: readonly string[];
}

/** cdk8s Apps need an outdir; synth never lets cdk8s write (it renders to memory). */
const OUTDIR_UNUSED = '/dev/null';
const RESERVED_APP_NAMES = new Set([BASELINE_FOLDER, AZURE_FOLDER, ...RESERVED_NAMESPACES]);

/**
 * Declares every app on every selected cluster, checks the fleet across apps, then renders the
 * requested folders to bytes in memory. Nothing here touches the disk: the caller gates and writes.
 */
export function synthesizeFleet(req: SynthRequest): SynthOutput {
  const clusters = req.clusters.filter((c) => !req.onlyClusters || req.onlyClusters.includes(c.name));
  for (const name of req.onlyClusters ?? []) {
    if (!req.clusters.some((c) => c.name === name)) {
      throw new ConfigError({
        cluster: name,
        field: '--cluster',
        problem: `no cluster named "${name}"`,
        fix: `use one of ${req.clusters.map((c) => c.name).join(', ')}`,
      });
    }
  }
  const definitions = new Map(req.apps.map((a) => [a.name, a]));
  if (definitions.size !== req.apps.length) {
    const dup = req.apps.find((a, i) => req.apps.findIndex((b) => b.name === a.name) !== i)?.name ?? '';
    throw new ConfigError({ app: dup, field: 'name', problem: 'is defined twice', fix: 'give every app its own name' });
  }
  const replayed = req.replayed ?? new Map<string, Readonly<Record<string, AppClaims>>>();
  const render = req.renderObject ?? renderObject;
  const appNames = [...new Set([...definitions.keys(), ...replayed.keys()])].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  for (const name of req.onlyApps ?? []) {
    if (!appNames.includes(name)) {
      throw new ConfigError({
        app: name,
        field: '--app',
        problem: `no app named "${name}"`,
        fix: `use one of ${appNames.join(', ')}`,
      });
    }
  }
  for (const name of appNames) {
    if (RESERVED_APP_NAMES.has(name)) {
      throw new ConfigError({
        app: name,
        field: 'name',
        problem: `"${name}" is reserved by the platform`,
        fix: 'choose another app name',
      });
    }
  }

  const units = new Map<string, Unit>();
  const emit = (unitPath: string, unit: Unit): void => {
    units.set(unitPath, unit);
    req.onUnit?.(unitPath, unit);
  };
  const documents: ManifestDocument[] = [];
  // A folder is owned (written or removed) only on the clusters where its app was rendered; the
  // cluster-wide units only where they were rendered (not kept).
  const renderedOn = new Map<string, Set<string>>();
  const kept = new Set<string>();
  const clusterNames = new Set(clusters.map((c) => c.name));
  const owns = (unitPath: string): boolean => {
    const [root, cluster, folder] = unitPath.split('/');
    if (root !== 'clusters' && root !== 'flux') return false;
    if (req.onlyClusters && !clusterNames.has(cluster)) return false;
    if (!req.onlyApps) return true;
    if (root === 'flux') return clusterNames.has(cluster) && !kept.has(cluster);
    const platform = folder === BASELINE_FOLDER || folder === AZURE_FOLDER;
    if (platform) return !kept.has(cluster);
    return renderedOn.get(cluster)?.has(folder) === true || req.onlyApps.includes(folder);
  };
  const lastWrite = req.onlyApps ? req.lastWrite : undefined;
  const claims = new Map<string, Record<string, AppClaims>>();
  let objects = 0;

  for (const cluster of clusters) {
    const renderedHere = new Set<string>();
    renderedOn.set(cluster.name, renderedHere);
    const registry = new ClusterRegistry(cluster);
    registry.knownApps = new Set(appNames);
    const allocations = req.allocations?.(cluster.name);
    if (allocations !== undefined) registry.previousAllocations = parseAllocations(allocations, cluster.name);
    const charts = new Map<string, AppChart>();
    const deployed: string[] = [];
    // In name order whether declared or replayed: the registry then holds every claim in the
    // order a full declaration would, so everything derived from it is the same.
    for (const name of appNames) {
      if (cluster.l7.kind === 'gateway-api' && cluster.l7.gateway.namespace === name) {
        throw new ConfigError({
          cluster: cluster.name,
          app: name,
          field: 'name',
          problem: `is the namespace of the cluster's shared Gateway`,
          fix: 'choose another app name',
        });
      }
      const app = definitions.get(name);
      if (!app) {
        const replay = replayed.get(name)?.[cluster.name];
        if (!replay) throw new Error(`internal: no claims of ${name} on cluster ${cluster.name} to replay`);
        registry.addClaims(name, replay);
        if (replay.deployed) deployed.push(name);
        continue;
      }
      // One cdk8s App per chart: Chart.toJson() prepares and validates its whole App, so one App
      // holding every chart of the fleet makes rendering quadratic in the number of apps.
      const chart = new AppChart(new App({ outdir: OUTDIR_UNUSED }), { cluster, app: name, registry });
      declare(app, chart);
      if (chart.node.children.length > 0) {
        charts.set(name, chart);
        deployed.push(name);
      }
    }
    registry.finalize();
    for (const [name, appClaims] of registry.claimsOf(definitions.keys(), (app) => charts.has(app))) {
      const perCluster = claims.get(name) ?? {};
      perCluster[cluster.name] = appClaims;
      claims.set(name, perCluster);
    }

    // Which app folders to render: all, or the requested apps and their callers.
    const selected = new Set<string>();
    for (const name of deployed) {
      if (!req.onlyApps || req.onlyApps.includes(name)) selected.add(name);
    }
    if (req.onlyApps) {
      // A caller's folder holds its egress to the callee's ports, a callee's folder its ingress
      // from the caller: a requested app's callers and callees are rendered with it.
      for (const call of registry.calls) {
        if (req.onlyApps.includes(call.targetApp)) selected.add(call.caller.app);
        if (req.onlyApps.includes(call.caller.app) && call.targetApp !== call.caller.app) selected.add(call.targetApp);
      }
    }

    for (const name of [...selected].sort()) {
      const chart = charts.get(name);
      if (!chart)
        throw new Error(`internal: ${name} must be rendered on ${cluster.name} but was replayed, not declared`);
      const objs = enforceAppContract(renderChart(chart, render), name, cluster.name);
      emit(
        `clusters/${cluster.name}/${name}`,
        renderUnit(objs, `clusters/${cluster.name}/${name}`, `apps/${name}`, documents),
      );
      renderedHere.add(name);
      objects += objs.length;
      // Rendered: its construct tree is garbage now. Kept until the cluster's loop ended, every
      // chart of a cluster stayed live while the output grew, and the heap (and GC work per
      // collection) with them: at 2,000 apps peak RSS passed 1 GB and GC made growth superlinear.
      charts.delete(name);
    }
    const wide = {
      cluster,
      registry,
      deployed,
      render,
      bootstrapped: req.fluxBootstrapped?.has(cluster.name) === true,
    };
    if (lastWrite && keepsClusterWide(lastWrite, wide, [...definitions.keys()], claims)) {
      kept.add(cluster.name);
      clusterWideContext(wide, renderedHere, documents);
    } else objects += renderClusterWide(wide, emit, documents);
  }

  const keepOwners = lastWrite !== undefined && keepsCodeowners(lastWrite, req.apps);
  const owners = keepOwners ? undefined : codeownersFor(req.apps, [...replayed.keys()], req.replayedOwners);
  if (owners !== undefined) emit(CODEOWNERS_FILE, new Map([[FILE_UNIT, owners]]));

  return {
    units,
    owns,
    documents,
    fleet: req.clusters,
    stats: { clusters: clusters.length, apps: new Set([...renderedOn.values()].flatMap((r) => [...r])).size, objects },
    claims,
    kept: [...kept],
  };
}

/** Runs an app's deploy function, turning anything it throws into an error naming the app. */
function declare(app: AppDefinition, chart: AppChart): void {
  try {
    app.deploy({ cluster: chart.cluster, scope: chart, app: app.name });
  } catch (e) {
    if (ConfigError.is(e)) throw e;
    const message = e instanceof Error ? e.message : String(e);
    throw new ConfigError({
      cluster: chart.cluster.name,
      app: app.name,
      field: 'deploy',
      problem: `threw: ${message}`,
      fix: `fix apps/${app.name}/src/index.ts (run with --debug for the stack)`,
      cause: e,
    });
  }
}
