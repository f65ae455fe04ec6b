import { k8s } from 'cdk8s-plus-28';
import { FLUX_PRUNE_ANNOTATION, FLUX_PRUNE_DISABLED, usesLocalDns } from '@aks-gitops/cluster-model';
import type { ClusterSpec, KubeObject } from '@aks-gitops/cluster-model';
import { LABEL_GATEWAY_ACCESS, LABEL_MANAGED_BY, MANAGED_BY } from './labels';
import { ciliumLocalDnsPolicySpec, dnsEgressRule, localDnsEgressRule } from './network-peers';

/**
 * The Namespace, default-deny and allow-dns of every app namespace. The three are the same for
 * every namespace but for its name, so the typed `manifest()` of the generated classes renders each
 * shape once per cluster and every namespace shares its (frozen) labels and spec.
 */
export function namespaceManifestFactory(cluster: ClusterSpec): (ns: string, gatewayAccess: boolean) => KubeObject[] {
  const pssVersion = `v${cluster.kubernetesVersion}`;
  const localDns = usesLocalDns(cluster);
  const ciliumLocalDns = localDns && cluster.networkPolicyEngine === 'cilium';
  const labels: Record<string, string> = {
    [LABEL_MANAGED_BY]: MANAGED_BY,
    'pod-security.kubernetes.io/enforce': 'restricted',
    'pod-security.kubernetes.io/enforce-version': pssVersion,
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/audit-version': pssVersion,
    'pod-security.kubernetes.io/warn': 'restricted',
    'pod-security.kubernetes.io/warn-version': pssVersion,
  };
  // Deleting a namespace deletes everything in it: Flux must never prune one.
  const namespace = (gatewayAccess: boolean) =>
    inManifestOrder(
      k8s.KubeNamespace.manifest({
        metadata: {
          name: '',
          labels: gatewayAccess ? { ...labels, [LABEL_GATEWAY_ACCESS]: 'true' } : labels,
          annotations: { [FLUX_PRUNE_ANNOTATION]: FLUX_PRUNE_DISABLED },
        },
      }),
    );
  const shapes = {
    namespace: namespace(false),
    gatewayNamespace: namespace(true),
    defaultDeny: inManifestOrder(
      k8s.KubeNetworkPolicy.manifest({
        metadata: { name: 'default-deny', namespace: '', labels: { [LABEL_MANAGED_BY]: MANAGED_BY } },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      }),
    ),
    allowDns: inManifestOrder(
      k8s.KubeNetworkPolicy.manifest({
        metadata: { name: 'allow-dns', namespace: '', labels: { [LABEL_MANAGED_BY]: MANAGED_BY } },
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: localDns && !ciliumLocalDns ? [dnsEgressRule(), localDnsEgressRule()] : [dnsEgressRule()],
        },
      }),
    ),
    // Kept in manifest order by hand: there is no generated class for the Cilium CRD.
    allowLocalDns: inManifestOrder({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'allow-localdns', namespace: '', labels: { [LABEL_MANAGED_BY]: MANAGED_BY } },
      spec: ciliumLocalDnsPolicySpec(),
    }),
  };
  for (const shape of Object.values(shapes)) deepFreeze(shape);
  // Overriding a key keeps its place, so the keys stay in the order an ApiObject renders them.
  const named = (shape: KubeObject, ns: string): KubeObject => ({
    ...shape,
    metadata: shape.kind === 'Namespace' ? { ...shape.metadata, name: ns } : { ...shape.metadata, namespace: ns },
  });
  return (ns, gatewayAccess) => [
    named(gatewayAccess ? shapes.gatewayNamespace : shapes.namespace, ns),
    named(shapes.defaultDeny, ns),
    named(shapes.allowDns, ns),
    ...(ciliumLocalDns ? [named(shapes.allowLocalDns, ns)] : []),
  ];
}

/** Keys as an ApiObject renders them: apiVersion, kind, metadata, then the rest, all sorted below. */
export function inManifestOrder(obj: unknown): KubeObject {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort())
      if ((v as Record<string, unknown>)[k] !== undefined) out[k] = sorted((v as Record<string, unknown>)[k]);
    return out;
  };
  const body = sorted(obj) as Record<string, unknown>;
  const out: Record<string, unknown> = { apiVersion: body.apiVersion, kind: body.kind, metadata: body.metadata };
  for (const [k, v] of Object.entries(body)) if (!(k in out)) out[k] = v;
  return out as unknown as KubeObject;
}

function deepFreeze(v: unknown): void {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const child of Object.values(v)) deepFreeze(child);
}
