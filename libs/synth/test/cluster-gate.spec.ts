import { loadFleet } from '@aks-gitops/cluster-model';
import { evaluate, formatJson, mergeReports, policyClusterOf } from '@aks-gitops/policy';
import type { PolicyReport } from '@aks-gitops/policy';
import { synthesizeFleet } from '@aks-gitops/synth';
import { L7Api, defineApp } from '@aks-gitops/workloads';
import type { AppDefinition } from '@aks-gitops/workloads';
import { FLEET } from './reliability/support/scratch';

/*
 * synth gates each cluster as soon as it is rendered and drops its objects (so the heap holds one
 * cluster at a time), then merges the reports. That must be the very report one gate over the
 * whole fleet gives: same findings, same order, same summary.
 */

// The reliability suite's own clusters (a dev and a prod one), so nothing here pins the example fleet.
const fleet = loadFleet(FLEET);
const [dev, prod] = fleet.map((c) => c.name) as [string, string];

function api(
  name: string,
  props: { calls?: (cluster: string) => string[]; acceptCallsFrom?: (cluster: string) => string[] } = {},
) {
  return defineApp({
    name,
    deploy: ({ scope, cluster }) => {
      const calls = props.calls?.(cluster.name) ?? [];
      const accepts = props.acceptCallsFrom?.(cluster.name) ?? [];
      new L7Api(scope, 'api', {
        // A tag, not a digest: an error on the prod cluster, a warning on dev, so both clusters report.
        image: `ghcr.io/contoso/${name}:1.0.0`,
        port: 8080,
        routes: [{ host: `${name}.example.com` }],
        ...(calls.length ? { calls } : {}),
        ...(accepts.length ? { acceptCallsFrom: accepts } : {}),
      });
    },
  });
}

function gatedPerCluster(apps: readonly AppDefinition[]): { report: PolicyReport; kept: number } {
  const reports: PolicyReport[] = [];
  const out = synthesizeFleet({
    clusters: fleet,
    apps,
    onCluster: ({ cluster, documents, units }) =>
      reports.push(evaluate({ documents, clusters: [policyClusterOf(cluster)], existingPaths: new Set(units) })),
  });
  return {
    report: mergeReports(
      reports,
      fleet.map((c) => c.name),
    ),
    kept: out.documents.length,
  };
}

function gatedAtOnce(apps: readonly AppDefinition[]): PolicyReport {
  const out = synthesizeFleet({ clusters: fleet, apps });
  return evaluate({
    documents: out.documents,
    clusters: fleet.map(policyClusterOf),
    existingPaths: new Set(out.units.keys()),
  });
}

describe('the policy gate, one cluster at a time', () => {
  const apps = [
    api('shop-api', { calls: () => ['stock-api'] }),
    api('stock-api', { acceptCallsFrom: () => ['shop-api'] }),
  ];

  it('gives the report one gate over the whole fleet gives, byte for byte', () => {
    const once = gatedAtOnce(apps);
    const { report, kept } = gatedPerCluster(apps);
    expect(formatJson(report)).toBe(formatJson(once));
    // The fixture is judged on both clusters, with blocking findings on prod: a real comparison.
    expect(once.summary.map((s) => s.cluster)).toEqual([dev, prod].sort());
    expect(once.summary.every((s) => s.objects > 0)).toBe(true);
    expect(once.ok).toBe(false);
    // Handed over, not kept.
    expect(kept).toBe(0);
  });

  it('summarizes a fleet cluster that was not rendered (--cluster) with no objects, as before', () => {
    const reports: PolicyReport[] = [];
    synthesizeFleet({
      clusters: fleet,
      apps,
      onlyClusters: [dev],
      onCluster: ({ cluster, documents, units }) =>
        reports.push(evaluate({ documents, clusters: [policyClusterOf(cluster)], existingPaths: new Set(units) })),
    });
    const merged = mergeReports(
      reports,
      fleet.map((c) => c.name),
    );
    expect(merged.summary.find((s) => s.cluster === prod)).toEqual({
      cluster: prod,
      objects: 0,
      errors: 0,
      warnings: 0,
      waived: 0,
    });
  });
});

describe('what a synth of some apps owns', () => {
  it('a caller rendered on one cluster does not own its folder on a cluster where it was not rendered (synth --app must not delete it there)', () => {
    // shop-api calls stock-api on prod only: `synth --app stock-api` renders shop-api on prod.
    const out = synthesizeFleet({
      clusters: fleet,
      apps: [
        api('shop-api', { calls: (c) => (c === prod ? ['stock-api'] : []) }),
        api('stock-api', { acceptCallsFrom: (c) => (c === prod ? ['shop-api'] : []) }),
      ],
      onlyApps: ['stock-api'],
    });
    expect(out.units.has(`clusters/${prod}/shop-api`)).toBe(true);
    expect(out.owns(`clusters/${prod}/shop-api`)).toBe(true);
    expect(out.units.has(`clusters/${dev}/shop-api`)).toBe(false);
    expect(out.owns(`clusters/${dev}/shop-api`)).toBe(false);
    expect(out.owns(`clusters/${dev}/stock-api`)).toBe(true);
  });
});
