import { loadFleet } from '@aks-gitops/cluster-model';
import { synthesizeFleet } from '@aks-gitops/synth';
import { L7Api, defineApp } from '@aks-gitops/workloads';
import { FLEET } from './reliability/support/scratch';

/*
 * `synth --app X` writes X's folders and those of the apps it must render with X (callers hold
 * its egress, callees its ingress), and removes every folder it owns but did not render. A folder
 * is owned only on the clusters where its app was rendered: a caller of X on one cluster keeps its
 * folder on a cluster where it does not call X (it was not rendered there, and nothing in it changed).
 */

// The reliability suite's own clusters (a dev and a prod one), so nothing here pins the example fleet.
const fleet = loadFleet(FLEET);
const [dev, prod] = fleet.map((c) => c.name) as [string, string];

/** An API whose calls and consents may differ per cluster. */
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
        image: `ghcr.io/contoso/${name}:1.0.0@sha256:${'b'.repeat(64)}`,
        port: 8080,
        routes: [{ host: `${name}.example.com` }],
        ...(calls.length ? { calls } : {}),
        ...(accepts.length ? { acceptCallsFrom: accepts } : {}),
      });
    },
  });
}

describe('what synth --app owns', () => {
  it('a caller rendered on one cluster does not own its folder on a cluster where it was not rendered', () => {
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
    // The requested app is owned everywhere (a stale folder where it is no longer deployed goes).
    expect(out.owns(`clusters/${dev}/stock-api`)).toBe(true);
    expect(out.owns(`clusters/${prod}/stock-api`)).toBe(true);
  });
});
