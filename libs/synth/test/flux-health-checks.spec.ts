import { isCelError, run } from '@bufbuild/cel';
import type { CelInput } from '@bufbuild/cel';
import { AGC_GATEWAY_CLASS, CLUSTERS } from '@aks-gitops/cluster-model';
import type { ClusterSpec, KubeObject } from '@aks-gitops/cluster-model';
import { synthesizeFleet } from '@aks-gitops/synth';
import { validateObjects } from '@aks-gitops/validation';
import { EXAMPLE_APPS } from './scratch';

/**
 * Flux's `wait: true` on every app's Kustomization: kstatus reads the built-in kinds (rollouts,
 * replicas, load balancer addresses), but calls a custom resource without top-level Ready/Reconciling
 * conditions healthy as soon as it is applied. So each app's Kustomization carries
 * `healthCheckExprs` (Flux 2.5+, kustomize-controller v1) for the custom resources its folder holds.
 */
type Expr = { apiVersion: string; kind: string; current: string; failed?: string; inProgress?: string };
type Health = 'Current' | 'InProgress' | 'Failed' | 'Unknown';

const output = synthesizeFleet({ clusters: CLUSTERS, apps: EXAMPLE_APPS });
const objectsIn = (file: RegExp) => output.documents.filter((d) => file.test(d.file)).map((d) => d.object);
const kustomizationOf = (cluster: string, app: string): KubeObject =>
  objectsIn(new RegExp(`^clusters/${cluster}/platform/`)).find(
    (o) => o.kind === 'Kustomization' && o.metadata.name === app,
  )!;
const exprsOf = (k: KubeObject): Expr[] => ((k.spec as { healthCheckExprs?: Expr[] }).healthCheckExprs ?? []) as Expr[];
const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
/** Kinds Kubernetes itself serves (kstatus knows them); everything else in an app folder is a custom resource. */
const BUILT_IN_GROUPS = new Set([
  '',
  'apps',
  'autoscaling',
  'policy',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
]);

/** Plain JSON as the controller hands it to CEL: objects are maps, whole numbers are ints. */
function toCel(v: unknown): CelInput {
  if (Array.isArray(v)) return v.map(toCel);
  if (v !== null && typeof v === 'object')
    return new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, toCel(x)]));
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return v as CelInput;
}

/**
 * What kustomize-controller decides for one object with these expressions (fluxcd/pkg runtime/cel
 * StatusEvaluator, RFC-0009): a stale `status.observedGeneration` is in progress; then inProgress,
 * failed, current in that order, the first true one wins; none true is in progress; an evaluation
 * error (a field not written yet) is Unknown, which `wait` treats as not ready until the timeout.
 * The expressions run on a real CEL implementation (@bufbuild/cel), top-level fields as variables.
 */
function fluxHealth(expr: Expr, obj: Record<string, unknown>): Health {
  const status = obj.status as { observedGeneration?: number } | undefined;
  const generation = (obj.metadata as { generation?: number }).generation;
  if (status?.observedGeneration !== undefined && status.observedGeneration !== generation) return 'InProgress';
  const vars = Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, toCel(v)]));
  for (const [source, health] of [
    [expr.inProgress, 'InProgress'],
    [expr.failed, 'Failed'],
    [expr.current, 'Current'],
  ] as const) {
    if (!source) continue;
    const result = run(source, vars);
    if (isCelError(result)) return 'Unknown';
    if (typeof result !== 'boolean') throw new Error(`${expr.kind}: "${source}" is not a boolean expression`);
    if (result) return health;
  }
  return 'InProgress';
}

const cond = (type: string, status: string, reason: string, observedGeneration = 2) => ({
  type,
  status,
  reason,
  message: '',
  lastTransitionTime: '2026-01-01T00:00:00Z',
  observedGeneration,
});
const object = (status?: unknown) => ({
  apiVersion: 'x/v1',
  kind: 'X',
  metadata: { name: 'orders-api', namespace: 'orders-api', generation: 2 },
  spec: {},
  ...(status === undefined ? {} : { status }),
});

