import * as fc from 'fast-check';
import { ApiObject, App, Chart, JsonPatch, Lazy, LazyResolver } from 'cdk8s';
import type { IResolver, ResolutionContext } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { CLUSTERS } from '@aks-gitops/cluster-model';
import { renderObject, synthesizeFleet } from '@aks-gitops/synth';
import { EXAMPLE_APPS } from '../scratch';

/**
 * synth renders every ApiObject with renderObject, cdk8s' toJson() rules in one pass. These tests
 * hold it to toJson()'s exact output, key order included (compared as JSON text).
 */
const json = (v: unknown): string => JSON.stringify(v);
/** What rendering gives: the JSON text, or the error (cdk8s refuses some values; so must renderObject). */
const outcome = (render: () => unknown): string => {
  try {
    return json(render());
  } catch (e) {
    return `throws ${(e as Error).message}`;
  }
};
const chart = (app = new App()): Chart => new Chart(app, 'test');

describe('renderObject', () => {
  it('writes the same bytes as ApiObject.toJson() for the whole example fleet', () => {
    const fast = synthesizeFleet({ clusters: CLUSTERS, apps: EXAMPLE_APPS });
    const reference = synthesizeFleet({ clusters: CLUSTERS, apps: EXAMPLE_APPS, renderObject: (o) => o.toJson() });
    expect(fast.stats.objects).toBeGreaterThan(50);
    expect([...fast.units.keys()]).toEqual([...reference.units.keys()]);
    for (const [unit, files] of fast.units)
      expect({ unit, files: [...files] }).toEqual({ unit, files: [...reference.units.get(unit)!] });
    expect(json(fast.documents)).toBe(json(reference.documents));
  });

  it('renders every kind of the typed imports the constructs use as its L1 class does', () => {
    const c = chart();
    const objects = [
      new k8s.KubeService(c, 'svc', {
        metadata: { name: 's', namespace: 'n' },
        spec: { clusterIp: 'None', ports: [{ port: 80, targetPort: k8s.IntOrString.fromString('http') }] },
      }),
      new k8s.KubeDeployment(c, 'deploy', {
        metadata: { name: 'd', labels: { b: '2', a: '1' }, annotations: {} },
        spec: {
          selector: { matchLabels: { app: 'd' } },
          strategy: {
            rollingUpdate: {
              maxSurge: k8s.IntOrString.fromString('25%'),
              maxUnavailable: k8s.IntOrString.fromNumber(0),
            },
          },
          template: {
            spec: {
              containers: [
                {
                  name: 'c',
                  image: 'i',
                  resources: { limits: { memory: k8s.Quantity.fromString('1Gi') } },
                  env: [{ name: 'A', value: undefined }],
                },
              ],
            },
          },
        },
      }),
      new k8s.KubeNetworkPolicy(c, 'np', {
        metadata: { name: 'np' },
        spec: {
          podSelector: {},
          egress: Lazy.any({ produce: () => [{ ports: [{ port: k8s.IntOrString.fromNumber(53) }] }] }),
        },
      }),
      new k8s.KubeConfigMap(c, 'cm', { metadata: { name: 'cm' }, data: { z: '1', a: 'on' } }),
      new ApiObject(c, 'crd-object', {
        apiVersion: 'example.io/v1',
        kind: 'Thing',
        metadata: { name: 't' },
        spec: { b: [1, null, 'x'], a: { nested: null, kept: false } },
      }),
    ];
    for (const o of objects) expect(json(renderObject(o))).toBe(json(o.toJson()));
  });

  it('leaves JSON patches, other resolvers and subclasses to cdk8s itself', () => {
    const patched = new k8s.KubeConfigMap(chart(), 'cm', { metadata: { name: 'cm' }, data: { a: '1' } });
    patched.addJsonPatch(JsonPatch.add('/data/b', '2'));
    expect(renderObject(patched).data).toEqual({ a: '1', b: '2' });

    const upper: IResolver = {
      resolve: (ctx: ResolutionContext) =>
        typeof ctx.value === 'string' &&
        ctx.value !== ctx.value.toUpperCase() &&
        ctx.replaceValue(ctx.value.toUpperCase()),
    };
    const custom = new k8s.KubeConfigMap(chart(new App({ resolvers: [upper, new LazyResolver()] })), 'cm', {
      metadata: { name: 'cm' },
      data: { a: 'x' },
    });
    expect(renderObject(custom).data).toEqual({ a: 'X' });

    class Stamped extends k8s.KubeConfigMap {
      public override toJson(): Record<string, unknown> {
        return { ...super.toJson(), stamped: true };
      }
    }
    expect(renderObject(new Stamped(chart(), 'cm', { metadata: { name: 'cm' } }))).toMatchObject({ stamped: true });
  });

  it('reports what cdk8s reports for a value it cannot render', () => {
    const bad = new ApiObject(chart(), 'bad', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'bad' },
      data: { when: new Date(0) },
    });
    expect(() => renderObject(bad)).toThrow(/can't render non-simple object of type 'Date'/);
  });

  it('matches toJson() on random specs (nulls, undefined, lazies, unions, nested lists, null-prototype maps)', () => {
    const key = fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.constantFrom('constructor', 'resolve', 'value', '__proto__', 'toJSON', 'apiVersion', 'kind', 'metadata'),
    );
    const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        leaf,
        leaf.map((x) => Lazy.any({ produce: () => x })),
        fc
          .oneof(fc.string(), fc.integer())
          .map((x) => (typeof x === 'number' ? k8s.IntOrString.fromNumber(x) : k8s.IntOrString.fromString(x))),
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(key, tie('v'), { maxKeys: 4 }),
      ),
    })).v;
    fc.assert(
      fc.property(
        fc.dictionary(key, value, { maxKeys: 5 }),
        fc.dictionary(key, value, { maxKeys: 3 }),
        fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.constant(undefined)), { maxKeys: 3 }),
        (spec, extraMetadata, labels) => {
          const o = new ApiObject(chart(), 'x', {
            apiVersion: 'example.io/v1',
            kind: 'Thing',
            metadata: { ...extraMetadata, name: 'x', labels: labels as Record<string, string>, annotations: {} },
            spec,
          });
          return outcome(() => renderObject(o)) === outcome(() => o.toJson());
        },
      ),
      { numRuns: 3000, seed: 20261126 },
    );
  });
});
