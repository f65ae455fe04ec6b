import { ConfigError, loadFleet } from '@aks-gitops/cluster-model';
import { FLEET } from './reliability/support/scratch';
import type { KubeObject } from '@aks-gitops/cluster-model';
import { synthesizeFleet } from '@aks-gitops/synth';
import type { AppClaims } from '@aks-gitops/workloads';
import { L7Api, defineApp } from '@aks-gitops/workloads';
import type { AppDefinition } from '@aks-gitops/workloads';

/*
 * A call from app A to app B produces ingress into B only if B accepts A. The allow rule lives in
 * B's folder; A's folder holds only its egress. Call without consent, or consent without a call,
 * is an error naming both apps and the cluster.
 */

// The reliability suite's own two clusters, so this test does not depend on the example fleet.
const fleet = loadFleet(FLEET);
const [dev, prod] = fleet.map((c) => c.name) as [string, string];

function api(
  name: string,
  props: { calls?: string[]; acceptCallsFrom?: string[]; onlyOn?: string } = {},
): AppDefinition {
  return defineApp({
    name,
    deploy: ({ scope, cluster }) => {
      if (props.onlyOn && cluster.name !== props.onlyOn) return;
      new L7Api(scope, 'api', {
        image: `ghcr.io/contoso/${name}:1.0.0@sha256:${'b'.repeat(64)}`,
        port: 8080,
        routes: [{ host: `${name}.example.com` }], // covered by the reliability fleet's listener certificate
        ...(props.calls ? { calls: props.calls } : {}),
        ...(props.acceptCallsFrom ? { acceptCallsFrom: props.acceptCallsFrom } : {}),
      });
    },
  });
}

const synth = (apps: AppDefinition[], extra: Partial<Parameters<typeof synthesizeFleet>[0]> = {}) =>
  synthesizeFleet({ clusters: fleet, apps, ...extra });
const errorOf = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (e) {
    if (ConfigError.is(e)) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
};
const objectsIn = (out: ReturnType<typeof synth>, unit: string): KubeObject[] =>
  out.documents.filter((d) => d.file === `${unit}/manifests.yaml`).map((d) => d.object);