const gatewayApi = CLUSTERS.find((c) => c.l7.kind === 'gateway-api' && c.l7.gatewayClassName === AGC_GATEWAY_CLASS);
const agic = CLUSTERS.find((c) => c.l7.kind === 'agic');

describe('Flux health checks: wait: true covers the custom resources each app creates', () => {
  it('the example fleet has a cluster of each L7 provider (else these tests would prove nothing)', () => {
    expect(gatewayApi).toBeDefined();
    expect(agic).toBeDefined();
  });

  it.each(CLUSTERS.map((c) => [c.name, c] as const))(
    'on %s every custom resource kind in an app folder has an expression, except SecretProviderClass, which has no status',
    (_name, cluster: ClusterSpec) => {
      for (const app of EXAMPLE_APPS.map((a) => a.name)) {
        const folder = objectsIn(new RegExp(`^clusters/${cluster.name}/${app}/`));
        if (folder.length === 0) continue;
        const custom = new Set(
          folder.filter((o) => !BUILT_IN_GROUPS.has(groupOf(o.apiVersion))).map((o) => `${o.apiVersion}/${o.kind}`),
        );
        const covered = new Set(exprsOf(kustomizationOf(cluster.name, app)).map((e) => `${e.apiVersion}/${e.kind}`));
        for (const kind of custom) {
          if (kind === 'secrets-store.csi.x-k8s.io/v1/SecretProviderClass') expect(covered.has(kind)).toBe(false);
          else expect([app, kind, covered.has(kind)]).toEqual([app, kind, true]);
        }
      }
    },
  );

  it('an API on the AGC cluster gets HTTPRoute and the three AGC policies; AGIC clusters, L4 apps and the platform get none', () => {
    const l7App = EXAMPLE_APPS.map((a) => a.name).find((app) =>
      objectsIn(new RegExp(`^clusters/${gatewayApi!.name}/${app}/`)).some((o) => o.kind === 'HTTPRoute'),
    )!;
    expect(exprsOf(kustomizationOf(gatewayApi!.name, l7App)).map((e) => `${e.apiVersion}/${e.kind}`)).toEqual([
      'alb.networking.azure.io/v1/BackendTLSPolicy',
      'alb.networking.azure.io/v1/HealthCheckPolicy',
      'alb.networking.azure.io/v1/WebApplicationFirewallPolicy',
      'gateway.networking.k8s.io/v1/HTTPRoute',
    ]);
    const l4App = EXAMPLE_APPS.map((a) => a.name).find(
      (app) =>
        objectsIn(new RegExp(`^clusters/${gatewayApi!.name}/${app}/`)).length > 0 &&
        !objectsIn(new RegExp(`^clusters/${gatewayApi!.name}/${app}/`)).some((o) => o.kind === 'HTTPRoute'),
    )!;
    expect(l4App).toBeDefined();
    expect(exprsOf(kustomizationOf(gatewayApi!.name, l4App))).toEqual([]);
    for (const app of EXAMPLE_APPS.map((a) => a.name)) {
      const k = kustomizationOf(agic!.name, app);
      if (k) expect(exprsOf(k)).toEqual([]);
    }
    const platform = objectsIn(/^flux\//).filter((o) => o.kind === 'Kustomization');
    expect(platform.length).toBeGreaterThan(0);
    for (const k of platform) expect(exprsOf(k)).toEqual([]);
  });

  it('every Kustomization passes the kustomize-controller v1 CRD schema, which really checks healthCheckExprs', () => {
    const all = output.documents.map((d) => d.object).filter((o) => o.kind === 'Kustomization');
    expect(all.some((k) => exprsOf(k).length > 0)).toBe(true);
    expect(validateObjects(all)).toEqual([]);
    const withExprs = all.find((k) => exprsOf(k).length > 0)!;
    const misspelt = {
      ...withExprs,
      spec: { ...(withExprs.spec as object), healthCheckExprs: [{ apiVersion: 'x/v1', kind: 'X', curent: 'true' }] },
    };
    expect(validateObjects([misspelt]).map((p) => p.path)).toEqual(
      expect.arrayContaining(['spec.healthCheckExprs[0].curent']),
    );
  });

  describe('what Flux decides from the expressions (evaluated with a CEL implementation)', () => {
    const exprs = exprsOf(
      kustomizationOf(
        gatewayApi!.name,
        EXAMPLE_APPS.map((a) => a.name).find((app) => exprsOf(kustomizationOf(gatewayApi!.name, app)).length)!,
      ),
    );
    const byKind = (kind: string) => exprs.find((e) => e.kind === kind)!;

    it('HTTPRoute: ready only when every parent Gateway accepted it for this generation and no backend is unresolved', () => {
      const route = byKind('HTTPRoute');
      const parent = (...conditions: unknown[]) => ({ parentRef: { name: 'shared' }, controllerName: 'x', conditions });
      const accepted = cond('Accepted', 'True', 'Accepted');
      const resolved = cond('ResolvedRefs', 'True', 'ResolvedRefs');
      expect(fluxHealth(route, object({ parents: [parent(accepted, resolved)] }))).toBe('Current');
      expect(fluxHealth(route, object({ parents: [parent(accepted, resolved), parent(accepted, resolved)] }))).toBe(
        'Current',
      );
      // No controller has written a status yet: not ready (Unknown until the timeout), never "healthy".
      expect(fluxHealth(route, object())).toBe('Unknown');
      expect(fluxHealth(route, object({ parents: [] }))).toBe('InProgress');
      // Accepted for the previous spec only.
      expect(fluxHealth(route, object({ parents: [parent(cond('Accepted', 'True', 'Accepted', 1), resolved)] }))).toBe(
        'InProgress',
      );
      // Backend not resolved yet (the Service comes in the same apply): wait, do not fail.
      expect(
        fluxHealth(route, object({ parents: [parent(accepted, cond('ResolvedRefs', 'False', 'BackendNotFound'))] })),
      ).toBe('InProgress');
      // The Gateway refuses the route (e.g. no listener for its host): failed at once.
      expect(
        fluxHealth(
          route,
          object({
            parents: [
              parent(accepted, resolved),
              parent(cond('Accepted', 'False', 'NoMatchingListenerHostname'), resolved),
            ],
          }),
        ),
      ).toBe('Failed');
      // A controller that writes no ResolvedRefs condition (the API does not require it): accepted is enough.
      expect(fluxHealth(route, object({ parents: [parent(accepted)] }))).toBe('Current');
      // Conditions without observedGeneration (optional in the API) are read as current.
      const noGeneration: Partial<typeof accepted> = { ...accepted };
      delete noGeneration.observedGeneration;
      expect(fluxHealth(route, object({ parents: [parent(noGeneration, resolved)] }))).toBe('Current');
    });

    it.each(['BackendTLSPolicy', 'HealthCheckPolicy', 'WebApplicationFirewallPolicy'])(
      'AGC %s: ready only when the ALB Controller accepted it; its CRD default ("Waiting for controller") is not ready',
      (kind) => {
        const policy = byKind(kind);
        expect(policy.apiVersion).toBe('alb.networking.azure.io/v1');
        const conditions = (...c: unknown[]) => object({ conditions: c });
        // What the API server stores before the controller looked (the CRD's status default).
        expect(fluxHealth(policy, conditions(cond('Accepted', 'Unknown', 'Pending', 0)))).toBe('InProgress');
        expect(fluxHealth(policy, conditions(cond('Accepted', 'True', 'Accepted')))).toBe('Current');
        expect(fluxHealth(policy, conditions(cond('Accepted', 'True', 'Accepted', 1)))).toBe('InProgress');
        expect(fluxHealth(policy, conditions(cond('Accepted', 'False', 'Invalid')))).toBe('Failed');
        // Its target Service is applied in the same reconciliation: wait for it, do not fail.
        expect(fluxHealth(policy, conditions(cond('Accepted', 'False', 'TargetNotFound')))).toBe('InProgress');
      },
    );
  });
});
