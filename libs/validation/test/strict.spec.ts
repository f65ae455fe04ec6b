import type { KubeObject } from '@aks-gitops/cluster-model';
import { validateObject, validateObjects } from '@aks-gitops/validation';
import { trackFieldAccess } from '../src/field-access-tracker';
import { edit } from './edit';
import * as fx from './fixtures';

const unknownPaths = (obj: KubeObject): string[] =>
  validateObject(obj)
    .filter((p) => p.message.startsWith('unknown field'))
    .map((p) => p.path);

describe('the access-tracking mechanism', () => {
  // A hand-written stand-in for an ajv validator: reads declared properties (present or not),
  // iterates a map, and only type-checks a free-form object.
  const validator = (data: Record<string, Record<string, unknown>>): unknown[] => {
    const seen: unknown[] = [];
    const spec = data.spec ?? {};
    seen.push(spec.replicas, spec.selector);
    const labels = (spec.labels ?? {}) as Record<string, unknown>;
    for (const key in labels) seen.push(labels[key]);
    seen.push(typeof spec.values === 'object');
    return seen;
  };

  test('unread keys of read objects are unknown; maps and free-form objects are not checked', () => {
    const data = { spec: { replicas: 1, replcas: 2, labels: { 'a.b/c': 'd' }, values: { any: { thing: 1 } } } };
    const tracker = trackFieldAccess(structuredClone(data));
    expect(validator(tracker.proxy)).toHaveLength(4);
    expect(tracker.unknownFields()).toEqual([['spec', 'replcas']]);
  });

  test('an object the validator never reached reports nothing', () => {
    const tracker = trackFieldAccess({ spec: { a: 1 } });
    expect(tracker.unknownFields()).toEqual([]);
  });
});

describe('strict unknown-field detection on upstream schemas', () => {
  test('a typo is reported at its path, in every array item', () => {
    let obj = edit(fx.deployment(), 'spec.template.spec.containers', [
      { name: 'a', image: 'a', imagePullPolicyy: 'Always' },
      { name: 'b', image: 'b', portss: [] },
    ]);
    obj = edit(obj, 'spec.replcas', 2);
    expect(unknownPaths(obj).sort()).toEqual([
      'spec.replcas',
      'spec.template.spec.containers[0].imagePullPolicyy',
      'spec.template.spec.containers[1].portss',
    ]);
  });

  test('top-level and metadata typos are reported', () => {
    const obj = edit(edit(fx.service(), 'metadata.namspace', 'x'), 'specs', {});
    expect(unknownPaths(obj).sort()).toEqual(['metadata.namspace', 'specs']);
  });

  test('maps accept any key: labels, annotations, selectors, ConfigMap data, resources, volumeAttributes', () => {
    let obj = edit(fx.deployment(), ['metadata', 'labels', 'weird.example.com/Key_1'], 'v');
    obj = edit(obj, ['metadata', 'annotations', 'x'], '');
    obj = edit(obj, ['spec', 'template', 'spec', 'nodeSelector'], { 'kubernetes.io/os': 'linux', agentpool: 'user' });
    obj = edit(obj, ['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits', 'nvidia.com/gpu'], '1');
    expect(validateObject(obj)).toEqual([]);
    expect(validateObject(edit(fx.configMap(), ['data', 'any key at all'], 'v'))).toEqual([]);
    expect(validateObject(edit(fx.secretProviderClass(), ['spec', 'parameters', 'anything'], 'v'))).toEqual([]);
  });

  test('x-kubernetes-preserve-unknown-fields and free-form fields are not false positives', () => {
    const helmRelease: KubeObject = {
      apiVersion: 'helm.toolkit.fluxcd.io/v2beta2',
      kind: 'HelmRelease',
      metadata: { name: 'ingress', namespace: 'flux-system' },
      spec: {
        interval: '10m',
        chart: { spec: { chart: 'ingress-nginx', sourceRef: { kind: 'HelmRepository', name: 'ingress-nginx' } } },
        values: { controller: { replicaCount: 2, service: { annotations: { a: 'b' } } }, list: [{ x: 1 }] },
        postRenderers: [
          {
            kustomize: {
              patchesJson6902: [
                {
                  target: { kind: 'Deployment', name: 'x' },
                  patch: [{ op: 'add', path: '/a', value: { deep: [1, { y: 2 }] } }],
                },
              ],
            },
          },
        ],
      },
    };
    expect(validateObject(helmRelease)).toEqual([]);
    // ...while a sibling typo is still caught.
    expect(unknownPaths(edit(helmRelease, 'spec.valuez', {}))).toEqual(['spec.valuez']);

    const fluxV1beta2: KubeObject = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
      kind: 'Kustomization',
      metadata: { name: 'apps', namespace: 'flux-system' },
      spec: {
        interval: '10m',
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'repo' },
        patchesJson6902: [
          { target: { kind: 'Deployment', name: 'x' }, patch: [{ op: 'add', path: '/a', value: { any: 'thing' } }] },
        ],
      },
    };
    expect(validateObject(fluxV1beta2)).toEqual([]);

    // CRD schema: SecretProviderClass status is `type: object` with nothing declared.
    expect(validateObject(edit(fx.secretProviderClass(), 'status', { byPod: [{ id: 'x', anything: 1 }] }))).toEqual([]);
  });

  test('strict: false reports schema errors but not unknown fields', () => {
    const obj = edit(edit(fx.deployment(), 'spec.replcas', 2), 'spec.replicas', 'two');
    expect(validateObjects([obj], { strict: false }).map((p) => p.path)).toEqual(['spec.replicas']);
    const spc = edit(fx.secretProviderClass(), 'spec.secretObject', []);
    expect(validateObjects([spc], { strict: false })).toEqual([]);
  });
});
