import type { KubeObject } from '@aks-gitops/cluster-model';
import {
  KUBERNETES_SCHEMA_VERSIONS,
  closestKubernetesSchemaVersion,
  schemaSource,
  validateObject,
  validateObjects,
  type SchemaProblem,
} from '@aks-gitops/validation';
import { DELETE, edit } from './edit';
import * as fx from './fixtures';

type Case = [label: string, obj: KubeObject, source: RegExp];

const valid: Case[] = [
  ['Deployment', fx.deployment(), /^kubernetes-models@4\./],
  ['Service', fx.service(), /^kubernetes-models@4\./],
  ['NetworkPolicy', fx.networkPolicy(), /^kubernetes-models@4\./],
  ['Ingress', fx.ingress(), /^kubernetes-models@4\./],
  ['HorizontalPodAutoscaler (autoscaling/v2)', fx.hpa(), /^kubernetes-models@4\./],
  ['PodDisruptionBudget', fx.pdb(), /^kubernetes-models@4\./],
  ['Namespace', fx.namespace(), /^kubernetes-models@4\./],
  ['ServiceAccount', fx.serviceAccount(), /^kubernetes-models@4\./],
  ['ConfigMap', fx.configMap(), /^kubernetes-models@4\./],
  [
    'HTTPRoute (Gateway API v1.6.1)',
    fx.httpRoute(),
    /^kubernetes-sigs\/gateway-api@8bb74df00e56:config\/crd\/standard\//,
  ],
  ['Gateway (Gateway API v1.6.1)', fx.gateway(), /^kubernetes-sigs\/gateway-api@8bb74df00e56:config\/crd\/standard\//],
  ['GitRepository (source-controller v1.9.1)', fx.gitRepository(), /^fluxcd\/source-controller@092bcff3c9c3:/],
  [
    'Kustomization (Flux, kustomize-controller v1.9.4)',
    fx.fluxKustomization(),
    /^fluxcd\/kustomize-controller@1324b615da01:/,
  ],
  ['SecretProviderClass', fx.secretProviderClass(), /^kubernetes-sigs\/secrets-store-csi-driver@/],
  ['WebApplicationFirewallPolicy', fx.wafPolicy(), /^datreeio\/CRDs-catalog@.*\(not first-party\)$/],
  ['ApplicationLoadBalancer', fx.applicationLoadBalancer(), /^datreeio\/CRDs-catalog@ad15793707.*\(not first-party\)$/],
  ['HealthCheckPolicy (AGC)', fx.healthCheckPolicy(), /^datreeio\/CRDs-catalog@ad15793707.*\(not first-party\)$/],
  ['BackendTLSPolicy (AGC)', fx.backendTlsPolicy(), /^datreeio\/CRDs-catalog@ad15793707.*\(not first-party\)$/],
  ['Kustomization (kustomize file)', fx.kustomizationFile(), /^kubernetes-sigs\/kustomize@.*\(not first-party\)$/],
];

describe('valid objects pass their upstream schema', () => {
  test.each(valid)('%s', (_label, obj, source) => {
    expect(validateObject(obj)).toEqual([]);
    expect(schemaSource(obj.apiVersion, obj.kind)).toMatch(source);
  });

  test('validateObjects over all of them, strict and not', () => {
    const all = valid.map(([, obj]) => obj);
    expect(validateObjects(all)).toEqual([]);
    expect(validateObjects(all, { strict: false })).toEqual([]);
  });
});

type Broken = [label: string, obj: KubeObject, path: string, message: RegExp];

const TYPE = /must be (integer|string|boolean|array|object)/;
const REQUIRED = /^required field is missing$/;
const ENUM = /^must be one of /;
const unknown = (key: string) => new RegExp(`^unknown field "${key}"$`);

const broken: Broken[] = [
  // Application Gateway for Containers (vendored CRD schemas)
  [
    'HealthCheckPolicy: unknown field',
    edit(fx.healthCheckPolicy(), 'spec.default.intervall', '5s'),
    'spec.default.intervall',
    unknown('intervall'),
  ],
  [
    'BackendTLSPolicy: missing targetRef',
    edit(fx.backendTlsPolicy(), 'spec.targetRef', DELETE),
    'spec.targetRef',
    REQUIRED,
  ],
  [
    'ApplicationLoadBalancer: associations not a list',
    edit(fx.applicationLoadBalancer(), 'spec.associations', 'subnet'),
    'spec.associations',
    TYPE,
  ],
  // Deployment
  ['Deployment: wrong type', edit(fx.deployment(), 'spec.replicas', '2'), 'spec.replicas', TYPE],
  ['Deployment: missing required', edit(fx.deployment(), 'spec.selector', DELETE), 'spec.selector', REQUIRED],
  ['Deployment: unknown field', edit(fx.deployment(), 'spec.replcas', 2), 'spec.replcas', unknown('replcas')],
  [
    'Deployment: bad enum',
    edit(fx.deployment(), 'spec.template.spec.containers.0.imagePullPolicy', 'Sometimes'),
    'spec.template.spec.containers[0].imagePullPolicy',
    /^must be one of "Always", "IfNotPresent", "Never"$/,
  ],
  [
    'Deployment: unknown field deep in a container',
    edit(fx.deployment(), 'spec.template.spec.containers.0.securityContext.readOnlyRootFileSystem', true),
    'spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem',
    unknown('readOnlyRootFileSystem'),
  ],
  // Service
  ['Service: wrong type', edit(fx.service(), 'spec.ports.0.port', '80'), 'spec.ports[0].port', TYPE],
  ['Service: missing required', edit(fx.service(), 'spec.ports.0.port', DELETE), 'spec.ports[0].port', REQUIRED],
  ['Service: unknown field', edit(fx.service(), 'spec.selectr', {}), 'spec.selectr', unknown('selectr')],
  ['Service: bad enum', edit(fx.service(), 'spec.type', 'Loadbalancer'), 'spec.type', ENUM],
  // NetworkPolicy
  [
    'NetworkPolicy: wrong type (IntOrString)',
    edit(fx.networkPolicy(), 'spec.ingress.0.ports.0.port', true),
    'spec.ingress[0].ports[0].port',
    /^must be string or integer$/,
  ],
  [
    'NetworkPolicy: missing required',
    edit(fx.networkPolicy(), 'spec.egress.0.to.0.ipBlock.cidr', DELETE),
    'spec.egress[0].to[0].ipBlock.cidr',
    REQUIRED,
  ],
  [
    'NetworkPolicy: unknown field',
    edit(fx.networkPolicy(), 'spec.ingress.0.form', []),
    'spec.ingress[0].form',
    unknown('form'),
  ],
  ['NetworkPolicy: bad enum', edit(fx.networkPolicy(), 'spec.policyTypes', ['Ingres']), 'spec.policyTypes[0]', ENUM],
  // Ingress
  [
    'Ingress: wrong type',
    edit(fx.ingress(), 'spec.rules.0.http.paths.0.backend.service.port.number', '80'),
    'spec.rules[0].http.paths[0].backend.service.port.number',
    TYPE,
  ],
  [
    'Ingress: missing required',
    edit(fx.ingress(), 'spec.rules.0.http.paths.0.pathType', DELETE),
    'spec.rules[0].http.paths[0].pathType',
    REQUIRED,
  ],
  ['Ingress: unknown field', edit(fx.ingress(), 'spec.tls.0.host', 'x'), 'spec.tls[0].host', unknown('host')],
  [
    'Ingress: bad enum',
    edit(fx.ingress(), 'spec.rules.0.http.paths.0.pathType', 'Prefixed'),
    'spec.rules[0].http.paths[0].pathType',
    ENUM,
  ],
  // HorizontalPodAutoscaler
  ['HPA: wrong type', edit(fx.hpa(), 'spec.maxReplicas', '10'), 'spec.maxReplicas', TYPE],
  ['HPA: missing required', edit(fx.hpa(), 'spec.scaleTargetRef.kind', DELETE), 'spec.scaleTargetRef.kind', REQUIRED],
  ['HPA: unknown field', edit(fx.hpa(), 'spec.minReplica', 1), 'spec.minReplica', unknown('minReplica')],
  // autoscaling/v2 declares no enums upstream (selectPolicy, metric types are plain strings there).
  ['HPA: out of int32 range', edit(fx.hpa(), 'spec.maxReplicas', 2 ** 40), 'spec.maxReplicas', /int32/],
  // PodDisruptionBudget
  [
    'PDB: wrong type (IntOrString)',
    edit(fx.pdb(), 'spec.maxUnavailable', true),
    'spec.maxUnavailable',
    /^must be string or integer$/,
  ],
  [
    'PDB: missing required',
    edit(fx.pdb(), 'spec.selector.matchExpressions', [{ key: 'tier', values: ['web'] }]),
    'spec.selector.matchExpressions[0].operator',
    REQUIRED,
  ],
  ['PDB: unknown field', edit(fx.pdb(), 'spec.selctor', {}), 'spec.selctor', unknown('selctor')],
  [
    'PDB: bad enum',
    edit(fx.pdb(), 'spec.unhealthyPodEvictionPolicy', 'Always'),
    'spec.unhealthyPodEvictionPolicy',
    ENUM,
  ],
  // Namespace
  [
    'Namespace: wrong type (label value)',
    edit(fx.namespace(), ['metadata', 'labels', 'pod-security.kubernetes.io/enforce'], 3),
    'metadata.labels["pod-security.kubernetes.io/enforce"]',
    TYPE,
  ],
  ['Namespace: unknown field', edit(fx.namespace(), 'metadata.lables', {}), 'metadata.lables', unknown('lables')],
  [
    'Namespace: missing required',
    edit(fx.namespace(), 'metadata.ownerReferences', [{ apiVersion: 'v1', kind: 'X', name: 'y' }]),
    'metadata.ownerReferences[0].uid',
    REQUIRED,
  ],
  ['Namespace: bad enum', edit(fx.namespace(), 'status', { phase: 'Gone' }), 'status.phase', ENUM],
  // ServiceAccount
  [
    'ServiceAccount: wrong type',
    edit(fx.serviceAccount(), 'automountServiceAccountToken', 'false'),
    'automountServiceAccountToken',
    TYPE,
  ],
  [
    'ServiceAccount: unknown field',
    edit(fx.serviceAccount(), 'automountServiceAccountTokens', false),
    'automountServiceAccountTokens',
    unknown('automountServiceAccountTokens'),
  ],
  // ConfigMap
  ['ConfigMap: wrong type', edit(fx.configMap(), 'data.LOG_LEVEL', 3), 'data.LOG_LEVEL', TYPE],
  ['ConfigMap: unknown field', edit(fx.configMap(), 'datas', {}), 'datas', unknown('datas')],
  // HTTPRoute
  [
    'HTTPRoute: wrong type',
    edit(fx.httpRoute(), 'spec.rules.0.backendRefs.0.port', '80'),
    'spec.rules[0].backendRefs[0].port',
    TYPE,
  ],
  [
    'HTTPRoute: missing required',
    edit(fx.httpRoute(), 'spec.rules.0.filters.0.requestHeaderModifier.set.0.value', DELETE),
    'spec.rules[0].filters[0].requestHeaderModifier.set[0].value',
    REQUIRED,
  ],
  [
    'HTTPRoute: unknown field',
    edit(fx.httpRoute(), 'spec.rules.0.backendRef', []),
    'spec.rules[0].backendRef',
    unknown('backendRef'),
  ],
  [
    'HTTPRoute: bad enum',
    edit(fx.httpRoute(), 'spec.rules.0.matches.0.path.type', 'Prefix'),
    'spec.rules[0].matches[0].path.type',
    ENUM,
  ],
  // Gateway
  ['Gateway: wrong type', edit(fx.gateway(), 'spec.listeners.0.port', '443'), 'spec.listeners[0].port', TYPE],
  ['Gateway: missing required', edit(fx.gateway(), 'spec.gatewayClassName', DELETE), 'spec.gatewayClassName', REQUIRED],
  [
    'Gateway: unknown field',
    edit(fx.gateway(), 'spec.listeners.0.hostnam', 'x'),
    'spec.listeners[0].hostnam',
    unknown('hostnam'),
  ],
  [
    'Gateway: bad enum',
    edit(fx.gateway(), 'spec.listeners.0.tls.mode', 'Terminated'),
    'spec.listeners[0].tls.mode',
    ENUM,
  ],
  // GitRepository
  ['GitRepository: wrong type', edit(fx.gitRepository(), 'spec.ref.branch', 1), 'spec.ref.branch', TYPE],
  ['GitRepository: missing required', edit(fx.gitRepository(), 'spec.url', DELETE), 'spec.url', REQUIRED],
  ['GitRepository: unknown field', edit(fx.gitRepository(), 'spec.refs', {}), 'spec.refs', unknown('refs')],
  [
    'GitRepository: bad enum',
    edit(fx.gitRepository(), 'spec.verify', { mode: 'Head', secretRef: { name: 'k' } }),
    'spec.verify.mode',
    ENUM,
  ],
  // Kustomization (Flux)
  ['Flux Kustomization: wrong type', edit(fx.fluxKustomization(), 'spec.prune', 'true'), 'spec.prune', TYPE],
  [
    'Flux Kustomization: missing required',
    edit(fx.fluxKustomization(), 'spec.sourceRef', DELETE),
    'spec.sourceRef',
    REQUIRED,
  ],
  [
    'Flux Kustomization: unknown field',
    edit(fx.fluxKustomization(), 'spec.targetNamspace', 'x'),
    'spec.targetNamspace',
    unknown('targetNamspace'),
  ],
  [
    'Flux Kustomization: bad enum',
    edit(fx.fluxKustomization(), 'spec.sourceRef.kind', 'GitRepo'),
    'spec.sourceRef.kind',
    ENUM,
  ],
  // SecretProviderClass (CRD schema; it declares no required fields and no enums)
  [
    'SecretProviderClass: wrong type',
    edit(fx.secretProviderClass(), 'spec.parameters.keyvaultName', 3),
    'spec.parameters.keyvaultName',
    TYPE,
  ],
  [
    'SecretProviderClass: unknown field',
    edit(fx.secretProviderClass(), 'spec.secretObject', []),
    'spec.secretObject',
    unknown('secretObject'),
  ],
  [
    'SecretProviderClass: unknown field in an array item',
    edit(fx.secretProviderClass(), 'spec.secretObjects.0.data.0.objectname', 'x'),
    'spec.secretObjects[0].data[0].objectname',
    unknown('objectname'),
  ],
  [
    'SecretProviderClass: metadata is checked as ObjectMeta',
    edit(fx.secretProviderClass(), 'metadata.lables', {}),
    'metadata.lables',
    unknown('lables'),
  ],
  [
    'SecretProviderClass: ObjectMeta required field',
    edit(fx.secretProviderClass(), 'metadata.ownerReferences', [{ apiVersion: 'v1', kind: 'X', name: 'y' }]),
    'metadata.ownerReferences[0].uid',
    REQUIRED,
  ],
  // WebApplicationFirewallPolicy (community copy of the CRD schema)
  [
    'WAF policy: missing required',
    edit(fx.wafPolicy(), 'spec.targetRef.name', DELETE),
    'spec.targetRef.name',
    REQUIRED,
  ],
  [
    'WAF policy: unknown field',
    edit(fx.wafPolicy(), 'spec.webApplicationFirewal', {}),
    'spec.webApplicationFirewal',
    unknown('webApplicationFirewal'),
  ],
  [
    'WAF policy: wrong type',
    edit(fx.wafPolicy(), 'spec.targetRef.sectionNames', 'https'),
    'spec.targetRef.sectionNames',
    TYPE,
  ],
  // kustomization.yaml
  ['kustomization.yaml: wrong type', edit(fx.kustomizationFile(), 'resources', ['a.yaml', 1]), 'resources[1]', TYPE],
  [
    'kustomization.yaml: unknown field',
    edit(fx.kustomizationFile(), 'resource', ['a.yaml']),
    'resource',
    unknown('resource'),
  ],
];

describe('one broken field fails with a problem naming its path', () => {
  test.each(broken)('%s', (_label, obj, path, message) => {
    const problems = validateObject(obj);
    expect(problems).toContainEqual(expect.objectContaining({ path, message: expect.stringMatching(message) }));
    // The problem is about the object we passed in, named as a report would name it.
    const problem = problems.find((p) => p.path === path) as SchemaProblem;
    expect(problem).toMatchObject({ apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name });
    // ...and the object's other fields, valid in the fixture, produce no noise.
    expect(problems.filter((p) => !p.path.startsWith(path))).toEqual([]);
  });
});

describe('objects without a schema', () => {
  const cnp: KubeObject = {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: 'allow-localdns', namespace: 'orders' },
    spec: { endpointSelector: { matchLabels: {} } },
  };

  test('are a problem unless listed', () => {
    expect(validateObject(cnp)).toEqual([
      {
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumNetworkPolicy',
        name: 'allow-localdns',
        namespace: 'orders',
        path: '',
        message: 'no schema for cilium.io/v2/CiliumNetworkPolicy',
      },
    ]);
    expect(validateObjects([cnp], { allowSchemaless: ['cilium.io/v2/CiliumNetworkPolicy'] })).toEqual([]);
  });

  test('a listed kind that has a schema is still validated', () => {
    const bad = edit(fx.wafPolicy(), 'spec.targetRef.name', DELETE);
    const problems = validateObjects([bad], {
      allowSchemaless: ['alb.networking.azure.io/v1/WebApplicationFirewallPolicy'],
    });
    expect(problems.map((p) => p.path)).toEqual(['spec.targetRef.name']);
  });

  test('unknown versions of known groups and malformed apiVersions are schemaless', () => {
    for (const apiVersion of ['apps/v9', 'apps/v1/../../x', '../v1', 'networking.k8s.io/v1beta9']) {
      const obj = { ...fx.deployment(), apiVersion };
      expect(validateObject(obj)).toEqual([
        expect.objectContaining({ path: '', message: `no schema for ${apiVersion}/Deployment` }),
      ]);
    }
    // Helper types of a package are models too, but not top-level kinds.
    expect(validateObject({ ...fx.deployment(), kind: 'DeploymentSpec' })).toEqual([
      expect.objectContaining({ message: 'no schema for apps/v1/DeploymentSpec' }),
    ]);
  });

  test('missing apiVersion or kind is reported, not thrown', () => {
    const noKind = { apiVersion: 'v1', metadata: { name: 'x' } } as unknown as KubeObject;
    expect(validateObject(noKind)).toEqual([
      expect.objectContaining({ path: 'kind', message: 'required field is missing' }),
    ]);
    const noApiVersion = { kind: 'Service', metadata: { name: 'x' } } as unknown as KubeObject;
    expect(validateObject(noApiVersion)).toEqual([expect.objectContaining({ path: 'apiVersion' })]);
  });
});

test('the caller’s object is not modified', () => {
  const obj = edit(fx.deployment(), 'spec.replcas', 3);
  const before = JSON.stringify(obj);
  validateObject(obj);
  validateObject(fx.secretProviderClass());
  expect(JSON.stringify(obj)).toBe(before);
});

describe('schema versions', () => {
  test('every cluster minor maps to the closest Kubernetes schema available (1.33 from kubernetes-models 4.5.1)', () => {
    expect(KUBERNETES_SCHEMA_VERSIONS).toEqual(['1.33']);
    for (const v of ['1.28', '1.30', '1.33', '1.37']) expect(closestKubernetesSchemaVersion(v)).toBe('1.33');
  });
});
