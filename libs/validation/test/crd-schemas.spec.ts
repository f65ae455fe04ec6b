import type { KubeObject } from '@aks-gitops/cluster-model';
import { validateObject } from '@aks-gitops/validation';
import { closeStructuralSchema, crdSchemaFiles } from '../src/crd-schemas';

describe('committed CRD schema files', () => {
  test('each names its upstream repository, path and commit', () => {
    const files = [...crdSchemaFiles().entries()];
    expect(files.map(([key]) => key).sort()).toEqual([
      'alb.networking.azure.io/v1/ApplicationLoadBalancer',
      'alb.networking.azure.io/v1/BackendTLSPolicy',
      'alb.networking.azure.io/v1/HealthCheckPolicy',
      'alb.networking.azure.io/v1/WebApplicationFirewallPolicy',
      'gateway.networking.k8s.io/v1/Gateway',
      'gateway.networking.k8s.io/v1/HTTPRoute',
      'kustomize.config.k8s.io/v1beta1/Kustomization',
      'kustomize.toolkit.fluxcd.io/v1/Kustomization',
      'secrets-store.csi.x-k8s.io/v1/SecretProviderClass',
      'source.toolkit.fluxcd.io/v1/GitRepository',
    ]);
    for (const [, file] of files) {
      expect(file.source).toEqual(
        expect.objectContaining({
          repository: expect.stringMatching(/^[\w.-]+\/[\w.-]+$/),
          path: expect.any(String),
          commit: expect.stringMatching(/^[0-9a-f]{40}$/),
        }),
      );
      expect(file.openAPIV3Schema.type).toBe('object');
    }
  });

  test('a kustomization.yaml without metadata is fine (kustomize does not require it)', () => {
    const file = {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['a.yaml'],
    } as unknown as KubeObject;
    expect(validateObject(file)).toEqual([]);
  });
});

describe('closeStructuralSchema', () => {
  test('closes objects with properties, leaves maps, free-form objects and union branches open', () => {
    const schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            items: { type: 'array', items: { type: 'object', properties: { a: { type: 'string' } } } },
            labels: { type: 'object', additionalProperties: { type: 'object', properties: { b: { type: 'string' } } } },
            raw: {
              type: 'object',
              'x-kubernetes-preserve-unknown-fields': true,
              properties: { c: { type: 'string' } },
            },
          },
          oneOf: [{ properties: { items: { minItems: 1 } } }],
        },
      },
    };
    expect(closeStructuralSchema(schema)).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: {
        spec: {
          type: 'object',
          additionalProperties: false,
          properties: {
            items: {
              type: 'array',
              items: { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } },
            },
            labels: {
              type: 'object',
              additionalProperties: {
                type: 'object',
                additionalProperties: false,
                properties: { b: { type: 'string' } },
              },
            },
            raw: {
              type: 'object',
              'x-kubernetes-preserve-unknown-fields': true,
              properties: { c: { type: 'string' } },
            },
          },
          oneOf: [{ properties: { items: { minItems: 1 } } }],
        },
      },
    });
  });
});
