import { k8s } from 'cdk8s-plus-28';
import { LOCAL_DNS_ADDRESSES, LOCAL_DNS_CIDR } from '@aks-gitops/cluster-model';
import { LABEL_NAMESPACE_NAME } from './labels';

/** Pods with `selector` in `namespace`: the only cross-namespace peer form that survives refactors. */
export function namespacePodPeer(namespace: string, selector: Readonly<Record<string, string>>): k8s.NetworkPolicyPeer {
  return {
    namespaceSelector: { matchLabels: { [LABEL_NAMESPACE_NAME]: namespace } },
    podSelector: { matchLabels: { ...selector } },
  };
}

export function ipBlockPeer(cidr: string): k8s.NetworkPolicyPeer {
  return { ipBlock: { cidr } };
}

/** Egress to CoreDNS (kube-dns) over UDP and TCP 53; every pod needs it, and nothing else is implied. */
export function dnsEgressRule(): k8s.NetworkPolicyEgressRule {
  return {
    to: [
      {
        namespaceSelector: { matchLabels: { [LABEL_NAMESPACE_NAME]: 'kube-system' } },
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      },
    ],
    ports: [
      { port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' },
      { port: k8s.IntOrString.fromNumber(53), protocol: 'TCP' },
    ],
  };
}

export function ingressRule(
  from: k8s.NetworkPolicyPeer[],
  ports: ReadonlyArray<{ port: number; protocol: 'TCP' | 'UDP' }>,
): k8s.NetworkPolicyIngressRule {
  return { from, ports: ports.map((p) => ({ port: k8s.IntOrString.fromNumber(p.port), protocol: p.protocol })) };
}

/**
 * Egress to AKS LocalDNS, the node-local DNS proxy on 169.254.10.10/.11 that answers instead of
 * CoreDNS when LocalDNS is on (learn.microsoft.com/azure/aks/localdns-custom). For Azure NPM and
 * Calico an ipBlock reaches it.
 */
export function localDnsEgressRule(): k8s.NetworkPolicyEgressRule {
  return {
    to: LOCAL_DNS_ADDRESSES.map((ip) => ipBlockPeer(`${ip}/32`)),
    ports: [
      { port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' },
      { port: k8s.IntOrString.fromNumber(53), protocol: 'TCP' },
    ],
  };
}

/**
 * The Cilium form: a NetworkPolicy ipBlock cannot select node addresses under Azure CNI Powered by
 * Cilium, so AKS documents a CiliumNetworkPolicy allowing 169.254.10.0/24 and the `host` entity on
 * port 53 (learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium, FAQ "Is AKS Local DNS
 * supported"). Returned as the spec of that policy.
 */
export function ciliumLocalDnsPolicySpec(): Record<string, unknown> {
  const toPorts = [
    {
      ports: [
        { port: '53', protocol: 'UDP' },
        { port: '53', protocol: 'TCP' },
      ],
    },
  ];
  return {
    endpointSelector: { matchLabels: {} },
    egress: [
      { toCIDR: [LOCAL_DNS_CIDR], toPorts },
      { toEntities: ['host'], toPorts },
    ],
  };
}