describe('calls need the callee’s consent', () => {
  it("with consent: the callee's folder holds the ingress from the caller, the caller's folder only its egress", () => {
    const out = synth([api('shop-api', { calls: ['stock-api'] }), api('stock-api', { acceptCallsFrom: ['shop-api'] })]);
    for (const c of [dev, prod]) {
      const allow = objectsIn(out, `clusters/${c}/stock-api`).find(
        (o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'allow-from-shop-api',
      );
      expect(allow?.metadata.namespace).toBe('stock-api');
      expect(allow?.spec).toMatchObject({
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'stock-api' } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop-api' } },
                podSelector: { matchLabels: { 'app.kubernetes.io/name': 'shop-api' } },
              },
            ],
            ports: [{ port: 8080, protocol: 'TCP' }],
          },
        ],
      });
      expect(objectsIn(out, `clusters/${c}/shop-api`).every((o) => o.metadata.namespace === 'shop-api')).toBe(true);
      const egress = (
        objectsIn(out, `clusters/${c}/shop-api`).find(
          (o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'shop-api',
        )?.spec as { egress: unknown[] }
      ).egress;
      expect(JSON.stringify(egress)).toContain('"kubernetes.io/metadata.name":"stock-api"');
    }
  });

  it('a call without consent is an error naming both apps, the cluster and the fix', () => {
    const err = errorOf(() => synth([api('shop-api', { calls: ['stock-api'] }), api('stock-api')]));
    expect(err.message).toBe(
      `cluster ${dev}, app shop-api, field L7Api(shop-api).calls[0]: calls stock-api/stock-api, which does not accept calls from shop-api. ` +
        "Fix: the owners of stock-api add 'shop-api' to acceptCallsFrom of workload stock-api (apps/stock-api/src/index.ts), or remove the call",
    );
  });

  it('consent without a call is an error naming both apps', () => {
    const err = errorOf(() => synth([api('shop-api'), api('stock-api', { acceptCallsFrom: ['shop-api'] })]));
    expect(err.message).toBe(
      `cluster ${dev}, app stock-api, field L7Api(stock-api).acceptCallsFrom[0]: accepts calls from shop-api, but shop-api does not call stock-api/stock-api on this cluster. ` +
        "Fix: remove 'shop-api' from acceptCallsFrom (consent is for callers that call), or add calls: ['stock-api'] to shop-api",
    );
  });

  it('consent for an app that does not exist is an error', () => {
    const err = errorOf(() => synth([api('stock-api', { acceptCallsFrom: ['shpo-api'] })]));
    expect(err.message).toContain(
      'app stock-api, field L7Api(stock-api).acceptCallsFrom[0]: accepts calls from app "shpo-api", which does not exist',
    );
  });

  it('consent is inert on a cluster where the caller is not deployed; a call to a callee not deployed on the caller’s cluster is an error', () => {
    const out = synth([
      api('shop-api', { calls: ['stock-api'], onlyOn: prod }),
      api('stock-api', { acceptCallsFrom: ['shop-api'] }),
    ]);
    expect(
      objectsIn(out, `clusters/${dev}/stock-api`).filter((o) => o.metadata.name.startsWith('allow-from-')),
    ).toEqual([]);
    expect(
      objectsIn(out, `clusters/${prod}/stock-api`).filter((o) => o.metadata.name.startsWith('allow-from-')),
    ).toHaveLength(1);
    const err = errorOf(() =>
      synth([
        api('shop-api', { calls: ['stock-api'] }),
        api('stock-api', { acceptCallsFrom: ['shop-api'], onlyOn: prod }),
      ]),
    );
    expect(err.message).toContain(
      `cluster ${dev}, app shop-api, field L7Api(shop-api).calls[0]: calls app "stock-api", which is not deployed on this cluster`,
    );
  });

  it('accepting its own app, or the same caller twice, is an error', () => {
    expect(errorOf(() => synth([api('stock-api', { acceptCallsFrom: ['stock-api'] })])).message).toContain(
      'acceptCallsFrom[0]: names this app (stock-api)',
    );
    expect(
      errorOf(() =>
        synth([
          api('shop-api', { calls: ['stock-api'] }),
          api('stock-api', { acceptCallsFrom: ['shop-api', 'shop-api'] }),
        ]),
      ).message,
    ).toContain('acceptCallsFrom[1]: lists shop-api twice');
  });

  it('replayed claims carry consent: a replayed callee accepts or refuses exactly as when declared', () => {
    const other = api('other-api');
    const json = (out: ReturnType<typeof synth>) =>
      JSON.parse(JSON.stringify(Object.fromEntries(out.claims))) as Record<string, Record<string, AppClaims>>;
    // Consent recorded: shop-api and stock-api replayed while other-api is requested, as `synth --app other-api` does.
    const consenting = [
      api('shop-api', { calls: ['stock-api'] }),
      api('stock-api', { acceptCallsFrom: ['shop-api'] }),
      other,
    ];
    const full = synth(consenting);
    const claims = json(full);
    expect(claims['stock-api']?.[dev]?.accepts).toEqual([
      { app: 'stock-api', workload: 'stock-api', from: 'shop-api', field: 'L7Api(stock-api).acceptCallsFrom[0]' },
    ]);
    const replayed = new Map(['shop-api', 'stock-api'].map((n) => [n, claims[n] as Record<string, AppClaims>]));
    const partial = synth([other], { replayed, onlyApps: ['other-api'] });
    expect(partial.units.get(`clusters/${dev}/platform`)).toEqual(full.units.get(`clusters/${dev}/platform`));
    // No consent recorded: shop-api (changed, so declared) now calls the replayed stock-api.
    const refusing = json(synth([api('shop-api'), api('stock-api'), other]));
    const shopNow = api('shop-api', { calls: ['stock-api'] });
    const replayedErr = errorOf(() =>
      synth([shopNow, other], {
        replayed: new Map([['stock-api', refusing['stock-api'] as Record<string, AppClaims>]]),
        onlyApps: ['other-api'],
      }),
    );
    const fullErr = errorOf(() => synth([shopNow, api('stock-api'), other]));
    expect(replayedErr.message).toBe(fullErr.message);
    expect(replayedErr.message).toContain('which does not accept calls from shop-api');
  });
});
