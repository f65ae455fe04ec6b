/**
 * Test harness: declares apps on one ClusterSpec exactly as the synth driver does (one AppChart
 * per app sharing a ClusterRegistry, then `registry.finalize()`, then `chart.toJson()`), and
 * hands back the objects so a test can read like the README: a scenario, then expectations.
 */
import { App } from 'cdk8s';
import { CLUSTERS, ConfigError } from '@aks-gitops/cluster-model';
import type { ClusterSpec, ConfigErrorDetails, KubeObject } from '@aks-gitops/cluster-model';
import { AppChart, ClusterRegistry } from '../../src';
import type { AppContext } from '../../src';

export type Deploy = (ctx: AppContext) => void;

/**
 * A synthesized object as tests read it: loose JSON, so an expectation can reach any depth
 * (`toBeUndefined()` checks what is absent). KubeObject says what every object has.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Pick<KubeObject, 'apiVersion' | 'kind'> & { metadata: any; spec: any; [key: string]: any };

export interface Declared {
  readonly cluster: ClusterSpec;
  readonly registry: ClusterRegistry;
  /** Every object of every app, in chart order. */
  readonly objects: Obj[];
  /** Objects per app folder (the chart that created them). */
  readonly byApp: Map<string, Obj[]>;
  /** The one object of that kind and name (and namespace, when given); throws otherwise. */
  get(kind: string, name: string, namespace?: string): Obj;
  /** The object, or undefined. */
  find(kind: string, name: string, namespace?: string): Obj | undefined;
  /** Every object of a kind. */
  all(kind: string): Obj[];
  /** `Kind/namespace/name` of every object of an app, sorted: "exactly these objects". */
  inventory(app: string): string[];
}

/**
 * The example clusters without their topology choices (shared frontends, Front Door, the App
 * Gateway's private frontend): the construct tests read them as plain AGC and AGIC clusters, and
 * the topology options have their own tests (topology.spec.ts), so moving an example app between
 * frontends changes no expectation here.
 */
export const DEV = withoutTopology(clusterNamed('aks-dev-weu'));
export const PROD = withoutTopology(clusterNamed('aks-prod-weu'));

function withoutTopology(c: ClusterSpec): ClusterSpec {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { sharedFrontends, frontendAssignments, frontDoor, ...rest } = c;
  if (c.l7.kind !== 'agic') return rest;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { usePrivateIp, ...l7 } = c.l7;
  return { ...rest, l7 };
}

export function clusterNamed(name: string): ClusterSpec {
  const c = CLUSTERS.find((x) => x.name === name);
  if (!c) throw new Error(`no example cluster ${name}`);
  return c;
}

/** Declares `apps` (app name -> deploy code) on `cluster`, in the given order. */
export function declare(cluster: ClusterSpec, apps: Record<string, Deploy>): Declared {
  const cdk = new App({ outdir: '/dev/null' });
  const registry = new ClusterRegistry(cluster);
  const charts = new Map<string, AppChart>();
  for (const [app, deploy] of Object.entries(apps)) {
    const chart = new AppChart(cdk, { cluster, app, registry });
    deploy({ cluster, scope: chart, app });
    charts.set(app, chart);
  }
  registry.finalize();
  const byApp = new Map<string, Obj[]>();
  for (const [app, chart] of charts) byApp.set(app, chart.toJson() as Obj[]);
  const objects = [...byApp.values()].flat();
  const matches = (kind: string, name: string, namespace?: string) =>
    objects.filter(
      (o) =>
        o.kind === kind && o.metadata.name === name && (namespace === undefined || o.metadata.namespace === namespace),
    );
  return {
    cluster,
    registry,
    objects,
    byApp,
    find: (kind, name, namespace) => {
      const m = matches(kind, name, namespace);
      if (m.length > 1)
        throw new Error(`${m.length} objects ${kind}/${name}${namespace ? ` in ${namespace}` : ''}; pass a namespace`);
      return m[0];
    },
    get: (kind, name, namespace) => {
      const m = matches(kind, name, namespace);
      if (m.length !== 1) {
        const have = objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).join(', ');
        throw new Error(
          `expected one ${kind}/${name}${namespace ? ` in ${namespace}` : ''}, found ${m.length}; objects: ${have}`,
        );
      }
      return m[0];
    },
    all: (kind) => objects.filter((o) => o.kind === kind),
    inventory: (app) =>
      (byApp.get(app) ?? []).map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort(),
  };
}

/** Declares a single app named `app` on `cluster`. */
export function declareOne(cluster: ClusterSpec, app: string, deploy: Deploy): Declared {
  return declare(cluster, { [app]: deploy });
}

/** Runs `fn` and returns the ConfigError it throws (fails the test if it throws nothing or something else). */
export function configErrorOf(fn: () => unknown): ConfigError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  if (thrown === undefined) throw new Error('expected a ConfigError, but nothing was thrown');
  if (!ConfigError.is(thrown))
    throw new Error(
      `expected a ConfigError, got ${thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : String(thrown)}`,
    );
  return thrown;
}

/**
 * Asserts the error names the cluster, the app and the field path, in its details and in the
 * printed message, and that the problem matches.
 */
export function expectConfigError(
  fn: () => unknown,
  expected: { cluster: string; app: string; field: string; problem: RegExp | string },
): ConfigErrorDetails {
  const e = configErrorOf(fn);
  expect(e.details.cluster).toBe(expected.cluster);
  expect(e.details.app).toBe(expected.app);
  expect(e.details.field).toBe(expected.field);
  if (typeof expected.problem === 'string') expect(e.details.problem).toContain(expected.problem);
  else expect(e.details.problem).toMatch(expected.problem);
  expect(e.message).toContain(`cluster ${expected.cluster}`);
  expect(e.message).toContain(`app ${expected.app}`);
  expect(e.message).toContain(`field ${expected.field}`);
  expect(e.details.fix.length).toBeGreaterThan(0);
  return e.details;
}

/** The pod template spec of a Deployment or StatefulSet. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function podSpec(workload: Obj): any {
  return workload.spec.template.spec;
}

/** The single container of a workload. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function container(workload: Obj): any {
  const cs = podSpec(workload).containers;
  expect(cs).toHaveLength(1);
  return cs[0];
}

export function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}
