import { k8s } from 'cdk8s-plus-28';
import { LABEL_NAMESPACE_NAME } from './labels';

/** Pods with `selector` in `namespace`: the only cross-namespace peer form that survives refactors. */
export function namespacePodPeer(namespace: string, selector: Readonly<Record<string, string>>): k8s.NetworkPolicyPeer {
  return { namespaceSelector: { matchLabels: { [LABEL_NAMESPACE_NAME]: namespace } }, podSelector: { matchLabels: { ...selector } } };
}

export function ipBlockPeer(cidr: string): k8s.NetworkPolicyPeer {
  return { ipBlock: { cidr } };
}

/** Egress to CoreDNS (kube-dns) over UDP and TCP 53; every pod needs it, and nothing else is implied. */
export function dnsEgressRule(): k8s.NetworkPolicyEgressRule {
  return {
    to: [{ namespaceSelector: { matchLabels: { [LABEL_NAMESPACE_NAME]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
    ports: [
      { port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' },
      { port: k8s.IntOrString.fromNumber(53), protocol: 'TCP' },
    ],
  };
}

export function ingressRule(from: k8s.NetworkPolicyPeer[], ports: ReadonlyArray<{ port: number; protocol: 'TCP' | 'UDP' }>): k8s.NetworkPolicyIngressRule {
  return { from, ports: ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol })) };
}
